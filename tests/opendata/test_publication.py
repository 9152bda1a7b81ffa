"""A cycle is published once closed, with the approvals made before its cut-off only.

Tried as a reader comparing the open data before and after one approval would: after the
cut-off, in the current cycle, and in the grace months.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from portal.opendata.publication import cutoff_date
from tests.opendata.conftest import CYCLE, before_cutoff, seed_field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def published_urls(version: str, cycle: int = CYCLE) -> list[str]:
    return [
        "/api/v1/datasets",
        f"/api/v1/datasets/{cycle}/{version}/aggregates",
        f"/api/v1/datasets/{cycle}/{version}/aggregates?group=country",
        f"/api/v1/datasets/{cycle}/{version}/items",
        "/open-data/downloads/aggregates.csv",
        "/open-data/downloads/changes.csv",
        "/open-data/downloads/items.csv",
        "/open-data/dcat.jsonld",
        "/open-data/",
        f"/open-data/?dataset={cycle}:{version}",
    ]


def bodies(client, urls: list[str]) -> dict[str, str]:
    return {url: CSRF.sub("", client.get(url).content.decode()) for url in urls}


def approve_one(coordinator, *, cycle: int, name: str) -> None:
    from assessment import workflow
    from tests.factories import AssessmentFactory

    submitted = AssessmentFactory(submitted=True, authority__name=name, cycle=cycle)
    workflow.approve(assessment=submitted, by=coordinator, notify=False)


@pytest.mark.parametrize(
    ("cycle", "grace_months", "published_on"),
    [
        (2025, 3, dt.date(2026, 4, 1)),
        (2025, 0, dt.date(2026, 1, 1)),
        (2025, 11, dt.date(2026, 12, 1)),
        (2025, 12, dt.date(2027, 1, 1)),
    ],
)
def test_a_cycle_is_published_on_its_cut_off_day(cycle, grace_months, published_on):
    assert cutoff_date(cycle, grace_months=grace_months) == published_on


def test_the_current_cycle_is_not_published_anywhere(client, content):
    from assessment.cycles import current_cycle

    cycle = current_cycle()
    version = seed_field(countries={"BE": 12, "FR": 10}, cycle=cycle)[0].questionnaire.version
    assert client.get("/api/v1/datasets").json()["results"] == []
    assert client.get(f"/api/v1/datasets/{cycle}/{version}/aggregates").status_code == 404
    for name in ("aggregates", "changes", "items"):
        assert str(cycle) not in client.get(f"/open-data/downloads/{name}.csv").content.decode()
    assert str(cycle) not in client.get("/open-data/dcat.jsonld").content.decode()
    assert f"{cycle}" not in client.get("/open-data/").content.decode()


def test_an_approval_after_the_cut_off_changes_no_api_response_csv_or_page(
    client, field, coordinator, django_capture_on_commit_callbacks
):
    urls = published_urls(field[0].questionnaire.version)
    before = bodies(client, urls)
    assert "26 authorities have an approved assessment" in before["/open-data/"]
    with django_capture_on_commit_callbacks(execute=True):
        approve_one(coordinator, cycle=CYCLE, name="Late town")
    assert bodies(client, urls) == before


def test_an_approval_of_the_current_cycle_changes_nothing_published(
    client, field, coordinator, django_capture_on_commit_callbacks
):
    from assessment.cycles import current_cycle

    urls = published_urls(field[0].questionnaire.version)
    before = bodies(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        approve_one(coordinator, cycle=current_cycle(), name="This year's town")
    assert bodies(client, urls) == before


def test_an_approval_in_the_grace_months_counts_once_the_cycle_is_published(
    client, field, coordinator, django_capture_on_commit_callbacks
):
    version = field[0].questionnaire.version
    url = f"/api/v1/datasets/{CYCLE}/{version}/aggregates"
    with time_machine.travel(before_cutoff(CYCLE), tick=False):
        assert client.get("/api/v1/datasets").json()["results"] == []  # not yet closed
        with django_capture_on_commit_callbacks(execute=True):
            approve_one(coordinator, cycle=CYCLE, name="Grace town")
        assert client.get(url).status_code == 404
    with time_machine.travel(timezone.make_aware(dt.datetime(CYCLE + 1, 4, 1, 0, 1))):
        assert client.get(url).json()["groups"][0]["authorities"] == 27


def test_the_grace_months_are_a_setting(client, field, settings):
    settings.OPENDATA_GRACE_MONTHS = 0  # cut-off 1 January 2026: the seeds came too late
    assert client.get("/api/v1/datasets").json()["results"] == []
