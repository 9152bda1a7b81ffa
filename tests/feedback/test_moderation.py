"""Coordinators moderate and answer; Action leaders answer their Actions; others are refused."""

import pytest
from django.urls import reverse

from feedback.models import ActionLeader, Comment, ModerationEvent, OfficialResponse, Report
from tests.factories import CommentFactory, FeedbackRoundFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Comment.Status


def decide(client, comment, decision, **data):
    return client.post(reverse("feedback:moderation_decide", args=[comment.pk, decision]), data)


@pytest.fixture
def pending(open_round):
    return CommentFactory(round=open_round, email="author@example.org")


@pytest.fixture
def leader(content):
    from actions.models import Action

    user = UserFactory(username="leader")
    ActionLeader.objects.create(action=Action.objects.get(number=3), user=user)
    return user


# --- Access --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, pending):
    for url in [
        reverse("feedback:moderation"),
        reverse("feedback:moderation_comment", args=[pending.pk]),
        reverse("feedback:moderation_export"),
        reverse("feedback:moderation_pages"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_officers_are_refused(client, officer, pending):
    client.force_login(officer)
    assert client.get(reverse("feedback:moderation")).status_code == 403
    assert client.get(reverse("feedback:moderation_comment", args=[pending.pk])).status_code == 403
    assert decide(client, pending, "publish").status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_coordinator_sees_the_pending_queue_and_the_nav_link(
    client, coordinator, pending, open_round
):
    CommentFactory(round=open_round, published=True, body="Already published text.")
    client.force_login(coordinator)
    html = client.get(reverse("feedback:moderation")).content.decode()
    assert pending.body in html and "Already published text." not in html
    assert 'href="/feedback/moderation/"' in client.get("/").content.decode()


def test_queue_queries_do_not_grow(client, coordinator, open_round, django_assert_max_num_queries):
    client.force_login(coordinator)
    for count in (3, 30):
        CommentFactory.create_batch(count, round=open_round)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("feedback:moderation"), {"queue": "all"}).status_code == 200


def test_invalid_filters_are_explained(client, coordinator, pending):
    client.force_login(coordinator)
    response = client.get(reverse("feedback:moderation"), {"action": "9", "status": "nope"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


# --- Decisions -------------------------------------------------------------------------------


def test_publish_is_logged_with_who_and_when(client, coordinator, pending):
    client.force_login(coordinator)
    response = decide(client, pending, "publish")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED and pending.published_at
    event = ModerationEvent.objects.get()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "published",
        coordinator,
        "pending",
        "published",
    )
    html = client.get(reverse("feedback:moderation_comment", args=[pending.pk])).content.decode()
    assert "Published — Test Coordinator" in html


def test_publish_from_the_queue_returns_to_the_queue(client, coordinator, pending):
    client.force_login(coordinator)
    response = decide(client, pending, "publish", next="/feedback/moderation/?queue=pending")
    assert response.url == "/feedback/moderation/?queue=pending"
    response = decide(client, pending, "hide", next="https://evil.example/")
    assert response.url == reverse("feedback:moderation_comment", args=[pending.pk])


def test_reject_needs_a_reason(client, coordinator, pending):
    client.force_login(coordinator)
    url = reverse("feedback:moderation_reject", args=[pending.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert "Give a reason for rejecting" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    client.post(url, {"reason": "Advertising."})
    pending.refresh_from_db()
    assert pending.status == Status.REJECTED and pending.rejection_reason == "Advertising."
    assert ModerationEvent.objects.get().note == "Advertising."


def test_hide_and_unhide(client, coordinator, pending):
    client.force_login(coordinator)
    decide(client, pending, "publish")
    decide(client, pending, "hide")
    pending.refresh_from_db()
    assert pending.status == Status.HIDDEN
    assert pending.body not in client.get("/actions/3/").content.decode()
    decide(client, pending, "unhide")
    pending.refresh_from_db()
    assert pending.status == Status.PUBLISHED
    assert list(pending.events.values_list("kind", flat=True)) == [
        "published",
        "hidden",
        "unhidden",
    ]


def test_an_impossible_decision_gives_a_message(client, coordinator, pending):
    client.force_login(coordinator)
    response = decide(client, pending, "unhide")
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "that decision is not possible now" in html
    assert not ModerationEvent.objects.exists()


def test_unknown_decision_gives_a_message(client, coordinator, pending):
    client.force_login(coordinator)
    response = decide(client, pending, "explode")
    assert "Unknown decision" in client.get(response.url).content.decode()


def test_coordinator_answers_and_the_public_sees_the_response(client, coordinator, pending):
    client.force_login(coordinator)
    decide(client, pending, "publish")
    url = reverse("feedback:moderation_respond", args=[pending.pk])
    assert client.post(url, {"body": ""}).status_code == 422
    client.post(url, {"body": "Thank you, we <will> add this."})
    client.post(url, {"body": "Thank you, we <will> add this to the plan."})
    response = OfficialResponse.objects.get()
    assert response.role == "coordinators" and response.author == coordinator
    client.logout()
    html = client.get("/actions/3/").content.decode()
    assert "we &lt;will&gt; add this to the plan." in html


def test_erasing_personal_data_keeps_the_count(client, coordinator, pending):
    client.force_login(coordinator)
    decide(client, pending, "publish")
    decide(client, pending, "erase")
    pending.refresh_from_db()
    assert (pending.display_name, pending.email, pending.body) == ("", "", "")
    assert pending.personal_data_erased_at and pending.status == Status.PUBLISHED
    assert "erased at its author" in client.get("/actions/3/").content.decode()
    summary = client.get(reverse("feedback:round", args=[pending.round.slug])).content.decode()
    assert "1 comments received, 1 of them published" in summary
    assert ModerationEvent.objects.filter(kind="erased", actor=coordinator).exists()


def test_email_is_shown_to_coordinators_only(client, coordinator, leader, pending):
    client.force_login(coordinator)
    url = reverse("feedback:moderation_comment", args=[pending.pk])
    assert "author@example.org" in client.get(url).content.decode()
    client.force_login(leader)
    assert "author@example.org" not in client.get(url).content.decode()


# --- Reports in the queue ----------------------------------------------------------------------


def test_reported_queue_and_keep_published(client, coordinator, open_round):
    comment = CommentFactory(round=open_round, published=True, body="Reported comment text.")
    Report.objects.create(comment=comment, reason="spam", reporter_hash="a")
    client.force_login(coordinator)
    html = client.get(reverse("feedback:moderation"), {"queue": "reported"}).content.decode()
    assert "Reported comment text." in html
    decide(client, comment, "keep")
    html = client.get(reverse("feedback:moderation"), {"queue": "reported"}).content.decode()
    assert "Reported comment text." not in html
    assert comment.events.get().kind == "kept"


# --- Action leaders ------------------------------------------------------------------------------


def test_leader_answers_comments_of_their_action_only(client, leader, open_round):
    own = CommentFactory(round=open_round, published=True)
    other = CommentFactory(
        round=open_round, published=True, action=open_round.actions.get(number=4)
    )
    client.force_login(leader)
    queue = client.get(reverse("feedback:moderation")).content.decode()
    assert own.body in queue and other.body not in queue
    assert client.get(reverse("feedback:moderation_comment", args=[other.pk])).status_code == 404
    client.post(reverse("feedback:moderation_respond", args=[own.pk]), {"body": "From the lead."})
    assert OfficialResponse.objects.get().role == "leader"
    assert "Official response from the Action leader" in client.get("/actions/3/").content.decode()


def test_leader_cannot_publish_or_hide(client, leader, open_round):
    pending = CommentFactory(round=open_round)
    client.force_login(leader)
    assert decide(client, pending, "publish").status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


# --- Rounds and outcomes -----------------------------------------------------------------------


def test_coordinator_switches_a_round_to_post_moderation(client, coordinator, open_round):
    client.force_login(coordinator)
    assert client.get(reverse("feedback:moderation_rounds")).status_code == 200
    client.post(reverse("feedback:moderation_mode", args=[open_round.slug]), {"moderation": "post"})
    open_round.refresh_from_db()
    assert open_round.publishes_at_once
    client.post(
        reverse("feedback:moderation_mode", args=[open_round.slug]), {"moderation": "nonsense"}
    )
    open_round.refresh_from_db()
    assert open_round.moderation == "post"


def test_a_moderation_mode_change_is_logged_with_who_made_it(
    client, coordinator, open_round, caplog
):
    client.force_login(coordinator)
    with caplog.at_level("INFO", logger="feedback.moderation"):
        client.post(
            reverse("feedback:moderation_mode", args=[open_round.slug]), {"moderation": "post"}
        )
        client.post(
            reverse("feedback:moderation_mode", args=[open_round.slug]), {"moderation": "post"}
        )

    changes = [r.getMessage() for r in caplog.records if r.name == "feedback.moderation"]
    assert changes == [
        f"Moderation of round {open_round.slug} changed from pre to post by user {coordinator.pk}"
    ]


def test_outcome_only_after_the_round(client, coordinator, open_round, content):
    client.force_login(coordinator)
    url = reverse("feedback:moderation_outcome", args=[open_round.slug, 3])
    assert "once the round has closed" in client.get(url).content.decode()
    response = client.post(url, {"body": "Too early."})
    assert response.status_code == 422
    assert not open_round.outcomes.exists()
    closed = FeedbackRoundFactory(closed=True)
    url = reverse("feedback:moderation_outcome", args=[closed.slug, 3])
    assert client.post(url, {"body": ""}).status_code == 422
    assert client.post(url, {"body": "We changed the title."}).status_code == 302
    assert "We changed the title." in client.get("/actions/3/").content.decode()
    summary = client.get(reverse("feedback:round", args=[closed.slug])).content.decode()
    assert "We changed the title." in summary


def test_leader_writes_the_outcome_of_their_action_only(client, leader, content):
    closed = FeedbackRoundFactory(closed=True)
    client.force_login(leader)
    ok = client.post(
        reverse("feedback:moderation_outcome", args=[closed.slug, 3]), {"body": "Done."}
    )
    assert ok.status_code == 302
    refused = client.post(
        reverse("feedback:moderation_outcome", args=[closed.slug, 4]), {"body": "Not mine."}
    )
    assert refused.status_code == 403
