"""The interface's language follows the person: saved preference, then cookie, then
Accept-Language; the switcher and the "Your language" page save it; login applies it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from partnership.models import UserPreference
from partnership.preferences import language_of
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("six_languages")]

COOKIE = "django_language"
PAGE = "/partnership/"


def page_language(response) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def prefer(user, language: str, last: str = "") -> None:
    UserPreference.objects.update_or_create(
        user=user, defaults={"language": language, "last_language": last}
    )


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The order of the sources ------------------------------------------------------------------


def test_accept_language_applies_without_cookie_or_preference(client, content):
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="pl,en;q=0.5")) == "pl"


def test_the_cookie_comes_before_accept_language(client, content):
    client.cookies[COOKIE] = "es"
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="pl")) == "es"


def test_a_saved_preference_comes_before_the_cookie_and_accept_language(content, officer):
    prefer(officer, "it")
    client = logged_in_client(officer)
    client.cookies[COOKIE] = "es"

    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="pl")

    assert page_language(response) == "it"
    assert response["Content-Language"] == "it"
    assert response.cookies[COOKIE].value == "it"  # the cookie follows the preference


def test_without_a_preference_a_logged_in_person_gets_the_cookie(content, officer):
    client = logged_in_client(officer)
    client.cookies[COOKIE] = "nl"
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="pl")
    assert page_language(response) == "nl"
    assert COOKIE not in response.cookies  # nothing to impose


def test_a_preference_for_a_language_no_longer_shipped_falls_back_cleanly(
    content, officer, settings
):
    prefer(officer, "pl", last="pl")
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]
    client = logged_in_client(officer)
    client.cookies[COOKIE] = "fr"

    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="pl")

    assert response.status_code == 200
    assert page_language(response) == "fr"
    assert response.cookies.get(COOKIE) is None
    assert language_of(officer) == "en"  # e-mails: the site's language, not Polish
    UserPreference.objects.get(user=officer, language="pl")  # kept for when it comes back


def test_logging_in_applies_the_preference_and_sets_the_cookie(client, content, officer):
    prefer(officer, "nl")
    client.cookies[COOKIE] = "fr"

    response = client.post(
        reverse("login"), {"username": "officer", "password": TEST_PASSWORD}, follow=False
    )

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nl"
    assert page_language(client.get(PAGE)) == "nl"
    # After logging out the site stays in the person's language.
    client.post(reverse("logout"))
    assert page_language(client.get(PAGE)) == "nl"


def test_the_language_of_the_last_login_is_the_e_mail_language_without_a_choice(
    client, content, officer
):
    assert language_of(officer) == "en"
    client.post(
        reverse("login"),
        {"username": "officer", "password": TEST_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert language_of(officer) == "es"
    prefer(officer, "pl", last="es")
    assert language_of(officer) == "pl"  # a choice beats the last login


# --- The switcher -------------------------------------------------------------------------------


def test_the_switcher_keeps_the_page_and_its_query_string(client, content):
    next_path = "/actions/3/?comments=2#comments"
    response = client.post(reverse("set_language"), {"language": "fr", "next": next_path})
    assert response.status_code == 302
    assert response.url == next_path
    assert response.cookies[COOKIE].value == "fr"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
    ],
)
def test_the_switcher_never_sends_anyone_off_the_site(client, content, next_url):
    response = client.post(reverse("set_language"), {"language": "fr", "next": next_url})
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[COOKIE].value == "fr"  # the language still changes


def test_the_switcher_saves_the_choice_of_a_logged_in_person(content, officer):
    client = logged_in_client(officer)
    client.post(reverse("set_language"), {"language": "pl", "next": PAGE})
    assert UserPreference.objects.get(user=officer).language == "pl"

    # On another device (no cookie, another browser language) the choice follows the person.
    other_device = Client()
    other_device.post(reverse("login"), {"username": "officer", "password": TEST_PASSWORD})
    assert page_language(other_device.get(PAGE, HTTP_ACCEPT_LANGUAGE="es")) == "pl"


def test_the_switcher_refuses_a_language_not_shipped_with_a_message(content, officer):
    client = logged_in_client(officer)
    response = client.post(reverse("set_language"), {"language": "xx", "next": PAGE}, follow=True)
    assert response.status_code == 200
    assert "That language is not offered here." in response.content.decode()
    assert not UserPreference.objects.filter(user=officer).exclude(language="").exists()


# --- The "Your language" page -------------------------------------------------------------------


def test_the_account_menu_links_to_your_language(content, officer):
    html = logged_in_client(officer).get(PAGE).content.decode()
    assert reverse("partnership:language") in html


def test_your_language_page_saves_the_choice(content, officer):
    client = logged_in_client(officer)
    page = client.get(reverse("partnership:language"))
    assert page.status_code == 200
    assert 'lang="pl"' in page.content.decode()  # each language named in itself, marked

    response = client.post(reverse("partnership:language"), {"language": "pl"})

    assert response.status_code == 302
    assert UserPreference.objects.get(user=officer).language == "pl"
    assert response.cookies[COOKIE].value == "pl"
    shown = client.get(response.url)
    assert page_language(shown) == "pl"
    assert re.search(r'value="pl"[^>]* checked', shown.content.decode())


def test_your_language_page_refuses_an_unknown_language_and_keeps_the_saved_one(content, officer):
    prefer(officer, "fr")
    client = logged_in_client(officer)
    response = client.post(reverse("partnership:language"), {"language": "de"})
    assert response.status_code == 200
    assert page_language(response) == "fr"
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert UserPreference.objects.get(user=officer).language == "fr"


def test_no_choice_hands_the_language_back_to_the_browser(content, officer):
    prefer(officer, "fr")
    client = logged_in_client(officer)
    client.cookies[COOKIE] = "fr"
    response = client.post(reverse("partnership:language"), {"language": ""})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == ""  # deleted
    assert UserPreference.objects.get(user=officer).language == ""
    assert page_language(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="es")) == "es"


# --- The anonymous page cache -------------------------------------------------------------------


def test_the_public_cache_never_serves_one_persons_language_to_another(content, officer):
    action_page = reverse("actions:detail", args=[3])
    prefer(officer, "pl")
    assert page_language(logged_in_client(officer).get(action_page)) == "pl"

    french_cookie = Client()
    french_cookie.cookies[COOKIE] = "fr"
    first = french_cookie.get(action_page, HTTP_ACCEPT_LANGUAGE="pl")
    assert page_language(first) == "fr"
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]

    assert page_language(Client().get(action_page, HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert page_language(Client().get(action_page)) == "en"
    assert page_language(french_cookie.get(action_page)) == "fr"


# --- E-mails outside any request -----------------------------------------------------------------


def test_the_password_reset_e_mail_is_in_the_account_holders_language(client, content, officer):
    from django.core import mail
    from django.utils import translation
    from django.utils.translation import gettext

    prefer(officer, "pl")
    response = client.post(
        reverse("password_reset"), {"email": "officer@example.org"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 302
    assert page_language(client.get(response.url)) == "en"  # the requester's page stays English
    with translation.override("pl"):
        polish_line = gettext("Please go to the following page and choose a new password:")
    assert polish_line != "Please go to the following page and choose a new password:"
    assert polish_line in mail.outbox[0].body


def switcher_next(response) -> str:
    html = response.content.decode()
    start = html.index('<input name="next" type="hidden" value="') + len(
        '<input name="next" type="hidden" value="'
    )
    return html[start : html.index('"', start)]


@pytest.mark.parametrize(
    "referer, expected",
    [
        ("http://testserver/actions/3/?comments=1", "/actions/3/?comments=1"),
        ("https://evil.example/actions/3/", "/"),
        ("", "/"),
    ],
)
def test_a_page_answering_a_post_returns_to_the_page_the_form_was_on(
    client, content, no_form_delay, referer, expected
):
    from tests.factories import FeedbackRoundFactory

    FeedbackRoundFactory(title="Open round", slug="open-round")
    response = client.post(
        reverse("feedback:comment", args=[3]), {"body": "short"}, HTTP_REFERER=referer
    )
    assert response.status_code == 422  # the form again, with its errors
    assert switcher_next(response) == expected


def test_a_page_keeps_its_query_string_in_the_switcher(client, content):
    response = client.get("/actions/?a=1&b=%C3%A9")
    assert switcher_next(response) == "/actions/?a=1&amp;b=%C3%A9"
