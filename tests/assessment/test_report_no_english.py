"""The PDF report in every shipped language but English: the text read back from the PDF holds
no English source string (the interface's msgids and the content translations' sources, as on
the pages: tests/untranslated.py) outside proper names.

The report is the demo's kind: Mechelen's current assessment at mixed levels, with an evidence
note, its approved previous cycle and five approved peers, rendered as the worker renders it
(`report_for` + `render_pdf`)."""

import io

import pypdf
import pytest
from django.conf import settings

from assessment import report
from assessment.access import get_assessment_for_user
from assessment.models import Answer, Assessment
from tests.factories import AssessmentFactory, approved_peer, fill, move_to
from tests.untranslated import english_left, shown_in_text

pytestmark = pytest.mark.usefixtures("content")

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture
def demo_like(authority, officer):
    previous = AssessmentFactory(authority=authority, cycle=2025)
    fill(previous, level=1, by=officer)
    move_to(previous, Assessment.Status.APPROVED)
    current = AssessmentFactory(authority=authority, cycle=2026)
    fill(current, level=3, by=officer)
    Answer.objects.filter(assessment=current, item__code__startswith="A2.").update(level=1)
    Answer.objects.filter(assessment=current, item__code__startswith="A5.").update(level=4)
    Answer.objects.filter(assessment=current, item__code="A1.1").update(
        evidence_note="Raadsbesluit 2024/117", evidence_url="https://mechelen.example/raad/117"
    )
    for n in range(5):
        approved_peer(score=40.0 + 5 * n, country="BE", population=90_000 + n)
    return get_assessment_for_user(officer, current.pk)


def pdf_text(assessment: Assessment, language: str) -> str:
    pdf = report.render_pdf(report.report_for(assessment, language=language))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_has_no_english_left(demo_like, language):
    found = english_left(shown_in_text(pdf_text(demo_like, language)), language)
    assert not found, f"English left in the {language} report:\n" + "\n".join(
        f"{probe.kind}: {probe.text}" for probe in found
    )
