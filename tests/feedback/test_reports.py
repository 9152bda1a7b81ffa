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
    return client.post(
        reverse("feedback:report", args=[comment.pk]),
        report_data(**overrides),
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )


def test_a_visitor_reports_a_comment(client, published):
    assert (
        "Report a comment"
        in client.get(reverse("feedback:report", args=[published.pk])).content.decode()
    )
    response = report(client, published, reason="offensive")
    assert response.status_code == 302
    assert "Thank you for your report" in client.get(response.url).content.decode()
    stored = Report.objects.get()
    assert stored.reason == "offensive" and len(stored.reporter_hash) == 64
    assert "203.0.113.1" not in stored.reporter_hash


def test_the_same_visitor_cannot_report_twice(client, published):
    report(client, published)
    response = report(client, published)
    assert response.status_code == 422
    assert "already reported this comment" in response.content.decode()
    assert Report.objects.count() == 1


def test_changing_the_user_agent_three_times_from_one_address_does_not_hide(client, published):
    for agent in ["Firefox", "Chrome", "Safari"]:
        report(client, published, address="203.0.113.1", agent=agent)
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    assert Report.objects.count() == 1


def test_addresses_of_one_ipv6_network_count_as_one_reporter(client, published):
    for host in ["1", "2", "abcd"]:
        report(client, published, address=f"2001:db8:1:2::{host}")
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    assert Report.objects.count() == 1


def test_three_different_addresses_hide_the_comment_until_a_coordinator_decides(
    client, published, coordinator
):
    report(client, published, address="203.0.113.1")
    report(client, published, address="203.0.113.2", agent="Chrome")
    published.refresh_from_db()
    assert published.status == Comment.Status.PUBLISHED
    response = report(client, published, address="2001:db8::9")
    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN
    assert "Thank you for your report" in client.get(response.url).content.decode()
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


@pytest.fixture
def auto_hidden(client, published):
    for n, reason in enumerate(["spam", "offensive", "off_topic"], start=1):
        report(client, published, address=f"198.51.100.{n}", reason=reason)
    published.refresh_from_db()
    assert published.status == Comment.Status.HIDDEN
    return published


def test_the_coordinators_queue_lists_auto_hidden_comments_with_their_reporters(
    client, auto_hidden, coordinator
):
    client.force_login(coordinator)
    html = client.get(reverse("feedback:moderation")).content.decode()  # the default queue
    assert auto_hidden.body in html
    assert "Hidden after reports" in html
    for reason in ["Spam or advertising", "Offensive or abusive", "Off-topic"]:
        assert reason in html
    for stored in Report.objects.all():
        assert stored.fingerprint in html and len(stored.fingerprint) == 8
    assert "198.51.100." not in html


def test_a_coordinator_restores_an_auto_hidden_comment_in_one_step(
    client, auto_hidden, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        reverse("feedback:moderation_decide", args=[auto_hidden.pk, "restore"]),
        {"next": reverse("feedback:moderation")},
    )
    assert response.status_code == 302
    auto_hidden.refresh_from_db()
    assert auto_hidden.status == Comment.Status.PUBLISHED
    event = auto_hidden.events.last()
    assert event.kind == "restored" and event.actor == coordinator
    assert event.from_status == "hidden" and event.to_status == "published"
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert auto_hidden.body in client.get("/actions/3/").content.decode()
    assert auto_hidden.body not in client.get(reverse("feedback:moderation")).content.decode()


def test_only_auto_hidden_comments_can_be_restored(client, open_round, coordinator):
    hidden_by_hand = CommentFactory(round=open_round, hidden=True)
    client.force_login(coordinator)
    client.post(reverse("feedback:moderation_decide", args=[hidden_by_hand.pk, "restore"]))
    hidden_by_hand.refresh_from_db()
    assert hidden_by_hand.status == Comment.Status.HIDDEN


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("officer", 403), ("leader", 403)])
def test_only_coordinators_can_restore(client, auto_hidden, role, status, request):
    from feedback.models import ActionLeader
    from tests.factories import UserFactory

    if role == "officer":
        client.force_login(request.getfixturevalue("officer"))
    elif role == "leader":
        leader = UserFactory(username="leader3")
        ActionLeader.objects.create(action=auto_hidden.action, user=leader)
        client.force_login(leader)
    response = client.post(reverse("feedback:moderation_decide", args=[auto_hidden.pk, "restore"]))
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    auto_hidden.refresh_from_db()
    assert auto_hidden.status == Comment.Status.HIDDEN
    assert not auto_hidden.events.filter(kind="restored").exists()


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


@pytest.mark.parametrize("trait", ["pending", "hidden", "rejected"])
def test_the_report_receipt_of_an_unpublished_comment_is_404(client, open_round, trait):
    comment = CommentFactory(round=open_round, **({} if trait == "pending" else {trait: True}))
    assert client.get(reverse("feedback:report_done", args=[comment.pk])).status_code == 404


def test_the_report_receipt_of_a_published_comment_is_shown(client, published):
    assert client.get(reverse("feedback:report_done", args=[published.pk])).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_auto_hidden_list_takes_the_same_queries_whatever_its_length(
    client, open_round, coordinator, count, django_assert_max_num_queries
):
    CommentFactory.create_batch(count, round=open_round, auto_hidden=True)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("feedback:moderation")).content.decode()
    assert html.count('/restore/"') == count
