"""A country with four approved authorities: no page, API response or download may reveal
anything about it beyond "fewer than 5", directly or by subtracting published figures."""

import csv
import io
import json
import re

import pytest

from tests.opendata.conftest import CYCLE, before_cutoff, seed_field

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_country(content):
    seed_field(countries={"BE": 12, "FR": 10})
    # Latvia: four large cities with scores no one else has, alone in their population band.
    seed_field(countries={"LV": 4}, score=91.0, population=300_000)
    return content.version


def csv_rows(client, name: str) -> list[dict]:
    response = client.get(f"/open-data/downloads/{name}.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_api_shows_latvia_only_as_suppressed(client, small_country):
    body = client.get(f"/api/v1/datasets/{CYCLE}/{small_country}/aggregates").json()
    latvia = [g for g in body["groups"] if g["value"] == "LV"]
    assert len(latvia) == 1
    assert latvia[0]["suppressed"] and latvia[0]["authorities"] is None
    assert all(
        value is None
        for score in latvia[0]["scores"]
        for key, value in score.items()
        if key not in ("measure", "suppressed")
    )


def test_subtracting_published_groups_from_the_total_never_isolates_latvia(client, small_country):
    body = client.get(f"/api/v1/datasets/{CYCLE}/{small_country}/aggregates").json()
    groups = body["groups"]
    total = groups[0]
    for kind in ("country", "population_band"):
        cells = [g for g in groups if g["group"] == kind]
        published = [g for g in cells if not g["suppressed"]]
        suppressed = [g for g in cells if g["suppressed"]]
        remainder = total["authorities"] - sum(g["authorities"] for g in published)
        assert remainder >= 5 and len(suppressed) >= 2, kind
        for index, score in enumerate(total["scores"]):
            if score["n"] is None:
                continue
            rest = score["n"] - sum(g["scores"][index]["n"] for g in published)
            assert rest == 0 or rest >= 5


def test_no_download_gives_a_figure_for_latvia(client, small_country):
    rows = [r for r in csv_rows(client, "aggregates") if r["value"] == "LV"]
    assert rows
    figures = (
        "authorities",
        "n",
        "mean",
        "q1",
        "median",
        "q3",
        "band_initial",
        "band_developing",
        "band_established",
        "band_advanced",
    )
    for row in rows:
        assert row["suppressed"] == "true" and row["group_suppressed"] == "true"
        assert all(row[column] == "" for column in figures)
        assert row["license"] == "CC-BY-4.0"
    for name in ("changes", "items", "feedback"):
        assert all("LV" not in row.values() for row in csv_rows(client, name))


def test_the_page_says_not_published_for_latvia_and_nothing_else(client, small_country):
    html = client.get("/open-data/").content.decode()
    row = re.search(
        r"<tr>\s*<th scope=\"row\" class=\"fw-normal\">Latvia</th>(.*?)</tr>", html, re.S
    )
    assert row is not None
    text = re.sub(r"<[^>]+>", " ", row.group(1))
    assert text.split() == ["not", "published"]
    assert "91" not in html  # the Latvian scores (91.0 to 94.0) appear nowhere


def test_the_dcat_file_names_no_country(client, small_country):
    body = json.dumps(client.get("/open-data/dcat.jsonld").json())
    assert "LV" not in body and "Latvia" not in body


def test_csv_keeps_negative_changes_as_numbers_and_guards_formula_text(client, content):
    from feedback.models import OutcomeSummary
    from tests.factories import FeedbackRoundFactory, approved_peer

    for i in range(6):  # the same six towns, ten points lower in the later cycle
        for cycle, score in ((CYCLE - 1, 60.0 + i), (CYCLE, 50.0 + i)):
            approved_peer(
                name=f"Panel town {i}",
                country="BE",
                cycle=cycle,
                score=score,
                approved_at=before_cutoff(cycle),
            )
    closed = FeedbackRoundFactory(slug="closed", closed=True)
    OutcomeSummary.objects.create(
        round=closed, action=closed.actions.get(number=3), body='=HYPERLINK("http://example.org")'
    )
    changes = [r for r in csv_rows(client, "changes") if r["cycle"] == str(CYCLE)]
    assert changes[0]["mean_change"] == "-10.0" and changes[0]["n"] == "6"
    outcome = next(r["outcome"] for r in csv_rows(client, "feedback") if r["action"] == "3")
    assert outcome.startswith("'=")
