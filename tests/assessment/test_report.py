"""The PDF benchmark report: content read back from the PDF, safety, access, cache and failure.

Each test that downloads a report renders it with WeasyPrint (about a second): the tests that
need no PDF check the report's data, hash and access without rendering.
"""

import io
import json
import logging
import re

import pypdf
import pytest
import weasyprint
from django.core.cache import cache
from django.urls import reverse

from actions.models import Action
from assessment import benchmark, report
from assessment.access import get_assessment_for_user
from assessment.models import Answer, Assessment, Item
from tests.factories import AssessmentFactory, UserFactory, approved_peer, fill, move_to

pytestmark = pytest.mark.usefixtures("content")

SCRIPT = "<script>alert(1)</script>"
EVIDENCE_URL = "http://example.org/evidence?<b>bold</b>"
# Role check, access; results: items, answers, peer-data version, peer table, previous cycle,
# its items and answers, Actions, the plan targets of this cycle and the previous one; appendix:
# items, answers; Actions and links; fingerprint (2). The same for 5 peers or 25.
REPORT_QUERY_BUDGET = 17
# Session, user, role check, access, fingerprint (2, the peer-data version in the first),
# report state with its stored bytes, session save (3): a download of a ready report.
STORED_DOWNLOAD_BUDGET = 10


@pytest.fixture
def draft(authority, officer):
    """Mechelen's 2026 draft: level 3 everywhere, Action 1's questions at 4, one item with an
    evidence note holding HTML and a link; five approved peers so that statistics show."""
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    Answer.objects.filter(
        assessment=assessment, item__code__startswith="A1.", level__isnull=False
    ).update(level=4)
    answer = Answer.objects.get(assessment=assessment, item__code="A2.1")
    answer.evidence_note = f"Council minutes {SCRIPT}"
    answer.evidence_url = EVIDENCE_URL
    answer.save()
    for n in range(5):
        approved_peer(score=40.0 + 5 * n, country="BE", population=90_000 + n)
    return get_assessment_for_user(officer, assessment.pk)


def pdf_url(assessment: Assessment) -> str:
    return reverse("assessment:report_pdf", args=[assessment.pk])


def results_json_of(client, assessment: Assessment) -> dict:
    return client.get(reverse("assessment:results_json", args=[assessment.pk])).json()


