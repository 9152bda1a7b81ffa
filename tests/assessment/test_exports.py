"""Streamed CSV exports: one row per assessment (scores) or per answered item (answers), the
dashboard's filters, a BOM for spreadsheets, no formula injection, constant queries."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from assessment import scoring
from assessment.models import Answer, Assessment, Item
from portal.csv import CellFormatter
from tests.assessment.test_overview import bulk_field, scores_for
from tests.factories import AssessmentFactory, UrbanAuthorityFactory

pytestmark = pytest.mark.django_db
Status = Assessment.Status


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def download(client, name: str, **params) -> tuple[StreamingHttpResponse, bytes]:
    response = client.get(reverse(f"assessment:export_{name}"), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def table(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# --- Scores --------------------------------------------------------------------------------


def test_scores_export_has_one_row_per_assessment_and_one_column_per_action(
    coordinator_client, content
):
    bulk_field(5)
    response, body = download(coordinator_client, "scores")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sps-scores-all-cycles.csv"'
    rows = table(body)
    assert [r["Authority"] for r in rows] == [f"Town {i:04d}" for i in range(5)]
    assert [f"Action {n}" for n in scoring.ACTIONS] == list(rows[0])[-6:]
    first = rows[0]
    assert first["Status"] == "Approved" and first["Scores as of"] == "approval"
    assert [float(first[f"Action {n}"]) for n in scoring.ACTIONS] == scores_for(0, 2026)
    assert first["Population band"] == "under 50,000" and first["Partner"] == "yes"
    submitted = rows[2]
    assert submitted["Scores as of"] == "submission"
    assert (
        rows[4]["Status"] == "Draft" and rows[4]["Action 1"] == "" and rows[4]["Scores as of"] == ""
    )


def test_scores_export_honours_the_filters(coordinator_client, content):
    bulk_field(10)
    bulk_field(3, cycle=2025, prefix="Old")
    _, body = download(coordinator_client, "scores", status="approved", country="BE", cycle=2026)
    assert [r["Authority"] for r in table(body)] == ["Town 0001", "Town 0005"]
    response, body = download(coordinator_client, "scores", cycle=2025)
    assert {r["Cycle"] for r in table(body)} == {"2025"}
    assert response["Content-Disposition"] == 'attachment; filename="sps-scores-2025.csv"'
    _, body = download(coordinator_client, "scores", band="gt1m", partner="no")
    assert [r["Authority"] for r in table(body)] == ["Town 0005"]


def test_accents_survive_the_round_trip(coordinator_client, content):
    AssessmentFactory(authority=UrbanAuthorityFactory(name="Liège", country="BE"), approved=True)
    _, body = download(coordinator_client, "scores")
    assert table(body)[0]["Authority"] == "Liège"
    assert "Liège".encode() in body


# --- Answers -------------------------------------------------------------------------------


def test_answers_export_has_one_row_per_item_answered(coordinator_client, content, authority):
    assessment = AssessmentFactory(authority=authority)
    items = list(Item.objects.order_by("position")[:4])
    Answer.objects.create(
        assessment=assessment, item=items[0], yes=True, evidence_url="https://example.org/a.pdf"
    )
    Answer.objects.create(
        assessment=assessment, item=items[1], level=3, evidence_note="Annual report"
    )
    Answer.objects.create(
        assessment=assessment, item=items[2], not_applicable=True, na_reason="No such service"
    )
    Answer.objects.create(assessment=assessment, item=items[3], evidence_note="Only a note")
    _, body = download(coordinator_client, "answers")
    rows = table(body)
    assert [r["Item"] for r in rows] == [items[0].code, items[1].code, items[2].code]
    first, second, third = rows
    assert (first["Authority"], first["Cycle"], first["Status"]) == ("Mechelen", "2026", "Draft")
    assert first["Yes or no"] == "yes" and first["Evidence link"] == "https://example.org/a.pdf"
    assert second["Level"] == "3" and second["Evidence note"] == "Annual report"
    assert second["Action"] == "1" and second["Answer type"] == "Maturity level 0-4"
    assert third["Not applicable"] == "yes" and third["Reason not applicable"] == (
        "No such service"
    )
    assert second["Question"] == items[1].question


def test_answers_export_honours_the_filters(coordinator_client, content):
    bulk_field(10, answers_per=2)
    _, body = download(coordinator_client, "answers", status="submitted")
    rows = table(body)
    assert len(rows) == 4
    assert {r["Authority"] for r in rows} == {"Town 0002", "Town 0007"}


def test_cells_that_a_spreadsheet_would_run_are_neutralised(coordinator_client, content):
    authority = UrbanAuthorityFactory(name='=HYPERLINK("http://evil.example","x")')
    assessment = AssessmentFactory(authority=authority)
    items = list(Item.objects.order_by("position")[:5])
    notes = ["+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "plain - text = fine"]
    for item, note in zip(items, notes, strict=True):
        Answer.objects.create(
            assessment=assessment,
            item=item,
            not_applicable=True,
            na_reason="n/a",
            evidence_note=note,
        )
    _, body = download(coordinator_client, "answers")
    rows = table(body)
    assert rows[0]["Authority"] == '\'=HYPERLINK("http://evil.example","x")'
    assert [r["Evidence note"] for r in rows] == [
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1:A9)",
        "'\t=1+1",
        "plain - text = fine",
    ]


def test_numbers_are_written_as_numbers_even_when_negative():
    cell = CellFormatter()
    assert cell(-3) == -3
    assert cell(None) == "" and cell(True) == "yes" and cell(False) == "no"
    assert cell("-3") == "'-3"


def test_exports_stream_in_chunks(coordinator_client, content):
    bulk_field(300, answers_per=4)
    response = coordinator_client.get(reverse("assessment:export_answers"))
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert chunks[0].startswith(b"\xef\xbb\xbf") and not chunks[1].startswith(b"\xef\xbb\xbf")
    assert len(table(b"".join(chunks))) == 1200


# --- Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scores", "answers"])
def test_exports_take_the_same_queries_with_10_and_300_assessments(
    coordinator_client, content, name, django_assert_max_num_queries
):
    bulk_field(10)
    with django_assert_max_num_queries(8):
        _, body = download(coordinator_client, name, sort="-population")
    assert body
    bulk_field(290, start=10)
    with django_assert_max_num_queries(8):
        _, body = download(coordinator_client, name, sort="-population")
    expected = 300 if name == "scores" else 900
    assert len(table(body)) == expected
