"""A commenter who gave an e-mail address is told when a coordinator rejects the comment,
in the language the comment was written in, once the decision is saved."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import Comment
from tests.factories import CommentFactory
from tests.feedback.conftest import comment_data

pytestmark = pytest.mark.django_db
COMMENT_URL = reverse("feedback:comment", args=[3])


def reject(client, comment, captured):
    with captured(execute=True):
        response = client.post(
            reverse("feedback:moderation_reject", args=[comment.pk]),
            {"reason": "Advertising for a shop."},
        )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "language, subject, words",
    [
        ("en", "Your comment on Action 3 was not published", "decided not to publish it"),
        (
            "fr",
            "Votre commentaire sur l’Action 3 n’a pas été publié",
            "a décidé de ne pas le publier",
        ),
    ],
)
def test_the_author_is_told_of_a_rejection_in_the_language_of_the_comment(
    client, open_round, coordinator, django_capture_on_commit_callbacks, language, subject, words
):
    response = client.post(
        COMMENT_URL, comment_data(email="luc@example.org"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.language == language
    client.force_login(coordinator)  # the coordinator's own language does not matter
    reject(client, comment, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["luc@example.org"]
    assert message.subject == subject
    assert words in message.body
    assert "error rates for every group" in message.body
    assert "Advertising for a shop." not in message.body  # the reason stays in the log


def test_no_mail_without_an_address_nor_before_the_decision_is_saved(
    client, open_round, coordinator, django_capture_on_commit_callbacks
):
    without = CommentFactory(round=open_round, email="")
    with_address = CommentFactory(round=open_round, email="a@example.org")
    client.force_login(coordinator)
    reject(client, without, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("feedback:moderation_reject", args=[with_address.pk]), {"reason": "Off-topic."}
        )
    assert mail.outbox == []  # nothing before the decision is committed
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_the_confirmation_says_what_the_address_is_used_for(client, open_round):
    with_address = client.post(COMMENT_URL, comment_data(email="luc@example.org"))
    html = client.get(with_address.url).content.decode()
    assert "If a coordinator decides not to publish it, we will tell you by e-mail" in html
    without = client.post(
        COMMENT_URL,
        comment_data(email="", body="A second comment, sent without any e-mail address."),
    )
    html = client.get(without.url).content.decode()
    assert "You gave no e-mail address, so we cannot tell you" in html
