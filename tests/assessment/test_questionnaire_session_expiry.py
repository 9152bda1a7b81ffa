"""Session expiry never loses work: what was posted is kept and saved after logging in again."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessment.models import Answer, Item
from tests.factories import TEST_PASSWORD, AssessmentFactory, answer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(content, authority):
    return AssessmentFactory(authority=authority)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def log_in(client: Client, username: str, next_url: str):
    page = client.get(f"{reverse('login')}?next={next_url}")
    return client.post(
        reverse("login"),
        {
            "username": username,
            "password": TEST_PASSWORD,
            "next": next_url,
            "csrfmiddlewaretoken": csrf_token(page.content.decode()),
        },
    )


def expire_session(client: Client) -> None:
    """What the browser does when the session cookie expires: it stops sending it."""
    client.cookies.pop(settings.SESSION_COOKIE_NAME)


def items(draft, *codes):
    return [Item.objects.get(questionnaire=draft.questionnaire, code=code) for code in codes]


def test_answers_posted_after_the_session_expired_are_saved_after_logging_in(officer, draft):
    client = Client(enforce_csrf_checks=True)
    section = reverse("assessment:section", args=[draft.pk, 1])
    log_in(client, "officer", section)
    page = client.get(section).content.decode()
    a12, a14 = items(draft, "A1.2", "A1.4")

    expire_session(client)
    response = client.post(
        reverse("assessment:save", args=[draft.pk, 1]),
        {
            "csrfmiddlewaretoken": csrf_token(page),
            **answer_form_data(draft, a12, level="3", evidence_note="Typed before lunch."),
            **answer_form_data(draft, a14, number="2"),
        },
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={section}"
    assert not Answer.objects.filter(assessment=draft).exists()
    login_page = client.get(response.url).content.decode()
    assert "Log in again and they will be saved" in login_page

    response = log_in(client, "officer", section)
    assert response.url == section
    page = client.get(section).content.decode()
    assert "the 2 answers you had typed are now saved" in page
    saved = Answer.objects.get(assessment=draft, item=a12)
    assert (saved.level, saved.evidence_note, saved.updated_by) == (
        3,
        "Typed before lunch.",
        officer,
    )
    assert Answer.objects.get(assessment=draft, item=a14).number == 2
    assert 'value="3" checked' in page
    # Applied once: the next visit is an ordinary page.
    assert "you had typed" not in client.get(section).content.decode()


def test_an_expired_autosave_sends_the_whole_page_to_the_login(officer, draft, client):
    (a12,) = items(draft, "A1.2")
    response = client.post(
        reverse("assessment:save", args=[draft.pk, 1]),
        answer_form_data(draft, a12, level="1"),
        headers={"HX-Request": "true"},
    )
    section = reverse("assessment:section", args=[draft.pk, 1])
    assert response["HX-Redirect"] == f"{reverse('login')}?next={section}"
    client.force_login(officer)
    client.get(section)
    assert Answer.objects.get(assessment=draft, item=a12).level == 1


def test_kept_answers_wait_for_the_page_they_were_typed_on(officer, draft, client):
    (a31,) = items(draft, "A3.1")
    client.post(
        reverse("assessment:save", args=[draft.pk, 3]), answer_form_data(draft, a31, level="2")
    )
    client.force_login(officer)
    response = client.get(reverse("assessment:section", args=[draft.pk, 1]))
    assert response.url == reverse("assessment:section", args=[draft.pk, 3])
    client.get(response.url)
    assert Answer.objects.get(assessment=draft, item=a31).level == 2


def test_kept_answers_that_a_colleague_changed_meanwhile_show_the_conflict(
    officer, colleague, draft, client
):
    (a12,) = items(draft, "A1.2")
    stale = answer_form_data(draft, a12, level="1")
    client.post(reverse("assessment:save", args=[draft.pk, 1]), stale)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    colleague_client.post(
        reverse("assessment:save", args=[draft.pk, 1]), answer_form_data(draft, a12, level="4")
    )
    client.force_login(officer)
    html = client.get(reverse("assessment:section", args=[draft.pk, 1])).content.decode()
    assert "Their answer (saved)" in html and 'value="1" checked' in html
    assert Answer.objects.get(assessment=draft, item=a12).level == 4


def test_kept_answers_are_not_applied_for_someone_who_may_not_edit(
    other_city_officer, coordinator, draft, client
):
    (a12,) = items(draft, "A1.2")
    client.post(
        reverse("assessment:save", args=[draft.pk, 1]), answer_form_data(draft, a12, level="1")
    )
    client.force_login(other_city_officer)
    assert client.get(reverse("assessment:section", args=[draft.pk, 1])).status_code == 404
    client.force_login(coordinator)
    assert client.get(reverse("assessment:section", args=[draft.pk, 1])).status_code == 200
    assert not Answer.objects.filter(assessment=draft).exists()


def test_kept_answers_for_an_assessment_submitted_meanwhile_are_explained(
    officer, authority, content, client
):
    submitted = AssessmentFactory(authority=authority, submitted=True)
    (a12,) = items(submitted, "A1.2")
    client.post(
        reverse("assessment:save", args=[submitted.pk, 1]),
        answer_form_data(submitted, a12, level="0"),
    )
    client.force_login(officer)
    html = client.get(reverse("assessment:section", args=[submitted.pk, 1])).content.decode()
    assert "could not be saved" in html
    assert Answer.objects.get(assessment=submitted, item=a12).level == 3


def test_an_anonymous_post_keeps_only_answer_fields_and_not_too_much(draft, client):
    client.post(
        reverse("assessment:save", args=[draft.pk, 1]),
        {
            "A1_2-level": "1",
            "A1_2-version": "0",
            "something-else": "x",
            "is_superuser": "1",
        },
    )
    kept = client.session["pending_answers"][str(draft.pk)]["data"]
    assert kept == {"A1_2-level": "1", "A1_2-version": "0"}
    client.post(
        reverse("assessment:save", args=[draft.pk, 2]),
        {"A2_1-evidence_note": "x" * 300_000, "A2_1-version": "0"},
    )
    assert client.session["pending_answers"][str(draft.pk)]["action"] == 1


def test_several_expired_autosaves_of_one_page_are_all_kept(officer, draft, client):
    a12, a13 = items(draft, "A1.2", "A1.3")
    save = reverse("assessment:save", args=[draft.pk, 1])
    client.post(save, answer_form_data(draft, a12, level="1"), headers={"HX-Request": "true"})
    client.post(save, answer_form_data(draft, a13, level="2"), headers={"HX-Request": "true"})
    client.force_login(officer)
    client.get(reverse("assessment:section", args=[draft.pk, 1]))
    assert Answer.objects.get(assessment=draft, item=a12).level == 1
    assert Answer.objects.get(assessment=draft, item=a13).level == 2
