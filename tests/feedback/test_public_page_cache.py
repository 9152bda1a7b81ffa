"""Anonymous visitors get the home and Action pages from the cache, with their own tokens.

Tried as a visitor would get around it: two visitors, a second view after moderation, another
language, a logged-in user, a visitor with a message waiting, htmx.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from actions.models import Action
from feedback.antispam import FORM_SALT
from tests.factories import CommentFactory
from tests.feedback.conftest import comment_data

ACTION_PAGE = "/actions/3/"
# A cached page: the version key and the page itself come from the cache; an anonymous visitor
# without a session cookie costs no query at all.
CACHED_PAGE_QUERIES = 0
# The Action page rendered afresh: the Action, its links, its neighbours, the rounds and
# the comments (what a made-up query string costs every time).
RENDERED_PAGE_QUERIES = 7


def csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def form_tokens(html: str) -> list[str]:
    return re.findall(r'name="form_token" value="([^"]+)"', html)


def visit(client, path=ACTION_PAGE, **headers) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def decide_url():
    return lambda comment, decision: reverse(
        "feedback:moderation_decide", args=[comment.pk, decision]
    )


def test_two_visitors_of_a_cached_page_get_their_own_tokens_and_both_can_post(open_round):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = visit(first), visit(second)  # the second is served from the cache

    assert csrf_tokens(page_one) and form_tokens(page_one)
    assert not set(csrf_tokens(page_one)) & set(csrf_tokens(page_two))
    assert not set(form_tokens(page_one)) & set(form_tokens(page_two))
    assert "\x00" not in page_two
    for client, html, body in ((first, page_one, "first"), (second, page_two, "second")):
        data = comment_data(
            body=f"The {body} visitor asks for published evaluation criteria.",
            form_token=form_tokens(html)[0],
            csrfmiddlewaretoken=csrf_tokens(html)[0],
        )
        response = client.post(reverse("feedback:comment", args=[3]), data)
        assert response.status_code == 302, response.content.decode()[:500]


def test_a_cached_page_hands_out_form_tokens_of_the_right_form(open_round):
    from django.core import signing

    visit(Client())
    html = visit(Client())

    purposes = [signing.loads(t, salt=FORM_SALT)["p"] for t in form_tokens(html)]
    assert purposes == ["comment", "useful"]


def test_a_comment_published_by_moderation_shows_on_the_next_anonymous_view(
    client, coordinator, open_round, decide_url
):
    comment = CommentFactory(round=open_round, body="Please publish the error rates by group.")
    assert comment.body not in visit(Client())

    client.force_login(coordinator)
    assert client.post(decide_url(comment, "publish")).status_code == 302
    assert comment.body in visit(Client())

    assert client.post(decide_url(comment, "hide"), {"note": "Off topic."}).status_code == 302
    assert comment.body not in visit(Client())

    assert client.post(decide_url(comment, "unhide")).status_code == 302
    assert comment.body in visit(Client())


def test_a_changed_action_shows_on_the_next_anonymous_view(open_round):
    visit(Client())
    Action.objects.filter(number=3).update(objective="A changed objective.")
    call_command("load_demo_data", no_accounts=True, stdout=None)

    html = visit(Client())
    assert "A changed objective." not in html  # load_demo_data put the plan's text back
    assert Action.objects.get(number=3).objective.split("\n")[0][:30] in html


def test_each_language_has_its_own_copy(open_round):
    english = visit(Client(), HTTP_ACCEPT_LANGUAGE="en")
    french = visit(Client(), HTTP_ACCEPT_LANGUAGE="fr")
    english_again = visit(Client(), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="fr"' in french and "Commentaire" in french
    assert '<html lang="en"' in english_again and "Comment on Action 3" in english_again
    assert english.count("Comment on Action 3") == english_again.count("Comment on Action 3")


@pytest.mark.parametrize("comments", [3, 30])
def test_a_cached_action_page_takes_a_small_constant_number_of_queries(
    open_round, comments, django_assert_max_num_queries
):
    CommentFactory.create_batch(comments, round=open_round, published=True)
    visit(Client())

    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        visit(Client())


def test_a_cached_home_page_takes_no_query(open_round, django_assert_max_num_queries):
    visit(Client(), "/")

    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        html = visit(Client(), "/")
    assert csrf_tokens(html)


def test_a_comment_page_number_has_its_own_copy_but_made_up_query_strings_are_not_stored(
    open_round, django_assert_max_num_queries, django_assert_num_queries
):
    CommentFactory.create_batch(3, round=open_round, published=True)
    visit(Client(), f"{ACTION_PAGE}?comments=1")
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        visit(Client(), f"{ACTION_PAGE}?comments=1")

    visit(Client(), f"{ACTION_PAGE}?utm_source=mail")
    with django_assert_num_queries(RENDERED_PAGE_QUERIES):
        visit(Client(), f"{ACTION_PAGE}?utm_source=mail")


def test_a_logged_in_user_gets_the_page_rendered_for_them(client, officer, open_round):
    visit(Client())
    client.force_login(officer)

    html = visit(client)
    assert "Signed in as" in html


def test_a_visitor_with_a_message_waiting_sees_it(client, open_round):
    visit(Client())
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "You are signed out.")])

    assert "You are signed out." in visit(client)


def test_htmx_requests_are_not_served_the_cached_full_page(open_round):
    visit(Client())

    html = visit(Client(), HTTP_HX_REQUEST="true")
    assert csrf_tokens(html)


@pytest.mark.parametrize("number", ["999999", "01", "0"])
def test_a_comment_page_number_that_is_not_the_page_shown_is_not_stored(
    open_round, number, django_assert_num_queries
):
    CommentFactory.create_batch(3, round=open_round, published=True)
    visit(Client(), f"{ACTION_PAGE}?comments={number}")
    with django_assert_num_queries(RENDERED_PAGE_QUERIES):
        visit(Client(), f"{ACTION_PAGE}?comments={number}")
