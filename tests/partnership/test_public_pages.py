import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(content):
    from partnership.content import load_authorities, load_partnership

    load_authorities()
    load_partnership()
    return content


def test_home_shows_the_six_actions_with_final_titles(client, site):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Evaluate the application of AI inclusive technologies" in html
    assert "Capacity building training scheme about integrated sustainable urban security" in html
    assert "Log in to the self-assessment" in html
    assert "No public feedback round is open" in html


def test_actions_list_links_every_action(client, site):
    html = client.get(reverse("actions:list")).content.decode()
    for number in range(1, 7):
        assert f'href="/actions/{number}/"' in html


@pytest.mark.parametrize("number", range(1, 7))
def test_each_action_page_shows_draft_and_final_titles(client, site, number):
    from actions.models import Action

    action = Action.objects.get(number=number)
    response = client.get(f"/actions/{number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert action.final_title in html
    assert action.draft_title.replace("'", "&#x27;") in html
    assert "Objective" in html and "The problem it answers" in html


def test_action_5_names_its_leader_and_links(client, site):
    html = client.get("/actions/5/").content.decode()
    assert "City of Mechelen" in html
    for other in (1, 4, 6):
        assert f'href="/actions/{other}/"' in html
    assert "designed by the same partners" in html


def test_action_without_confirmed_leader_says_so(client, site):
    assert "Not confirmed" in client.get("/actions/3/").content.decode()


@pytest.mark.parametrize("number", [0, 7, 99])
def test_unknown_action_is_404(client, site, number):
    assert client.get(f"/actions/{number}/").status_code == 404


def test_partnership_page_lists_coordinators_members_and_sixth_meeting(client, site):
    html = client.get(reverse("partnership:about")).content.decode()
    assert "European Forum for Urban Security (Efus)" in html
    assert "Member States" in html and "Ministry of Transport" in html
    assert "6th partnership meeting" in html
    assert "Plenary" in html and "Action 4 work plan" in html
    assert "Wednesday 17 June 2020" in html


def test_privacy_notice_and_accessibility_statement(client, site):
    privacy = client.get(reverse("partnership:privacy")).content.decode()
    assert "How long" in privacy and "6 months" in privacy
    statement = client.get(reverse("partnership:accessibility")).content.decode()
    assert "WCAG 2.1" in statement


def test_the_privacy_notice_says_when_it_was_last_updated(client, site):
    from django.utils import dateformat, timezone

    from partnership.models import ContentBlock

    notice = ContentBlock.objects.get(key="privacy-notice")
    day = dateformat.format(timezone.localtime(notice.updated_at), "j F Y")
    html = client.get(reverse("partnership:privacy")).content.decode()
    assert f"Last updated {day}." in html


def test_pages_are_in_french_when_chosen(client, site):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    html = client.get("/partnership/").content.decode()
    assert 'lang="fr"' in html
    assert "À propos du partenariat" in html or "Le partenariat" in html


def test_custom_404_page(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
