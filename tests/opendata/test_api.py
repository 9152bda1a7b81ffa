"""The open-data API through the client: figures, headers, pagination, errors."""

import pytest
import time_machine

from tests.opendata.conftest import CYCLE, before_cutoff

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(content):
    return content.version


def aggregates_url(version: str, cycle: int = CYCLE) -> str:
    return f"/api/v1/datasets/{cycle}/{version}/aggregates"


def test_datasets_lists_the_cycles_with_approved_assessments(client, field, version):
    body = client.get("/api/v1/datasets").json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "cycle": CYCLE,
        "questionnaire_version": version,
        "aggregates": aggregates_url(version),
        "items": f"/api/v1/datasets/{CYCLE}/{version}/items",
    }
    assert body["license"]["id"] == "CC-BY-4.0"


def test_aggregates_give_quartiles_of_all_authorities(client, field, version):
    body = client.get(aggregates_url(version)).json()
    everyone = body["groups"][0]
    assert (everyone["group"], everyone["value"], everyone["authorities"]) == ("all", "", 26)
    overall = everyone["scores"][0]
    assert overall["measure"] == "overall" and overall["n"] == 26
    assert overall["q1"] <= overall["median"] <= overall["q3"]
    assert sum(overall["bands"].values()) == 26
    assert body["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_country_under_five_and_its_complement_are_suppressed(client, field, version):
    groups = client.get(aggregates_url(version) + "?group=country").json()["groups"]
    by_country = {g["value"]: g for g in groups}
    assert by_country["BE"]["authorities"] == 12
    for country in ("LV", "FR"):  # LV has 4; FR is withheld so that LV = total - BE - FR fails
        assert by_country[country]["suppressed"] is True
        assert by_country[country]["authorities"] is None
        assert all(s["n"] is None and s["median"] is None for s in by_country[country]["scores"])


def test_unknown_dataset_is_a_404_with_a_message(client, field, version):
    response = client.get(aggregates_url(version, cycle=1999))
    assert response.status_code == 404
    assert "No approved assessments" in response.json()["detail"]


def test_a_malformed_cycle_is_a_422_not_a_500(client, field):
    response = client.get("/api/v1/datasets/abc/2024.1/aggregates")
    assert response.status_code in (404, 422)


def test_responses_are_cacheable_with_an_etag_and_answer_304(client, field, version):
    first = client.get(aggregates_url(version))
    assert first["Cache-Control"] == "public, max-age=300"
    again = client.get(aggregates_url(version), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""


def test_any_origin_may_read_but_not_write(client, field, version):
    response = client.get(aggregates_url(version), headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        aggregates_url(version),
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post(aggregates_url(version)).status_code == 405
    assert client.delete(aggregates_url(version)).status_code == 405


def test_the_rest_of_the_site_gets_no_cors_header(client, field):
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_item_shares_are_paginated(client, content, version):
    from tests.factories import AssessmentFactory

    with time_machine.travel(before_cutoff(CYCLE), tick=False):
        for i in range(5):
            AssessmentFactory(approved=True, authority__name=f"Answering town {i}", cycle=CYCLE)
    body = client.get(f"/api/v1/datasets/{CYCLE}/{version}/items?page_size=3").json()
    assert body["page_size"] == 3 and len(body["results"]) == 3
    assert body["next"] == f"/api/v1/datasets/{CYCLE}/{version}/items?page_size=3&page=2"
    item = body["results"][0]
    assert item["n"] == 5 and not item["suppressed"]
    assert sum(level["authorities"] for level in item["levels"]) + item["not_applicable"] == 5
    pages = -(-body["count"] // 3)
    last = client.get(f"/api/v1/datasets/{CYCLE}/{version}/items?page={pages}&page_size=3")
    assert last.status_code == 200 and last.json()["next"] is None


def test_a_page_past_the_last_is_a_404_and_not_stored(client, field, version):
    from django.core.cache import cache

    response = client.get("/api/v1/datasets?page=2")  # one dataset: a single page
    assert response.status_code == 404
    assert "page" in response.json()["detail"].lower()
    keys_before = len(cache._cache)  # locmem: how many entries the cache holds
    for page in (3, 99_999):
        assert client.get(f"/api/v1/datasets?page={page}").status_code == 404
    assert len(cache._cache) == keys_before


def test_items_answered_by_fewer_than_five_are_suppressed(client, content, version):
    from tests.factories import AssessmentFactory

    with time_machine.travel(before_cutoff(CYCLE), tick=False):
        for i in range(4):
            AssessmentFactory(approved=True, authority__name=f"Few town {i}", cycle=CYCLE)
    body = client.get(f"/api/v1/datasets/{CYCLE}/{version}/items").json()
    assert body["count"] > 0
    assert all(item["suppressed"] and item["levels"] is None for item in body["results"])


def test_feedback_rounds_give_counts_and_outcomes(client, content):
    from feedback.models import OutcomeSummary
    from tests.factories import CommentFactory, FeedbackRoundFactory

    closed = FeedbackRoundFactory(title="Closed round", slug="closed", closed=True)
    CommentFactory(round=closed, published=True)
    CommentFactory(round=closed, rejected=True, body="Spam spam spam.")
    OutcomeSummary.objects.create(
        round=closed, action=closed.actions.get(number=3), body="We added a step on lighting."
    )
    body = client.get("/api/v1/feedback/rounds").json()
    action = next(a for a in body["results"][0]["actions"] if a["action"] == 3)
    assert (action["received"], action["published"], action["rejected"]) == (2, 1, 1)
    assert action["outcome"] == "We added a step on lighting."


def test_the_openapi_schema_is_served_with_the_open_data_headers(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/datasets/{cycle}/{version}/aggregates" in schema["paths"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_rate_limit_answers_429_once_an_address_is_over_it(client, db, settings):
    settings.OPENDATA_RATE_LIMIT = (3, 60)
    statuses = [client.get("/api/v1/datasets").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/datasets")
    assert int(refused["Retry-After"]) >= 1
    other = client.get("/api/v1/datasets", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_rate_limit_ignores_a_forged_forwarded_for_header(client, db, settings):
    settings.OPENDATA_RATE_LIMIT = (2, 60)
    statuses = [
        client.get("/api/v1/datasets", headers={"X-Forwarded-For": f"10.1.1.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses[-1] == 429


def test_rate_limit_counts_in_the_shared_cache_not_in_the_process(client, db, settings):
    from django.core.cache import cache

    settings.OPENDATA_RATE_LIMIT = (1, 60)
    client.get("/api/v1/datasets")
    assert client.get("/api/v1/datasets").status_code == 429
    cache.clear()  # the count lives in the cache that every worker shares, nowhere else
    assert client.get("/api/v1/datasets").status_code == 200


def test_a_french_reader_gets_the_same_cached_answer_as_everyone(client, field, version):
    english = client.get(aggregates_url(version)).content
    client.cookies["django_language"] = "fr"
    french = client.get(aggregates_url(version), headers={"Accept-Language": "fr"})
    assert french.content == english
    assert french.json()["population_bands"]["lt50k"] == "under 50,000"


def test_unknown_query_parameters_are_answered_but_not_cached(client, field, version):
    from django.core.cache import cache

    client.get(f"{aggregates_url(version)}?junk=warm")  # figures and counters in the cache
    before = len(cache._cache)  # locmem: how many entries the cache holds
    for i in range(5):
        assert client.get(f"{aggregates_url(version)}?junk={i}").status_code == 200
    assert len(cache._cache) == before  # five answers, no new entry


def test_head_answers_like_get_without_a_body(client, field, version):
    get = client.get(aggregates_url(version))
    head = client.head(aggregates_url(version))
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.head("/open-data/downloads/aggregates.csv").status_code == 200


def test_a_reader_with_a_session_gets_a_private_answer_never_stored(client, field, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/datasets")
    assert response["Cache-Control"] == "private, no-store"
    assert response["ETag"]
