"""Round timing in Brussels time, and the demo rounds."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from feedback.demo import ensure_2020_round, load_demo_feedback
from feedback.models import Comment, FeedbackRound, OutcomeSummary
from feedback.rounds import brussels_window

pytestmark = pytest.mark.django_db


def test_a_round_opens_at_midnight_and_closes_at_23_59_59_brussels_time():
    opens_at, closes_at = brussels_window(dt.date(2020, 7, 22), dt.date(2020, 9, 9))
    assert opens_at.astimezone(dt.UTC) == dt.datetime(2020, 7, 21, 22, 0, tzinfo=dt.UTC)
    assert closes_at.astimezone(dt.UTC) == dt.datetime(2020, 9, 9, 21, 59, 59, tzinfo=dt.UTC)


def test_the_2020_round_is_open_only_in_its_window(content):
    round_2020 = ensure_2020_round()
    inside = dt.datetime(2020, 9, 9, 21, 59, 59, tzinfo=dt.UTC)
    assert round_2020.is_open(inside)
    assert list(FeedbackRound.objects.open_at(inside)) == [round_2020]
    assert not round_2020.is_open(inside + dt.timedelta(seconds=1))
    assert not round_2020.is_open(dt.datetime(2020, 7, 21, 21, 59, 59, tzinfo=dt.UTC))
    assert round_2020.actions.count() == 6


def test_demo_feedback_loads_both_rounds(content):
    assert load_demo_feedback() > 0
    round_2020 = FeedbackRound.objects.get(slug="draft-action-plan-2020")
    assert round_2020.has_closed()
    assert OutcomeSummary.objects.filter(round=round_2020).count() == 6
    published = Comment.objects.filter(round=round_2020, status="published")
    assert published.count() >= 12
    assert published.filter(response__isnull=False).exists()
    demo = FeedbackRound.objects.get(slug="demo-open-round")
    assert demo.is_open() and demo.actions.count() == 6
    assert timezone.localtime(demo.closes_at).time() == dt.time(23, 59, 59)
    assert Comment.objects.filter(round=demo, status="pending").exists()


def test_demo_feedback_twice_changes_nothing(content):
    load_demo_feedback()
    snapshot = list(Comment.objects.order_by("pk").values())
    rounds = list(FeedbackRound.objects.order_by("pk").values())
    assert load_demo_feedback() == 0
    assert list(Comment.objects.order_by("pk").values()) == snapshot
    assert list(FeedbackRound.objects.order_by("pk").values()) == rounds


def test_an_expired_demo_round_is_opened_again(content):
    load_demo_feedback()
    with time_machine.travel(timezone.now() + dt.timedelta(days=100), tick=False):
        load_demo_feedback()
        assert FeedbackRound.objects.get(slug="demo-open-round").is_open()


def test_demo_feedback_without_actions_does_nothing(db):
    assert load_demo_feedback() == 0
