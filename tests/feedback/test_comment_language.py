"""A commenter says which language their comment is in (the page's by default); the comment
is shown as written, marked with it, and e-mails to its author are written in it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from feedback import moderation
from feedback.models import Comment
from tests.feedback.conftest import comment_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("six_languages")]
COMMENT_URL = reverse("feedback:comment", args=[3])
ACTION_URL = reverse("actions:detail", args=[3])


def selected_language(html: str) -> str:
    select = html[html.index('name="language"') :]
    select = select[: select.index("</select>")]
    return re.search(r'<option value="(\w+)" lang="\w+" selected>', select)[1]


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_the_language_defaults_to_the_page_language(client, open_round, language):
    for url in (COMMENT_URL, ACTION_URL):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert selected_language(html) == language
        assert '<option value="nl" lang="nl">Nederlands</option>' in html


def test_a_comment_is_stored_and_shown_in_the_language_chosen(
    client, open_round, coordinator, django_capture_on_commit_callbacks
):
    body = "Proszę opublikować wskaźniki błędów dla każdej grupy osób."
    response = client.post(
        COMMENT_URL,
        comment_data(body=body, language="pl", email=""),
        HTTP_ACCEPT_LANGUAGE="fr",  # a French page, a Polish comment
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.language == "pl"
    moderation.publish(comment=comment, by=coordinator)

    html = client.get(ACTION_URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in html
    assert f'<div class="feedback-body" lang="pl"><p>{body}</p></div>' in html


def test_without_a_language_the_page_language_is_recorded(client, open_round):
    client.post(COMMENT_URL, comment_data(language=None), HTTP_ACCEPT_LANGUAGE="nl")
    assert Comment.objects.get().language == "nl"


@pytest.mark.parametrize("language", ["xx", "de", "fr-FR", "<script>", "e" * 50])
def test_a_language_not_offered_is_refused_with_a_message_and_the_text_kept(
    client, open_round, language
):
    data = comment_data(language=language)
    response = client.post(COMMENT_URL, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose one of the listed languages." in html
    assert data["body"] in html
    assert not Comment.objects.exists()


def test_the_rejection_e_mail_is_in_the_language_of_the_comment(
    client, open_round, coordinator, django_capture_on_commit_callbacks
):
    client.post(
        COMMENT_URL, comment_data(language="fr", email="luc@example.org"), HTTP_ACCEPT_LANGUAGE="en"
    )
    comment = Comment.objects.get()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("feedback:moderation_reject", args=[comment.pk]), {"reason": "Advertising."}
        )
    assert mail.outbox[0].subject == "Votre commentaire sur l’Action 3 n’a pas été publié"


def test_moderators_see_the_language_of_the_comment(client, open_round, coordinator):
    client.post(COMMENT_URL, comment_data(language="pl"))
    comment = Comment.objects.get()
    client.force_login(coordinator)
    html = client.get(reverse("feedback:moderation_comment", args=[comment.pk])).content.decode()
    assert f'lang="pl">{comment.body}' in html.replace("<p>", "")
    assert "Polish" in html
