"""The report in the reader's language, rendered by the worker, and fonts for every letter.

Each test that downloads renders one PDF with WeasyPrint (a second or two)."""

import io
import unicodedata

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessment import workflow
from assessment.access import get_assessment_for_user
from assessment.models import Answer, ReportState, StoredReport
from partnership.models import UserPreference
from tests.factories import AssessmentFactory, CoordinatorFactory, fill

pytestmark = [pytest.mark.usefixtures("content", "six_languages")]

# Every letter of the EU's 24 official languages: Latin (with Maltese, Romanian, the Baltic and
# Central European letters), Greek and Cyrillic (Bulgarian), lower and upper case.
LATIN = (
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝß àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ "
    "ĀāĂăĄąĆćĊċČčĎďĐđĒēĖėĘęĚěĠġĢģĦħĪīĮįĶķĹĺĻļĽľŁłŃńŅņŇňŐőŒœŔŕŘřŚśŠšŤťŪūŮůŰűŲųŸŹźŻżŽž "
    "ȘșȚț"
)
GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρσςτυφχψω ΆΈΉΊΌΎΏ άέήίόύώ ϊϋΐΰ"
CYRILLIC = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ абвгдежзийклмнопрстуфхцчшщъьюя ѝ"
AUTHORITY = "Toruń – Łódź – Győr – Šiauliai – Rīga – Θεσσαλονίκη – Пловдив"


def pdf_url(assessment) -> str:
    return reverse("assessment:report_pdf", args=[assessment.pk])


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def font_names(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def draft(authority, officer):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    return get_assessment_for_user(officer, assessment.pk)


def test_a_french_officer_downloads_the_french_report_rendered_by_the_worker(
    client, officer, draft, report_worker
):
    UserPreference.objects.create(user=officer, language="fr")
    client.force_login(officer)

    # The browser says English: the saved preference decides.
    response = report_worker.download(client, pdf_url(draft), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"] == "application/pdf"
    stored = StoredReport.objects.get(content_hash__startswith=response["X-Report-Hash"])
    assert stored.language == "fr"
    assert bytes(stored.pdf) == response.content
    assert ReportState.objects.get(assessment=draft).language == "fr"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    with translation.override("fr"):
        heading = gettext("Results per Action")
    assert heading != "Results per Action"
    text = text_of(response.content)
    assert heading in text
    assert "Results per Action" not in text


def test_the_page_language_chooses_the_report_language(client, officer, draft, report_worker):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "pl", "next": "/"})
    response = report_worker.download(client, pdf_url(draft))
    with translation.override("pl"):
        assert gettext("Results per Action") in text_of(response.content)
    assert StoredReport.objects.get().language == "pl"


def test_a_status_change_prepares_the_report_in_each_officers_language(
    draft, officer, colleague, django_capture_on_commit_callbacks
):
    UserPreference.objects.create(user=officer, language="fr")
    UserPreference.objects.create(user=colleague, language="", last_language="pl")
    with django_capture_on_commit_callbacks(execute=False):
        workflow.submit(assessment=draft, by=officer, notify=False)
    languages = set(ReportState.objects.filter(assessment=draft).values_list("language", flat=True))
    assert languages == {"en", "fr", "pl"}


def test_a_language_no_longer_shipped_prepares_no_report(
    draft, officer, settings, django_capture_on_commit_callbacks
):
    UserPreference.objects.create(user=officer, language="fi")
    with django_capture_on_commit_callbacks(execute=False):
        workflow.submit(assessment=draft, by=officer, notify=False)
        workflow.approve(assessment=draft, by=CoordinatorFactory(), notify=False)
    assert set(ReportState.objects.values_list("language", flat=True)) == {"en"}


def test_the_report_prints_every_letter_of_the_eus_languages(
    client, authority, officer, draft, report_worker
):
    authority.name = AUTHORITY
    authority.save()
    notes = {"A1.1": LATIN, "A1.2": GREEK, "A1.3": CYRILLIC}
    for code, note in notes.items():
        Answer.objects.filter(assessment=draft, item__code=code).update(evidence_note=note)
    client.force_login(officer)

    pdf = report_worker.download(client, pdf_url(draft)).content

    text = text_of(pdf)
    missing = sorted({letter for letter in LATIN + GREEK + CYRILLIC if letter not in text} - {" "})
    assert not missing, f"letters missing from the PDF's text: {''.join(missing)}"
    assert AUTHORITY in text
    # Every glyph comes from the font the stylesheet names (no fallback font, no empty box).
    fonts = font_names(pdf)
    assert fonts and all("DejaVu" in name for name in fonts), fonts