def read(response) -> pypdf.PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    """Each page's text with whitespace collapsed (titles wrap across lines)."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def downloaded(client, officer, draft, report_worker):
    client.force_login(officer)
    response = report_worker.download(client, pdf_url(draft))
    return response, read(response)


# --- What the PDF says --------------------------------------------------------------------


def test_the_pdf_names_the_authority_the_six_actions_and_the_overall_index(
    client, draft, downloaded
):
    _, reader = downloaded
    text = " ".join(page_texts(reader))
    data = results_json_of(client, draft)

    assert "Mechelen" in text
    assert "Self-assessment benchmark report" in text
    for action in Action.objects.all():
        assert " ".join(action.final_title.split()) in text
    overall = data["overall"]["score"]
    assert overall not in (None, 75.0)
    summary = next(
        t for t in page_texts(reader) if "Overall index" in t and "Scores and peers" in t
    )
    assert f"{overall:.1f}" in summary


def test_every_page_is_numbered_and_carries_the_versions(draft, downloaded):
    response, reader = downloaded
    texts = page_texts(reader)
    short_hash = response["X-Report-Hash"]
    pages = len(texts)

    assert pages > 5
    assert short_hash == report.report_for(draft, language="en").short_hash
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {pages}" in text
        assert "Questionnaire 2024.1" in text
        assert "scoring rule 1.0" in text


def test_the_results_json_is_attached_and_equals_the_results_page_json(client, draft, downloaded):
    _, reader = downloaded

    attached = reader.attachments["results.json"]

    assert len(attached) == 1
    assert json.loads(attached[0]) == results_json_of(client, draft)


def test_the_download_is_a_tagged_pdf_named_after_the_authority_and_cycle(downloaded):
    response, reader = downloaded
    root = reader.trailer["/Root"]

    assert response["Content-Disposition"] == (
        'attachment; filename="benchmark-report-mechelen-2026.pdf"'
    )
    assert reader.metadata.title == "Self-assessment benchmark report: Mechelen, 2026"
    assert reader.metadata.author == "Mechelen"
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_a_non_ascii_authority_gets_an_ascii_file_name(draft):
    draft.authority.name = "Toruń (Łódź) <b>"

    assert report.filename_for(report.report_for(draft, language="en").results) == (
        "benchmark-report-torun-odz-b-2026.pdf"
    )


def test_html_in_an_answer_is_printed_as_text_and_its_link_is_never_fetched(draft):
    fetched = []

    def spy(url, **kwargs):
        fetched.append(url)
        return report.url_fetcher(url, **kwargs)

    pdf = report.render_pdf(report.report_for(draft, language="en"), fetcher=spy)
    text = " ".join(page_texts(pypdf.PdfReader(io.BytesIO(pdf))))

    assert f"Council minutes {SCRIPT}" in text
    assert EVIDENCE_URL in text
    assert fetched
    assert all(url.startswith(("report-static:", "report-chart:")) for url in fetched)
    assert "report-static:css/report.css" in fetched


def test_a_french_download_is_marked_french(client, officer, draft, report_worker):
    client.force_login(officer)

    reader = read(report_worker.download(client, pdf_url(draft), headers={"accept-language": "fr"}))

    assert reader.trailer["/Root"]["/Lang"] == "fr"


# --- What WeasyPrint may read --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org",
        "https://example.org/report.css",
        "data:text/css,body{color:red}",
        "report-static:../../../../etc/passwd",
        "report-static:/etc/passwd",
        "report-static:css/../../portal/settings.py",
        "report-static:css/report.css?x=1",
        "report-static:css/missing.css",
        "report-chart:radar.svg",
        "//example.org/x.css",
    ],
)
def test_the_url_fetcher_refuses_anything_but_the_sites_static_files(url):
    with pytest.raises(report.RefusedURL):
        report.url_fetcher(url)


def test_the_url_fetcher_serves_the_report_stylesheet_and_the_reports_own_charts():
    css = report.url_fetcher("report-static:css/report.css")
    chart = report.url_fetcher("report-chart:radar.svg", charts={"radar.svg": b"<svg/>"})

    assert b"@page" in css["string"]
    assert css["mime_type"] == "text/css"
    assert chart["string"] == b"<svg/>"


# --- Cache and hash ----------------------------------------------------------------------


def test_a_second_download_is_read_from_the_store_without_rendering(
    client, officer, draft, report_worker, django_assert_max_num_queries, pdf_renders
):
    client.force_login(officer)
    renders = pdf_renders()

    first = report_worker.download(client, pdf_url(draft))
    with django_assert_max_num_queries(STORED_DOWNLOAD_BUDGET):
        second = client.get(pdf_url(draft))

    assert pdf_renders() == renders + 1
    assert second.content == first.content
    assert second["X-Report-Hash"] == first["X-Report-Hash"]


def test_a_changed_answer_gives_a_new_hash_and_a_new_report(
    client, officer, draft, report_worker, pdf_renders
):
    client.force_login(officer)
    first = report_worker.download(client, pdf_url(draft))
    answer = Answer.objects.get(assessment=draft, item__code="A3.1")
    answer.evidence_note = "Procurement rules, 2026 edition."
    answer.save()
    renders = pdf_renders()

    second = report_worker.download(client, pdf_url(draft))

    assert pdf_renders() == renders + 1
    assert second["X-Report-Hash"] != first["X-Report-Hash"]
    assert "Procurement rules, 2026 edition." in " ".join(page_texts(read(second)))


def test_the_hash_follows_answers_status_peers_and_language(draft):
    def state(language="en"):
        assessment = Assessment.objects.select_related("authority", "questionnaire").get(
            pk=draft.pk
        )
        return (
            report.report_for(assessment, language=language).hash,
            report.fingerprint(assessment, language=language),
        )

    start = state()
    assert state() == start  # the same data, the same hash

    Answer.objects.filter(assessment=draft, item__code="A4.2").update(level=1)
    answered = state()
    move_to(draft, Assessment.Status.SUBMITTED)
    submitted = state()
    approved_peer(score=90.0, country="BE", population=95_000)
    benchmark.invalidate(cycle=draft.cycle, version=draft.questionnaire.version)
    with_peer = state()
    french = state("fr")

    hashes = [start[0], answered[0], submitted[0], with_peer[0], french[0]]
    fingerprints = [start[1], answered[1], submitted[1], with_peer[1], french[1]]
    assert len(set(hashes)) == 5
    assert len(set(fingerprints)) == 5


def test_an_edited_action_objective_changes_the_hash_once_the_fingerprint_expires(draft):
    """Action texts are edited in the admin, outside the fingerprint: the fingerprint entry
    expires after FINGERPRINT_TIMEOUT, and the recomputed hash then differs."""
    before = report.report_for(draft, language="en").hash
    fingerprint = report.fingerprint(draft, language="en")
    Action.objects.filter(number=3).update(objective="A rewritten objective.")

    assert report.report_for(draft, language="en").hash != before
    assert report.fingerprint(draft, language="en") == fingerprint
    assert report.FINGERPRINT_TIMEOUT <= 60 * 60


def test_the_report_data_takes_a_constant_number_of_queries(
    officer, authority, django_assert_max_num_queries
):
    previous = AssessmentFactory(authority=authority, cycle=2025)
    fill(previous, level=2)
    assessment = AssessmentFactory(authority=authority)
    fill(assessment, level=3, by=officer)
    for peers in (5, 25):
        while Assessment.objects.filter(status=Assessment.Status.APPROVED).count() < peers:
            approved_peer(score=50.0)
        cache.clear()

        with django_assert_max_num_queries(REPORT_QUERY_BUDGET):
            loaded = get_assessment_for_user(officer, assessment.pk)
            data = report.report_for(loaded)
            report.fingerprint(loaded, language="en")

        assert data.results.peer_groups[0].n == peers


# --- Access -----------------------------------------------------------------------------


def test_another_citys_officer_gets_404(client, other_city_officer, draft, pdf_renders):
    client.force_login(other_city_officer)
    renders = pdf_renders()

    assert client.get(pdf_url(draft)).status_code == 404
    assert pdf_renders() == renders


def test_a_user_without_authority_gets_404(client, draft):
    client.force_login(UserFactory(username="visitor"))

    assert client.get(pdf_url(draft)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(pdf_url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_results_page_links_to_the_pdf(client, officer, draft):
    client.force_login(officer)

    html = client.get(reverse("assessment:results", args=[draft.pk])).content.decode()

    assert f'href="{pdf_url(draft)}"' in html
    assert "Download the PDF report" in html


# --- Failure ----------------------------------------------------------------------------


def test_a_failing_render_is_retried_then_shown_as_failed_and_logged(
    client, officer, draft, report_worker, monkeypatch, settings, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("cairo ran out of paper")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    monkeypatch.setattr("assessment.tasks.RETRY_DELAY_SECONDS", 0)
    client.force_login(officer)

    with caplog.at_level(logging.WARNING, logger="assessment.tasks"):
        with report_worker.capture(execute=True):
            assert client.get(pdf_url(draft)).status_code == 202
        report_worker.run(rounds=settings.REPORT_RENDER_ATTEMPTS + 1)
        response = client.get(pdf_url(draft))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "The PDF report is not available right now" in html
    assert reverse("assessment:results", args=[draft.pk]) in html
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == settings.REPORT_RENDER_ATTEMPTS - 1
    assert any("giving up" in r.getMessage() and r.exc_info for r in caplog.records)
    assert client.get(reverse("assessment:results", args=[draft.pk])).status_code == 200


def test_the_error_page_has_no_inline_script_or_style(
    client, officer, draft, report_worker, monkeypatch, settings
):
    monkeypatch.setattr(
        weasyprint.HTML,
        "write_pdf",
        lambda *args, **kwargs: (_ for _ in ()).throw(OSError("no fonts")),
    )
    monkeypatch.setattr("assessment.tasks.RETRY_DELAY_SECONDS", 0)
    client.force_login(officer)
    with report_worker.capture(execute=True):
        client.get(pdf_url(draft))
    report_worker.run(rounds=settings.REPORT_RENDER_ATTEMPTS)

    html = client.get(pdf_url(draft)).content.decode()

    assert "The PDF report is not available right now" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html


def test_every_item_of_the_questionnaire_is_in_the_appendix(draft):
    appendix = report.report_for(draft, language="en").appendix
    codes = [item.code for _, items in appendix for item in items]

    assert codes == list(
        Item.objects.filter(questionnaire=draft.questionnaire)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert [number for number, _ in appendix] == [1, 2, 3, 4, 5, 6]
    by = {item.code: item for _, items in appendix for item in items}
    assert by["A2.1"].updated_by == "Test Officer"
    assert by["A2.1"].evidence_note == f"Council minutes {SCRIPT}"
