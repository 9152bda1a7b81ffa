"""What an Action page shows of feedback before, during and after a round."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from feedback.models import OfficialResponse, OutcomeSummary
from tests.factories import CommentFactory, FeedbackRoundFactory

pytestmark = pytest.mark.django_db


def page(client, number=3, **params):
    return client.get(f"/actions/{number}/", params).content.decode()


def test_open_round_shows_summary_time_left_and_form(client, open_round):
    html = page(client)
    assert "“Open round” is open for comments until" in html
    assert "days left" in html
    assert "Summary of the draft text" in html
    assert "The draft Action proposes to evaluate" in html
    assert 'action="/feedback/actions/3/comment/"' in html


def test_last_day_counts_hours(client, content):
    FeedbackRoundFactory(
        title="Last day",
        opens_at=timezone.now() - dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(hours=5, minutes=10),
    )
    assert "5 hours left" in page(client)


def test_upcoming_round_says_when_it_opens_and_shows_no_form(client, content):
    round_ = FeedbackRoundFactory(title="Autumn round", upcoming=True)
    html = page(client)
    opens = timezone.localtime(round_.opens_at).strftime("%-d %B %Y")
    assert f"“Autumn round” opens on {opens}" in html
    assert 'name="body"' not in html


def test_closed_round_says_when_it_closed_and_shows_its_outcome(client, content):
    round_ = FeedbackRoundFactory(title="Old round", closed=True)
    OutcomeSummary.objects.create(
        round=round_, action=round_.actions.get(number=3), body="We added <inclusion> to the title."
    )
    html = page(client)
    closed = timezone.localtime(round_.closes_at).strftime("%-d %B %Y")
    assert f"“Old round” closed on {closed}" in html
    assert "What we changed after your feedback" in html
    assert "We added &lt;inclusion&gt; to the title." in html
    assert 'name="body"' not in html


@time_machine.travel(dt.datetime(2020, 9, 9, 21, 59, 58, tzinfo=dt.UTC), tick=False)
def test_the_2020_round_is_open_until_23_59_59_brussels_time(client, content):
    from feedback.demo import ensure_2020_round

    ensure_2020_round()
    html = page(client)
    assert "is open for comments until 9 September 2020, 23:59" in html
    assert "less than an hour left" in html


@time_machine.travel(dt.datetime(2020, 9, 9, 22, 0, 0, tzinfo=dt.UTC), tick=False)
def test_the_2020_round_is_closed_at_midnight_brussels_time(client, content):
    from feedback.demo import ensure_2020_round

    ensure_2020_round()
    assert "closed on 9 September 2020" in page(client)


def test_action_without_round_says_so(client, content):
    assert "There is no public feedback round for this Action." in page(client)


def test_only_published_comments_are_listed_newest_first(client, open_round):
    now = timezone.now()
    CommentFactory(
        round=open_round,
        published=True,
        body="Older published comment.",
        published_at=now - dt.timedelta(days=2),
    )
    CommentFactory(
        round=open_round,
        published=True,
        body="Newer published comment.",
        published_at=now - dt.timedelta(days=1),
    )
    CommentFactory(round=open_round, body="Pending comment here.")
    CommentFactory(round=open_round, hidden=True, body="Hidden comment here.")
    CommentFactory(round=open_round, rejected=True, body="Rejected comment here.")
    html = page(client)
    assert html.index("Newer published comment.") < html.index("Older published comment.")
    assert "Pending comment" not in html and "Hidden comment" not in html
    assert "Rejected comment" not in html
    assert "Published comments (2)" in html


def test_responses_are_shown_under_their_comment(client, open_round, coordinator):
    comment = CommentFactory(round=open_round, published=True, body="Please publish results.")
    OfficialResponse.objects.create(comment=comment, body="We will, thank you.", author=coordinator)
    html = page(client)
    assert html.index("Please publish results.") < html.index("We will, thank you.")
    assert "Official response from the partnership coordinators" in html


def test_comments_come_20_per_page(client, open_round):
    now = timezone.now()
    for n in range(45):
        CommentFactory(
            round=open_round,
            published=True,
            body=f"Comment number {n:02d} text.",
            published_at=now - dt.timedelta(minutes=n),
        )
    first = page(client)
    assert first.count('class="feedback-comment"') == 20
    assert "Comment number 00" in first and "Comment number 20" not in first
    assert "Page 1 of 3" in first and "?comments=2#comments" in first
    third = page(client, comments=3)
    assert third.count('class="feedback-comment"') == 5
    assert "Comment number 44" in third
    assert page(client, comments="nonsense").count('class="feedback-comment"') == 20


@pytest.mark.parametrize("count", [3, 30])
def test_action_page_queries_do_not_grow_with_comments(
    client, open_round, coordinator, django_assert_max_num_queries, count
):
    for n in range(count):
        comment = CommentFactory(round=open_round, published=True, body=f"Comment {n} text.")
        if n % 2:
            OfficialResponse.objects.create(comment=comment, body="Answer.", author=coordinator)
    closed = FeedbackRoundFactory(closed=True)
    OutcomeSummary.objects.create(round=closed, action=closed.actions.get(number=3), body="x")
    with django_assert_max_num_queries(8):
        response = client.get("/actions/3/")
    assert response.status_code == 200
