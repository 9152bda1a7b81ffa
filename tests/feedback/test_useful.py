"""The "Was this page useful?" widget on public pages, and its summary for coordinators."""

import pytest
from django.urls import reverse

from feedback.models import PageFeedback
from tests.feedback.conftest import useful_data

pytestmark = pytest.mark.django_db
URL = reverse("feedback:useful")
PAGES = ["/", "/actions/", "/actions/3/", "/partnership/", "/privacy/", "/accessibility/"]


@pytest.fixture
def site(content):
    from partnership.content import load_partnership

    load_partnership()


@pytest.mark.parametrize("path", PAGES)
def test_each_public_page_has_the_widget_for_itself(client, site, path):
    html = client.get(path).content.decode()
    assert "Was this page useful?" in html
    assert f'name="page" value="{path}"' in html


def test_a_vote_with_a_comment_is_stored_and_thanked(client, site):
    response = client.post(URL, useful_data(useful="no", comment="The <table> is hard to read."))
    assert response.status_code == 302
    assert "Thank you for your answer" in client.get(response.url).content.decode()
    vote = PageFeedback.objects.get()
    assert (vote.path, vote.useful, vote.comment) == (
        "/actions/",
        False,
        "The <table> is hard to read.",
    )


def test_htmx_vote_swaps_the_widget(client, site):
    response = client.post(URL, useful_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thank you for your answer" in html and "<html" not in html
    assert PageFeedback.objects.get().useful is True


def test_the_thanks_page_only_links_back_inside_the_site(client):
    html = client.get(reverse("feedback:useful_thanks"), {"next": "//evil.example/"})
    assert 'href="/"' in html.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"homepage": "spam"}, "hidden field was filled in"),
        ({"useful": "maybe"}, "Choose yes or no"),
        ({"useful": None}, "Choose yes or no"),
        ({"page": "/admin/"}, "This page does not take feedback"),
        ({"page": "/nowhere/"}, "This page does not take feedback"),
        ({"comment": "x" * 1001}, "at most 1000 characters"),
        ({"form_token": "forged"}, "could not be verified"),
    ],
)
def test_bad_votes_are_refused_with_a_message(client, site, overrides, message):
    response = client.post(URL, useful_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_too_fast_vote_is_refused(client, site, settings):
    settings.FEEDBACK_MIN_SECONDS = 5
    response = client.post(URL, useful_data())
    assert response.status_code == 422 and "too quickly" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_the_same_comment_twice_is_refused(client, site):
    client.post(URL, useful_data(comment="Please add a search box."))
    response = client.post(URL, useful_data(comment="please add a  search box."))
    assert response.status_code == 422 and "already been received" in response.content.decode()
    assert PageFeedback.objects.count() == 1


def test_votes_are_rate_limited(client, site, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    client.post(URL, useful_data())
    response = client.post(URL, useful_data())
    assert response.status_code == 429
    assert PageFeedback.objects.count() == 1


def test_coordinators_see_the_summary(client, site, coordinator):
    for useful, comment in [("yes", ""), ("yes", ""), ("no", "Too <long>.")]:
        client.post(URL, useful_data(useful=useful, comment=comment))
    client.post(URL, useful_data(page="/privacy/", useful="no"))
    client.force_login(coordinator)
    html = client.get(reverse("feedback:moderation_pages")).content.decode()
    assert "/actions/" in html and "67 %" in html and "Too &lt;long&gt;." in html


def test_others_cannot_see_the_summary(client, site, officer):
    client.force_login(officer)
    assert client.get(reverse("feedback:moderation_pages")).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_the_widget_asks_its_question_once(client, site, path):
    html = client.get(path).content.decode()
    widget = html.split('id="useful-widget"', 1)[1]
    assert widget.count("Was this page useful?") == 1
    assert '<legend class="form-label fs-6 fw-semibold"><h2 id="useful-heading"' in widget


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_links_to_the_feedback_rounds(client, site, path):
    assert f'href="{reverse("feedback:rounds")}"' in client.get(path).content.decode()


def test_the_actions_list_tells_citizens_where_the_rounds_are(client, site):
    html = client.get("/actions/").content.decode()
    assert "See the feedback rounds and what they changed" in html
