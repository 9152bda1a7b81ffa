"""E-mail addresses are erased a set number of months after a round closes (frozen clock)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from feedback.demo import ensure_2020_round
from tests.factories import CommentFactory, FeedbackRoundFactory

pytestmark = pytest.mark.django_db
BRUSSELS = dt.timezone(dt.timedelta(hours=1))  # winter time, as in March


@pytest.fixture
def comments(content):
    round_2020 = ensure_2020_round()  # closes 9 September 2020, 23:59:59 Brussels
    later = FeedbackRoundFactory(
        opens_at=dt.datetime(2020, 10, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2020, 12, 1, tzinfo=dt.UTC),
    )
    return (
        CommentFactory(round=round_2020, email="a@example.org", published=True),
        CommentFactory(round=later, email="b@example.org"),
    )


def run(capsys, *args) -> str:
    call_command("erase_feedback_emails", *args)
    return capsys.readouterr().out


def test_nothing_is_erased_before_six_months(comments, capsys):
    with time_machine.travel(dt.datetime(2021, 3, 9, 23, 59, 58, tzinfo=BRUSSELS), tick=False):
        assert "Erased 0 e-mail address(es)" in run(capsys)
    first, _ = comments
    first.refresh_from_db()
    assert first.email == "a@example.org"


def test_emails_are_erased_six_months_after_closing_and_only_there(comments, capsys):
    with time_machine.travel(dt.datetime(2021, 3, 10, 0, 0, 0, tzinfo=BRUSSELS), tick=False):
        assert "Erased 1 e-mail address(es) from 1 feedback round(s)" in run(capsys)
        assert "Erased 0" in run(capsys)  # a second run the same day changes nothing
    first, second = comments
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email == "" and first.email_erased_at is not None
    assert first.body and first.status == "published"
    assert second.email == "b@example.org"


def test_the_retention_is_a_setting(comments, capsys, settings):
    settings.FEEDBACK_EMAIL_RETENTION_MONTHS = 1
    with time_machine.travel(dt.datetime(2021, 1, 2, tzinfo=dt.UTC), tick=False):
        assert "Erased 2 e-mail address(es) from 2 feedback round(s)" in run(capsys)


def test_months_can_be_given_for_one_run(comments, capsys):
    with time_machine.travel(dt.datetime(2020, 10, 10, tzinfo=dt.UTC), tick=False):
        assert "Erased 1" in run(capsys, "--months", "1")


def test_month_ends_are_clamped():
    from feedback.rounds import add_months

    moment = dt.datetime(2020, 8, 31, 12, 0, tzinfo=dt.UTC)
    assert add_months(moment, 6).date() == dt.date(2021, 2, 28)
    assert add_months(moment, 18).date() == dt.date(2022, 2, 28)
    assert add_months(dt.datetime(2023, 8, 31, 12, tzinfo=dt.UTC), 6).date() == dt.date(2024, 2, 29)
