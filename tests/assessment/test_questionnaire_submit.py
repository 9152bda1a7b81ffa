"""Submitting: only when complete, recorded once, then read-only for officers."""

import pytest
from django.test import Client
from django.urls import reverse

from assessment.answers.progress import progress_for
from assessment.models import Answer, Assessment, AssessmentEvent, Item
from tests.factories import AssessmentFactory, answer_form_data, fill

pytestmark = pytest.mark.django_db


def submit(client, assessment, revision=None):
    revision = assessment.revision if revision is None else revision
    return client.post(reverse("assessment:submit", args=[assessment.pk]), {"revision": revision})


@pytest.fixture
def complete(content, authority):
    return AssessmentFactory(authority=authority, complete=True)


def test_an_early_submit_lists_what_is_missing_per_section_with_links(
    client, officer, authority, content
):
    draft = AssessmentFactory(authority=authority)
    fill(
        draft,
        items=Item.objects.filter(
            questionnaire=draft.questionnaire, section__action__number__in=[1, 2, 3, 4]
        ),
    )
    Answer.objects.filter(assessment=draft, item__code="A2.5").delete()
    client.force_login(officer)
    response = submit(client, draft)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some required questions are still unanswered." in html
    assert "1 required question in Action 2 is unanswered." in html
    assert "7 required questions in Action 5 are unanswered." in html
    assert "Action 1 is" not in html and "in Action 1 " not in html
    section_2 = reverse("assessment:section", args=[draft.pk, 2])
    assert f'href="{section_2}#item-A2_5"' in html
    assert f'href="{reverse("assessment:section", args=[draft.pk, 6])}#item-A6_8"' in html
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.events.exists()


def test_a_complete_assessment_is_submitted_once_and_becomes_read_only(client, officer, complete):
    client.force_login(officer)
    overview = client.get(reverse("assessment:overview", args=[complete.pk])).content.decode()
    assert "Submit the assessment" in overview
    response = submit(client, complete)
    assert response.url == reverse("assessment:overview", args=[complete.pk])
    complete.refresh_from_db()
    assert complete.status == "submitted" and complete.submitted_by == officer
    assert AssessmentEvent.objects.filter(assessment=complete, to_status="submitted").count() == 1
    page = client.get(response.url).content.decode()
    assert "Submitted for review" in page
    assert "Submit the assessment" not in page
    section = client.get(reverse("assessment:section", args=[complete.pk, 1])).content.decode()
    assert 'id="questionnaire-form"' not in section


def test_a_double_click_records_the_submission_once(client, officer, complete):
    client.force_login(officer)
    revision = complete.revision
    submit(client, complete, revision)
    second = submit(client, complete, revision)
    assert second.status_code == 302
    page = client.get(second.url).content.decode()
    assert "This assessment is already" in page and "nothing was changed" in page
    assert AssessmentEvent.objects.filter(assessment=complete).count() == 1


def test_two_colleagues_submitting_at_once_record_it_once(officer, colleague, complete):
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(colleague)
    revision = complete.revision
    submit(first, complete, revision)
    response = submit(second, complete, revision)
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.submitted_by == officer
    assert AssessmentEvent.objects.filter(assessment=complete).count() == 1


def test_a_page_older_than_the_last_status_change_is_refused(client, officer, authority, content):
    returned = AssessmentFactory(authority=authority, returned=True)
    client.force_login(officer)
    response = submit(client, returned, revision=returned.revision - 1)
    assert "Someone else changed this assessment" in client.get(response.url).content.decode()
    returned.refresh_from_db()
    assert returned.status == "returned"


def test_a_garbled_revision_changes_nothing(client, officer, complete):
    client.force_login(officer)
    response = client.post(reverse("assessment:submit", args=[complete.pk]), {"revision": "x"})
    assert "The page was out of date" in client.get(response.url).content.decode()
    complete.refresh_from_db()
    assert complete.status == "draft"


def test_a_returned_assessment_shows_the_comment_and_can_be_resubmitted(
    client, officer, authority, content
):
    returned = AssessmentFactory(authority=authority, returned=True)
    client.force_login(officer)
    overview = client.get(reverse("assessment:overview", args=[returned.pk])).content.decode()
    assert "Returned for changes by the coordinators" in overview
    assert "Please add evidence." in overview
    item = Item.objects.get(questionnaire=returned.questionnaire, code="A1.2")
    client.post(
        reverse("assessment:save", args=[returned.pk, 1]),
        answer_form_data(returned, item, evidence_note="Protocol of 2024."),
    )
    submit(client, returned)
    returned.refresh_from_db()
    assert returned.status == "submitted"
    assert [e.to_status for e in returned.events.all()] == ["submitted", "returned", "submitted"]


def test_not_applicable_with_a_reason_counts_as_answered(client, officer, authority, content):
    draft = AssessmentFactory(authority=authority)
    items = Item.objects.filter(questionnaire=draft.questionnaire).exclude(code="A3.3")
    fill(draft, items=items)
    client.force_login(officer)
    a33 = Item.objects.get(questionnaire=draft.questionnaire, code="A3.3")
    client.post(
        reverse("assessment:save", args=[draft.pk, 3]),
        answer_form_data(
            draft, a33, not_applicable="on", na_reason="No new technology in five years."
        ),
    )
    assert progress_for(draft).percent == 100
    submit(client, draft)
    assert Assessment.objects.get(pk=draft.pk).status == "submitted"


def test_coordinators_cannot_submit_for_an_authority(client, coordinator, complete):
    client.force_login(coordinator)
    assert submit(client, complete).status_code == 403
    complete.refresh_from_db()
    assert complete.status == "draft"
