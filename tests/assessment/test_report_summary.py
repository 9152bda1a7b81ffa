"""The report's summary in words (page 2), the data hash on the back page only, and page fill.

The sentences are checked on the data (`assessment.narrative`, no rendering); two tests render
the PDF and read it back (pypdf for the text, pdftoppm for how full each page is).
"""

import io
import shutil
import subprocess

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image

from assessment import narrative, report
from assessment.access import get_assessment_for_user
from assessment.models import Answer, Assessment
from assessment.results import results_for
from tests.factories import AssessmentFactory, approved_peer, fill, move_to

pytestmark = pytest.mark.usefixtures("content")

# A4 at the resolution pages are measured; the body lies inside the @page margins.
DPI = 30
MM = DPI / 25.4
BODY_TOP, BODY_BOTTOM = 19 * MM, (297 - 18) * MM
MIN_FILL = 0.25


@pytest.fixture
def draft(authority, officer):
    """Mechelen's 2026 draft: level 3 everywhere, Action 1 at 4, Action 5 at 1 and one
    question of Action 5 unanswered; five approved peers so that statistics show."""
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    answers = Answer.objects.filter(assessment=assessment, level__isnull=False)
    answers.filter(item__code__startswith="A1.").update(level=4)
    answers.filter(item__code__startswith="A5.").update(level=1)
    for n in range(5):
        approved_peer(score=40.0 + 5 * n, country="BE", population=90_000 + n)
    return get_assessment_for_user(officer, assessment.pk)


@pytest.fixture
def previous(authority):
    """The 2025 assessment, approved at level 2 everywhere."""
    before = AssessmentFactory(authority=authority, cycle=2025)
    fill(before, level=2)
    return move_to(before, Assessment.Status.APPROVED)


def summary_of(assessment: Assessment, language: str = "en") -> narrative.ReportSummary:
    with translation.override(language):
        return narrative.summary_for(results_for(assessment))


# --- The sentences ------------------------------------------------------------------------


def test_the_strongest_and_the_weakest_action_are_named_with_their_scores(draft):
    results = results_for(draft)
    scores = {a.number: a.score for a in results.actions}
    summary = summary_of(draft)

    assert max(scores, key=scores.get) == 1 and min(scores, key=scores.get) == 5
    assert summary.strongest.startswith("The strongest Action is Action 1,")
    assert f"{scores[1]:.1f}" in summary.strongest
    assert summary.weakest.startswith("The weakest is Action 5,")
    assert f"{scores[5]:.1f}" in summary.weakest
    assert f"{results.overall:.1f}" in summary.overall


def test_an_action_without_a_score_is_counted_not_ranked_as_the_weakest(draft):
    Answer.objects.filter(assessment=draft, item__weights__has_key="5").delete()
    summary = summary_of(draft)

    assert "Action 5" not in summary.weakest
    assert summary.unscored == "1 Action has no score yet: nothing applicable is answered there."


def test_the_change_sentence_appears_only_when_a_previous_cycle_exists(draft, authority):
    assert summary_of(draft).change is None

    before = AssessmentFactory(authority=authority, cycle=2025)
    fill(before, level=2)
    move_to(before, Assessment.Status.APPROVED)
    summary = summary_of(draft)

    assert summary.change.startswith("Since 2025 the overall index has risen by")
    assert "The largest change is in Action 1" in summary.change


def test_the_peer_sentence_gives_figures_for_groups_with_enough_peers_only(draft):
    summary = summary_of(draft)

    assert summary.peers, "five peers of the same country and band: statistics are shown"
    assert all("5 peer authorities" in sentence for sentence in summary.peers)
    # Mechelen is above all five peers (40 to 60): said in words, not as "about 100 %".
    assert summary.peers[0] == (
        "All authorities: the overall index is higher than that of all "
        "5 peer authorities with one (median 50.0)."
    )


def test_with_too_few_peers_the_peer_sentence_gives_no_figures_and_no_count(authority):
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3)
    for n in range(2):
        approved_peer(score=40.0 + n, country="BE")
    summary = summary_of(assessment)

    assert summary.peers == (
        "Too few peer authorities have an overall index (fewer than 5 in "
        "each group) to say where this authority stands among them.",
    )
    assert not any(char.isdigit() for char in summary.peers[0].replace("5", ""))


def test_three_first_improvements_come_from_the_weakest_places_and_are_distinct(draft):
    summary = summary_of(draft)
    codes = [item.code for item in summary.improvements]

    assert len(codes) == 3 == len(set(codes))
    assert all(code.startswith("A5.") for code in codes), codes  # level 1: the most lost
    assert all("Action 5" in item.sentence for item in summary.improvements)


def test_the_summary_is_translated(draft):
    summary = summary_of(draft, language="fr")

    assert summary.strongest.startswith("L’Action la plus forte est l’Action 1")
    assert "," in summary.overall  # French decimal comma


# --- The PDF ------------------------------------------------------------------------------


def download(client, officer, assessment, worker) -> bytes:
    """The report as the officer downloads it, once a task worker has rendered it."""
    client.force_login(officer)
    response = worker.download(client, reverse("assessment:report_pdf", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content


def page_fill(pdf: bytes) -> list[float]:
    """How far down its body each page is drawn on (0 = empty, 1 = to the bottom margin)."""
    command = [shutil.which("pdftoppm"), "-gray", "-r", str(DPI), "-"]
    out = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout  # noqa: S603
    fills = []
    while out:
        image = Image.open(io.BytesIO(out))
        image.load()
        width, height = image.size
        size = len(image.tobytes()) + len(f"P5\n{width} {height}\n255\n")
        body = image.crop((0, int(BODY_TOP), width, int(BODY_BOTTOM)))
        inked = [
            y for y in range(body.height) if body.crop((0, y, width, y + 1)).getextrema()[0] < 200
        ]
        fills.append((inked[-1] + 1) / body.height if inked else 0.0)
        out = out[size:]
    return fills


def test_the_summary_is_on_page_2_and_the_hash_only_on_the_back_page(
    client, officer, draft, previous, report_worker
):
    reader = pypdf.PdfReader(io.BytesIO(download(client, officer, draft, report_worker)))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    short_hash = report.report_for(draft, language="en").short_hash

    assert "Summary" in texts[1] and "The strongest Action is Action 1" in texts[1]
    assert "Since 2025 the overall index has risen by" in texts[1]
    assert "The first three improvements" in texts[1]
    assert [n for n, text in enumerate(texts, start=1) if short_hash in text] == [len(texts)]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize("with_previous_cycle", [True, False])
def test_no_page_but_the_back_page_is_less_than_a_quarter_full(
    client, officer, draft, request, with_previous_cycle, report_worker
):
    if with_previous_cycle:
        request.getfixturevalue("previous")
    fills = page_fill(download(client, officer, draft, report_worker))

    assert len(fills) > 5
    assert [round(f, 2) for f in fills[:-1] if f < MIN_FILL] == [], [round(f, 2) for f in fills]
