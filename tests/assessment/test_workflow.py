"""The review workflow: every transition, every refusal, the event log, e-mail after commit,
and the database constraints that keep status and timestamps consistent."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment import benchmark, workflow
from assessment.models import Answer, Assessment, AssessmentEvent, Item, ItemComment
from assessment.scores import scorecard_for
from assessment.workflow import TransitionError
from tests.factories import AssessmentFactory, CoordinatorFactory, MembershipFactory

pytestmark = pytest.mark.django_db
Status = Assessment.Status


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server is down")


@pytest.fixture
def draft(content, authority, officer, colleague):
    return AssessmentFactory(authority=authority, complete=True)


@pytest.fixture
def submitted(draft, officer):
    workflow.submit(assessment=draft, by=officer, notify=False)
    return draft


@pytest.fixture
def returned(submitted, coordinator):
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, notify=False, comment="Please add evidence."
    )
    return submitted


@pytest.fixture
def approved(submitted, coordinator):
    workflow.approve(assessment=submitted, by=coordinator, notify=False)
    return submitted


def row(assessment: Assessment) -> dict:
    """Everything stored about the assessment, plus its events and answers."""
    return {
        "assessment": Assessment.objects.filter(pk=assessment.pk).values().get(),
        "events": list(AssessmentEvent.objects.filter(assessment=assessment).values()),
        "answers": list(Answer.objects.filter(assessment=assessment).order_by("pk").values()),
    }


# --- Submit --------------------------------------------------------------------------------


def test_submit_moves_a_complete_draft_to_submitted_and_stamps_who_and_when(draft, officer):
    before = timezone.now()
    workflow.submit(assessment=draft, by=officer, notify=False)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_by == officer
    assert draft.submitted_at >= before
    assert draft.revision == 2
    assert draft.submitted_scores == scorecard_for(draft).to_dict()
    event = AssessmentEvent.objects.get(assessment=draft)
    assert (event.actor, event.from_status, event.to_status) == (officer, "draft", "submitted")


def test_submit_refuses_an_incomplete_draft_with_reasons_and_changes_nothing(
    content, authority, officer
):
    assessment = AssessmentFactory(authority=authority)
    Answer.objects.create(assessment=assessment, item=Item.objects.get(code="A1.2"), level=2)
    before = row(assessment)
    with pytest.raises(TransitionError) as error:
        workflow.submit(assessment=assessment, by=officer)
    assert "unanswered" in error.value.message
    assert any("Action 1" in reason for reason in error.value.reasons)
    assert len(error.value.reasons) == 6
    assert row(assessment) == before


def test_double_submit_says_it_is_already_submitted_and_changes_nothing(submitted, officer):
    before = row(submitted)
    with pytest.raises(TransitionError, match="already “Submitted”"):
        workflow.submit(assessment=submitted, by=officer)
    assert row(submitted) == before


def test_double_submit_from_a_stale_copy_is_refused_by_the_database(draft, officer, colleague):
    stale_copy = Assessment.objects.get(pk=draft.pk)
    workflow.submit(assessment=draft, by=officer, notify=False)
    before = row(draft)
    with pytest.raises(TransitionError, match="already “Submitted”"):
        workflow.submit(assessment=stale_copy, by=colleague, expected_revision=1)
    assert row(draft) == before
    assert stale_copy.status == Status.SUBMITTED  # the caller's copy now says why


def test_resubmitting_after_a_return_logs_from_returned(returned, colleague):
    workflow.submit(assessment=returned, by=colleague, notify=False)
    returned.refresh_from_db()
    assert returned.status == Status.SUBMITTED
    assert returned.submitted_by == colleague
    last = AssessmentEvent.objects.filter(assessment=returned).last()
    assert (last.from_status, last.to_status) == ("returned", "submitted")


# --- Return --------------------------------------------------------------------------------


def test_return_stamps_keeps_the_comment_and_snapshots_the_answers(submitted, coordinator):
    workflow.return_for_changes(
        assessment=submitted,
        by=coordinator,
        notify=False,
        comment="  Level 4 in A1.2 needs an evaluation report.  ",
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.returned_by == coordinator and submitted.returned_at is not None
    assert submitted.return_comment == "Level 4 in A1.2 needs an evaluation report."
    assert submitted.is_editable
    event = AssessmentEvent.objects.filter(assessment=submitted).last()
    assert event.comment == submitted.return_comment
    assert event.actor == coordinator
    assert event.answers_snapshot["A1.2"]["level"] == 3
    assert (
        len(event.answers_snapshot)
        == Item.objects.filter(questionnaire=submitted.questionnaire).count()
    )


@pytest.mark.parametrize("comment", ["", "   \n  ", None])
def test_return_without_a_comment_is_refused_and_changes_nothing(submitted, coordinator, comment):
    before = row(submitted)
    with pytest.raises(TransitionError, match="requires a comment"):
        workflow.return_for_changes(assessment=submitted, by=coordinator, comment=comment)
    assert row(submitted) == before


def test_return_keeps_the_answers(submitted, coordinator):
    answers = list(Answer.objects.filter(assessment=submitted).order_by("pk").values())
    workflow.return_for_changes(
        assessment=submitted, by=coordinator, comment="Fix A1.", notify=False
    )
    assert list(Answer.objects.filter(assessment=submitted).order_by("pk").values()) == answers


# --- Approve -------------------------------------------------------------------------------


def test_approve_freezes_the_scores_at_approval(submitted, coordinator):
    expected = scorecard_for(submitted).to_dict()
    workflow.approve(assessment=submitted, by=coordinator, comment="Well documented.", notify=False)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.approved_by == coordinator and submitted.approved_at is not None
    assert submitted.approved_scores == expected
    # Answers changed behind the workflow's back do not move the frozen scores.
    Answer.objects.filter(assessment=submitted).update(level=0)
    submitted.refresh_from_db()
    assert submitted.approved_scores == expected
    assert scorecard_for(submitted).to_dict() != expected
    event = AssessmentEvent.objects.filter(assessment=submitted).last()
    assert (event.from_status, event.to_status, event.comment) == (
        "submitted",
        "approved",
        "Well documented.",
    )


def test_approve_a_draft_is_refused_with_a_clear_message(draft, coordinator):
    before = row(draft)
    with pytest.raises(TransitionError) as error:
        workflow.approve(assessment=draft, by=coordinator)
    assert error.value.message == (
        "Only a submitted assessment can be approved; this one is “Draft”. Nothing was changed."
    )
    assert row(draft) == before


def test_approving_twice_says_it_is_already_approved(approved, coordinator):
    before = row(approved)
    with pytest.raises(TransitionError, match="already “Approved”"):
        workflow.approve(assessment=approved, by=coordinator)
    assert row(approved) == before


@pytest.mark.parametrize("action", ["approve", "return"])
def test_officers_cannot_return_or_approve(submitted, officer, action):
    before = row(submitted)
    with pytest.raises(TransitionError, match="Only partnership coordinators"):
        if action == "approve":
            workflow.approve(assessment=submitted, by=officer)
        else:
            workflow.return_for_changes(assessment=submitted, by=officer, comment="No.")
    assert row(submitted) == before


# --- Every refusal changes nothing ---------------------------------------------------------


ALLOWED = {
    "submit": {Status.DRAFT, Status.RETURNED},
    "return": {Status.SUBMITTED},
    "approve": {Status.SUBMITTED},
}
INVALID = [
    (action, status)
    for action, allowed in ALLOWED.items()
    for status in Status.values
    if status not in allowed
]


def act(action: str, assessment: Assessment, *, officer, coordinator, **kwargs) -> None:
    if action == "submit":
        workflow.submit(assessment=assessment, by=officer, **kwargs)
    elif action == "return":
        workflow.return_for_changes(assessment=assessment, by=coordinator, comment="Why?", **kwargs)
    else:
        workflow.approve(assessment=assessment, by=coordinator, **kwargs)


@pytest.mark.parametrize(("action", "status"), INVALID)
def test_an_invalid_transition_gives_a_clear_error_and_changes_nothing(
    request, action, status, officer, coordinator, django_capture_on_commit_callbacks
):
    assessment = request.getfixturevalue(
        {
            "draft": "draft",
            "submitted": "submitted",
            "returned": "returned",
            "approved": "approved",
        }[status]
    )
    before = row(assessment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(TransitionError) as error:
            act(action, assessment, officer=officer, coordinator=coordinator)
    assert "Nothing was changed" in error.value.message or "nothing was changed" in (
        error.value.message
    )
    assert assessment.get_status_display() in error.value.message
    assert row(assessment) == before
    assert callbacks == [] and mail.outbox == []


# --- Stale pages ---------------------------------------------------------------------------


def test_approving_from_a_stale_page_after_a_colleague_returned_is_refused(submitted, coordinator):
    seen = submitted.revision
    colleague = CoordinatorFactory(username="second-coordinator")
    workflow.return_for_changes(
        assessment=submitted, by=colleague, comment="Add evidence.", notify=False
    )
    before = row(submitted)
    with pytest.raises(TransitionError) as error:
        workflow.approve(assessment=submitted, by=coordinator, expected_revision=seen)
    assert "Someone else changed this assessment" in error.value.message
    assert "Returned for changes" in error.value.message
    assert row(submitted) == before


def test_approving_from_a_page_older_than_the_resubmission_is_refused(
    submitted, coordinator, officer
):
    """The status is "submitted" again, but not the submission the coordinator looked at."""
    seen = submitted.revision
    workflow.return_for_changes(
        assessment=submitted, by=CoordinatorFactory(), comment="Fix.", notify=False
    )
    Answer.objects.filter(assessment=submitted, item__code="A1.2").update(level=4)
    workflow.submit(assessment=submitted, by=officer, notify=False)
    before = row(submitted)
    with pytest.raises(TransitionError, match="Someone else changed this assessment"):
        workflow.approve(assessment=submitted, by=coordinator, expected_revision=seen)
    assert row(submitted) == before


def test_returning_from_a_stale_page_after_a_colleague_approved_says_it_is_approved(
    submitted, coordinator
):
    seen = submitted.revision
    workflow.approve(assessment=submitted, by=CoordinatorFactory(), notify=False)
    before = row(submitted)
    with pytest.raises(TransitionError, match="already|Approved"):
        workflow.return_for_changes(
            assessment=submitted, by=coordinator, comment="Late.", expected_revision=seen
        )
    assert row(submitted) == before


def test_the_current_revision_is_accepted(submitted, coordinator):
    workflow.approve(
        assessment=submitted, by=coordinator, expected_revision=submitted.revision, notify=False
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED


# --- Events --------------------------------------------------------------------------------


def test_the_event_log_tells_the_whole_story(draft, officer, colleague, coordinator):
    workflow.submit(assessment=draft, by=officer, notify=False)
    workflow.return_for_changes(
        assessment=draft, by=coordinator, comment="More evidence.", notify=False
    )
    workflow.submit(assessment=draft, by=colleague, notify=False)
    workflow.approve(assessment=draft, by=coordinator, notify=False)
    events = list(
        AssessmentEvent.objects.filter(assessment=draft).values_list(
            "actor__username", "from_status", "to_status", "comment"
        )
    )
    assert events == [
        ("officer", "draft", "submitted", ""),
        ("coordinator", "submitted", "returned", "More evidence."),
        ("colleague", "returned", "submitted", ""),
        ("coordinator", "submitted", "approved", ""),
    ]
    draft.refresh_from_db()
    assert draft.revision == 5


# --- E-mail after commit -------------------------------------------------------------------


@pytest.fixture
def people(coordinator, officer, colleague, other_city_officer):
    """Everyone who could be notified: two coordinators, the authority's two officers, and an
    officer of another city (who must never be)."""
    CoordinatorFactory(username="second-coordinator")
    MembershipFactory(
        authority=officer.memberships.get().authority,
        user__username="inactive",
        user__is_active=False,
    )
    return {
        "coordinators": ["coordinator@example.org", "second-coordinator@example.org"],
        "officers": ["colleague@example.org", "officer@example.org"],
    }


def test_submission_mails_the_coordinators_only_after_commit(
    draft, officer, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(assessment=draft, by=officer)
    assert callbacks  # the e-mail, the report's render and the peer table's refresh
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == people["coordinators"]
    assert "Mechelen" in message.subject
    assert f"/assessment/{draft.pk}/review/" in message.body


def test_return_mails_the_authoritys_officers_with_the_comments(
    submitted, coordinator, people, django_capture_on_commit_callbacks
):
    ItemComment.objects.create(
        assessment=submitted,
        item=Item.objects.get(code="A1.2"),
        author=coordinator,
        text="The evidence link is broken.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(
            assessment=submitted, by=coordinator, comment="Level 4 needs an evaluation report."
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == people["officers"]
    assert "riga-officer@example.org" not in message.to
    assert "Level 4 needs an evaluation report." in message.body
    assert "A1.2: The evidence link is broken." in message.body
    assert f"/assessment/{submitted.pk}/" in message.body


def test_approval_mails_the_authoritys_officers(
    submitted, coordinator, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(assessment=submitted, by=coordinator)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == people["officers"]
    assert "approved" in mail.outbox[0].body
    assert f"/assessment/{submitted.pk}/results/" in mail.outbox[0].body


def test_no_mail_leaves_when_the_transaction_rolls_back(
    submitted, coordinator, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            workflow.approve(assessment=submitted, by=coordinator)
            raise RuntimeError("something later in the same request failed")
    assert callbacks == [] and mail.outbox == []
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_notify_false_sends_nothing(draft, officer, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(assessment=draft, by=officer, notify=False)
    assert mail.outbox == []


def test_a_mail_server_outage_does_not_undo_the_transition(
    submitted, coordinator, people, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.assessment.test_workflow.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(assessment=submitted, by=coordinator)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert "Could not send" in caplog.text


# --- Benchmarks ----------------------------------------------------------------------------


def test_only_approved_assessments_are_peers(content, submitted, coordinator):
    others = [
        AssessmentFactory(approved=True),
        AssessmentFactory(submitted=True),
        AssessmentFactory(returned=True),
        AssessmentFactory(complete=True),
    ]
    peers = set(benchmark.peer_assessments(cycle=2026, version="2024.1"))
    assert peers == {others[0]}
    key = benchmark.cache_key(cycle=2026, version="2024.1")
    workflow.approve(assessment=submitted, by=coordinator, notify=False)
    assert submitted in set(benchmark.peer_assessments(cycle=2026, version="2024.1"))
    assert benchmark.cache_key(cycle=2026, version="2024.1") != key


# --- Constraints ---------------------------------------------------------------------------


def violates(assessment: Assessment, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(**fields)


def test_a_returned_assessment_needs_a_comment_and_a_time(submitted):
    violates(submitted, status=Status.RETURNED, returned_at=timezone.now(), return_comment="")
    violates(submitted, status=Status.RETURNED, returned_at=None, return_comment="Fix it.")


def test_a_submitted_assessment_needs_its_submission_time(draft):
    violates(draft, status=Status.SUBMITTED)
    violates(draft, status=Status.APPROVED, approved_at=timezone.now(), approved_scores={})


def test_approval_data_goes_with_the_approved_status_only(submitted, approved):
    violates(approved, approved_scores=None)
    violates(approved, approved_at=None)
    violates(approved, status=Status.SUBMITTED)  # approval stamps left on a non-approved row


def test_model_validation_explains_a_return_without_comment(returned):
    returned.return_comment = ""
    with pytest.raises(ValidationError, match="Returning an assessment requires a comment"):
        returned.full_clean()


def test_one_assessment_per_authority_and_cycle(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(authority=draft.authority, cycle=draft.cycle)
