"""A form token is spent by the post that succeeds: replaying it is refused, whatever the form.

The spent tokens live in the database, so every process (and every cache backend) sees them.
"""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from feedback.antispam import issue_form_token
from feedback.models import Comment, PageFeedback, Report
from tests.factories import CommentFactory, FeedbackRoundFactory
from tests.feedback.conftest import comment_data, report_data, useful_data

pytestmark = pytest.mark.django_db
COMMENT_URL = reverse("feedback:comment", args=[3])


def hidden_token(html: str) -> str:
    return html.split('name="form_token" value="', 1)[1].split('"', 1)[0]


def test_a_replayed_comment_token_is_refused_with_a_fresh_form(client, open_round):
    token = issue_form_token(purpose="comment")
    assert client.post(COMMENT_URL, comment_data(form_token=token)).status_code == 302
    response = client.post(
        COMMENT_URL,
        comment_data(form_token=token, body="Another text sent with the very same form token."),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "This form has already been sent" in html
    assert "Another text sent with the very same form token." in html  # nothing typed is lost
    fresh = hidden_token(html)
    assert fresh and fresh != token
    assert Comment.objects.count() == 1
    again = client.post(
        COMMENT_URL,
        comment_data(form_token=fresh, body="Another text sent with the very same form token."),
    )
    assert again.status_code == 302 and Comment.objects.count() == 2


def test_a_refused_post_does_not_spend_its_token(client, open_round):
    token = issue_form_token(purpose="comment")
    assert client.post(COMMENT_URL, comment_data(form_token=token, body="short")).status_code == 422
    assert client.post(COMMENT_URL, comment_data(form_token=token)).status_code == 302


def test_a_replayed_page_vote_token_is_refused(client, content):
    token = issue_form_token(purpose="useful")
    assert client.post(reverse("feedback:useful"), useful_data(form_token=token)).status_code == 302
    response = client.post(reverse("feedback:useful"), useful_data(form_token=token))
    assert response.status_code == 422
    assert "This form has already been sent" in response.content.decode()
    assert PageFeedback.objects.count() == 1


def test_a_replayed_report_token_is_refused_from_another_address(client, open_round):
    first = CommentFactory(round=open_round, published=True)
    second = CommentFactory(round=open_round, published=True)
    token = issue_form_token(purpose="report")
    assert (
        client.post(
            reverse("feedback:report", args=[first.pk]),
            report_data(form_token=token),
            REMOTE_ADDR="203.0.113.1",
        ).status_code
        == 302
    )
    response = client.post(
        reverse("feedback:report", args=[second.pk]),
        report_data(form_token=token),
        REMOTE_ADDR="203.0.113.2",
    )
    assert response.status_code == 422
    assert "This form has already been sent" in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_token_create_one_comment(content):
    FeedbackRoundFactory(slug="concurrent")
    token = issue_form_token(purpose="comment")
    start = threading.Barrier(2)
    statuses = []

    def post(body: str) -> None:
        try:
            start.wait()
            statuses.append(
                Client()
                .post(
                    COMMENT_URL,
                    comment_data(form_token=token, body=body),
                    REMOTE_ADDR="203.0.113.7",
                )
                .status_code
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(f"Concurrent comment number {n} here.",))
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The loser is refused: 422 "already sent", or a 503 "try again" where the test database
    # is in-memory SQLite, whose shared-cache table lock does not wait as a file database does.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert sorted(statuses)[0] == 302 and sorted(statuses)[1] in (
        {422, 503} if in_memory else {422}
    ), statuses
    assert Comment.objects.count() == 1


# --- The time trap only catches what no person does -------------------------------------------


def post_after(client, seconds: float):
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC), tick=False) as clock:
        FeedbackRoundFactory(slug="later")  # open around the travelled-to date
        token = issue_form_token(purpose="comment")
        clock.shift(seconds)
        return client.post(COMMENT_URL, comment_data(form_token=token))


@pytest.fixture
def default_time_trap(settings):
    del settings.FEEDBACK_MIN_SECONDS  # the shipped default, not the tests' 0


def test_a_comment_posted_half_a_second_after_the_page_loaded_is_refused_kindly(
    client, content, default_time_trap
):
    response = post_after(client, 0.5)
    html = response.content.decode()
    assert response.status_code == 422 and Comment.objects.count() == 0
    assert "sent too quickly" in html
    assert "wait a moment and send it again" in html
    assert "error rates for every group" in html  # the text is kept


def test_a_comment_pasted_and_posted_after_one_and_a_half_seconds_is_accepted(
    client, content, default_time_trap
):
    assert post_after(client, 1.5).status_code == 302
    assert Comment.objects.count() == 1
