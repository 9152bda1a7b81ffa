"""Assessment e-mails go out in each recipient's language: one e-mail per language in one send."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from assessment import workflow
from assessment.models import Item, ItemComment
from partnership.models import UserPreference
from tests.factories import AssessmentFactory, CoordinatorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("six_languages")]


def prefer(user, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


def translated(language: str, message: str, **values) -> str:
    with translation.override(language):
        return gettext(message) % values


def by_recipient() -> dict[str, mail.EmailMessage]:
    return {address: message for message in mail.outbox for address in message.to}


@pytest.fixture
def submitted(content, authority, officer, colleague):
    assessment = AssessmentFactory(authority=authority, complete=True)
    workflow.submit(assessment=assessment, by=officer, notify=False)
    return assessment


def test_approval_reaches_each_officer_in_their_own_language(
    submitted, officer, colleague, coordinator, django_capture_on_commit_callbacks
):
    prefer(officer, "fr")
    prefer(colleague, "pl")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(assessment=submitted, by=coordinator)

    assert len(mail.outbox) == 2
    messages = by_recipient()
    assert messages["officer@example.org"].to == ["officer@example.org"]
    for address, language in (("officer@example.org", "fr"), ("colleague@example.org", "pl")):
        subject = translated(language, "Approved: %(assessment)s", assessment=submitted)
        assert subject != f"Approved: {submitted}"  # a real translation, not the source
        assert messages[address].subject == subject
        assert f"/assessment/{submitted.pk}/results/" in messages[address].body


def test_submission_reaches_each_coordinator_in_their_own_language(
    content, authority, officer, coordinator, django_capture_on_commit_callbacks
):
    second = CoordinatorFactory(username="second-coordinator")
    prefer(second, "fr")
    assessment = AssessmentFactory(authority=authority, complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(assessment=assessment, by=officer)

    messages = by_recipient()
    assert set(messages) == {"coordinator@example.org", "second-coordinator@example.org"}
    assert messages["coordinator@example.org"].subject == f"Submitted for review: {assessment}"
    assert messages["second-coordinator@example.org"].subject == translated(
        "fr", "Submitted for review: %(assessment)s", assessment=assessment
    )


def test_a_return_quotes_the_coordinators_words_as_written_in_every_language(
    submitted, officer, colleague, coordinator, django_capture_on_commit_callbacks
):
    prefer(officer, "pl")
    ItemComment.objects.create(
        assessment=submitted,
        item=Item.objects.get(code="A1.2"),
        author=coordinator,
        text="Le lien vers la preuve est cassé.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(
            assessment=submitted, by=coordinator, comment="Il manque le rapport d’évaluation."
        )

    messages = by_recipient()
    assert len(mail.outbox) == 2
    polish, english = messages["officer@example.org"], messages["colleague@example.org"]
    assert polish.subject == translated(
        "pl", "Returned for changes: %(assessment)s", assessment=submitted
    )
    assert english.subject == f"Returned for changes: {submitted}"
    for message in (polish, english):
        assert "Il manque le rapport d’évaluation." in message.body
        assert "A1.2: Le lien vers la preuve est cassé." in message.body
    assert translated("pl", "Comments on individual questions:") in polish.body


def test_a_language_no_longer_shipped_gets_the_site_language(
    submitted, officer, colleague, coordinator, settings, django_capture_on_commit_callbacks
):
    prefer(officer, "fi")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(assessment=submitted, by=coordinator)
    assert len(mail.outbox) == 1  # both officers in English, in one e-mail
    assert sorted(mail.outbox[0].to) == ["colleague@example.org", "officer@example.org"]
    assert mail.outbox[0].subject == f"Approved: {submitted}"
