"""Every POST endpoint of the catalogue refuses a post without a CSRF token (403), and takes
the same post with the token: so the 403 is the CSRF check, not the role or the data."""

import pytest
from django.test import Client

from tests.pages import POSTS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.FEEDBACK_MIN_SECONDS = 0


def client_for(world, post, *, with_token: bool) -> Client:
    client = Client(enforce_csrf_checks=True)
    user = world.user(post.role)
    if user is not None:
        client.force_login(user)
    if post.prepare:
        post.prepare(client, world)
    if with_token:
        client.get("/")  # every page carries the language form, so sets the CSRF cookie
    return client


@pytest.mark.parametrize("post", POSTS, ids=[post.id for post in POSTS])
def test_post_without_csrf_token_is_refused(world, post):
    client = client_for(world, post, with_token=False)
    response = client.post(post.path(world), post.data(world))
    assert response.status_code == 403
    assert b"CSRF" in response.content


@pytest.mark.parametrize("post", POSTS, ids=[post.id for post in POSTS])
def test_post_with_csrf_token_is_taken(world, post):
    client = client_for(world, post, with_token=True)
    data = {**post.data(world), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    response = client.post(post.path(world), data)
    expected = post.expect[post.role]
    # Most posts redirect; a preview (the plan's what-if) answers with the page itself.
    assert response.status_code == (expected if isinstance(expected, int) else 302)
