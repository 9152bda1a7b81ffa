import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_officer_logs_in_and_lands_on_their_dashboard(client, officer):
    response = login(client, "officer")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("assessment:dashboard")


def test_coordinator_lands_on_field_overview(client, coordinator):
    response = login(client, "coordinator")
    assert client.get(response.url).url == reverse("assessment:coordinator_dashboard")


def test_wrong_password_gives_a_clear_message(client, officer):
    response = login(client, "officer", "wrong")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_five_failures_lock_the_account_with_a_clear_message(client, officer):
    for _ in range(5):
        login(client, "officer", "wrong")
    response = login(client, "officer")
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("assessment:dashboard")).status_code == 302


def test_password_reset_sends_an_email_with_a_working_link(client, officer):
    response = client.post(reverse("password_reset"), {"email": "officer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link[link.index("/accounts/reset/") :].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a new long passphrase 42",
            "new_password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert login(client, "officer", "a new long passphrase 42").status_code == 302


def test_session_has_a_documented_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("url", ["/assessment/", "/me/"])
def test_anonymous_users_are_sent_to_login_from_officer_pages(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_officers_get_403_on_coordinator_pages(client, officer):
    client.force_login(officer)
    assert client.get(reverse("assessment:coordinator_dashboard")).status_code == 403


def test_navigation_follows_the_role(client, officer, coordinator):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "My assessments" in html and "Field overview" not in html
    client.force_login(coordinator)
    html = client.get("/").content.decode()
    assert "Field overview" in html and "Administration" in html


def test_coordinator_can_manage_content_in_admin(client, coordinator, content):
    client.force_login(coordinator)
    for model in (
        "partnership/urbanauthority",
        "partnership/membership",
        "actions/action",
        "partnership/meeting",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model
