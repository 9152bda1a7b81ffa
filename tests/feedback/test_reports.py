"""Visitors report published comments; three different visitors hide a comment."""

import pytest
from django.urls import reverse

from feedback.models import Comment, ModerationEvent, Report
from tests.factories import CommentFactory
from tests.feedback.conftest import report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_round):
    return CommentFactory(round=open_round, published=True, body="A published comment text.")


def report(client, comment, address="203.0.113.1", agent="Firefox", **overrides):
    return client.post(reverse("feedback:report", args=[comment.pk]), report_data(**overrides),
                       REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def test_a_visitor_reports_a_comment(client, published):
    assert "Report a comment" in client.get(
        reverse("feedback:report", args=[published.pk])).content.decode()
    response = report(client, published, reason="offensive")
    assert response.status_code == 302
    assert "Thank you for your report" in client.get(response.url).content.decode()
    stored = Report.objects.get()
    assert stored.reason == "offensive" and len(stored.visitor_hash) == 64
    assert "203.0.113.1" not in stored.visitor_hash


def test_the_same_visitor_cannot_report_twice(client, published):
    report(client, published)
    response = report(client, published)
    assert response.status_code == 422
    assert "already reported this comment" in response.content.decode()
    assert Report.objects.count() == 1


def test_three_different_visitors_hide_the_comment_until_a_coordinator_decides(
        client, published, coordinator):
    report(client, published, address="203.0.113.1")
    report(client, published, address="203.0.113.1", agent="Chrome")  # another browser
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    report(client, published, address="203.0.113.9")
    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN
    event = ModerationEvent.objects.get()
    assert event.kind == "auto_hidden" and event.actor is None
    assert published.body not in client.get("/actions/3/").content.decode()
    client.force_login(coordinator)
    queue = client.get(reverse("feedback:moderation"), {"queue": "reported"}).content.decode()
    assert published.body in queue
    client.post(reverse("feedback:moderation_decide", args=[published.pk, "unhide"]))
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


def test_a_report_needs_a_valid_reason(client, published):
    response = report(client, published, reason="boring")
    assert response.status_code == 422
    assert "Choose one of the listed reasons" in response.content.decode()
    assert not Report.objects.exists()


def test_report_honeypot_is_refused(client, published):
    response = report(client, published, homepage="x")
    assert response.status_code == 422 and "hidden field" in response.content.decode()
    assert not Report.objects.exists()


def test_reports_are_rate_limited(client, published, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    report(client, published)
    response = report(client, published, agent="Other")
    assert response.status_code == 429
    assert Report.objects.count() == 1


@pytest.mark.parametrize("trait", ["pending", "hidden", "rejected"])
def test_unpublished_comments_cannot_be_reported(client, open_round, trait):
    comment = CommentFactory(round=open_round, **({} if trait == "pending" else {trait: True}))
    assert client.get(reverse("feedback:report", args=[comment.pk])).status_code == 404
