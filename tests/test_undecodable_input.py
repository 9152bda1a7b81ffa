"""Bytes that are not UTF-8 are refused with a clear message, never stored as other text."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from assessment.models import Answer, Assessment, Item
from feedback.models import Comment
from tests.factories import AssessmentFactory, answer_form_data
from tests.feedback.conftest import comment_data

pytestmark = pytest.mark.django_db

NOT_UTF8 = b"\xff\xfe\xc3("
FORM = "application/x-www-form-urlencoded"
MESSAGE = "could not be read (they were not UTF-8 text). Nothing was saved"


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.FEEDBACK_MIN_SECONDS = 0


def body_with(fields: dict[str, str], name: str, raw: bytes) -> bytes:
    """The form URL-encoded as a browser would, with the raw bytes as the value of `name`."""
    others = {key: value for key, value in fields.items() if key != name}
    return urlencode(others).encode() + b"&" + name.encode() + b"=" + raw


def check_refused(response) -> None:
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.fixture
def draft(content, authority):
    return AssessmentFactory(authority=authority)


@pytest.mark.parametrize("raw", [NOT_UTF8, b"%FF%FE%C3%28"], ids=["raw bytes", "escaped"])
def test_an_answer_note_that_is_not_utf8_is_refused_and_nothing_is_saved(
    client, officer, draft, raw
):
    client.force_login(officer)
    item = Item.objects.get(section__questionnaire=draft.questionnaire, code="A1.2")
    fields = answer_form_data(draft, item, level="3", evidence_note="x")
    note = next(name for name in fields if name.endswith("-evidence_note"))
    response = client.post(
        reverse("assessment:save", args=[draft.pk, 1]),
        body_with(fields, note, raw),
        content_type=FORM,
    )
    check_refused(response)
    assert not Answer.objects.filter(assessment=draft).exists()
    assert Assessment.objects.get(pk=draft.pk).updated_at == draft.updated_at


@pytest.mark.parametrize("raw", [NOT_UTF8, b"%FF%FE%C3%28"], ids=["raw bytes", "escaped"])
def test_a_public_comment_that_is_not_utf8_is_refused_and_nothing_is_saved(client, content, raw):
    from tests.factories import FeedbackRoundFactory

    FeedbackRoundFactory()
    fields = comment_data(body="A comment long enough to be accepted by the form, in words.")
    response = client.post(
        reverse("feedback:comment", args=[3]),
        body_with(fields, "body", b"Text " + raw),
        content_type=FORM,
    )
    check_refused(response)
    assert not Comment.objects.exists()


def test_a_query_string_that_is_not_utf8_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.generic(
        "GET", reverse("assessment:coordinator_dashboard"), QUERY_STRING="country=%FF%FE"
    )
    check_refused(response)


def test_french_and_other_utf8_text_goes_through(client, content):
    from tests.factories import FeedbackRoundFactory

    FeedbackRoundFactory()
    body = "Évaluer l’efficacité — 𝄞 ok, ça marche très bien pour tout le monde."
    response = client.post(reverse("feedback:comment", args=[3]), comment_data(body=body))
    assert response.status_code == 302
    assert Comment.objects.get().body == body
