"""Who may post what: every POST endpoint of the catalogue (tests/pages.py) as every role.

The GET side of the matrix is in tests/test_pages.py. Here: a role that may post gets its
redirect; the others are sent to the login page (anonymous), refused (403) or told the object
does not exist (404, another city's officer), and nothing saved changes.
"""

import pytest

from tests.pages import LOGIN, POSTS, ROLES, Redirect, saved_state

pytestmark = pytest.mark.django_db

CASES = [(post, role) for post in POSTS for role in ROLES]


@pytest.fixture(autouse=True)
def _no_waiting(no_form_delay):
    pass


@pytest.mark.parametrize(("post", "role"), CASES, ids=[f"{p.id}-{r}" for p, r in CASES])
def test_post(client, world, post, role):
    if (user := world.user(role)) is not None:
        client.force_login(user)
    if post.prepare:
        post.prepare(client, world)
    expected = post.expect[role]
    before = saved_state()
    response = client.post(post.path(world), post.data(world))
    where = f"POST {post.path(world)} as {role}"
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"{where}: {response.status_code}"
        assert response["Location"].startswith(expected.path), (
            f"{where}: redirects to {response['Location']}"
        )
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"
    if expected == 302 and role == post.role:
        assert saved_state() != before or post.name in NO_SAVED_CHANGE, (
            f"{where}: accepted but nothing saved"
        )
    if expected in (LOGIN, 403, 404):
        assert saved_state() == before, f"{where}: refused but something changed"


# Accepted posts that change no row of `saved_state`: sessions, cookies and e-mail only, or
# (start) the current cycle's assessment already exists and is shown.
NO_SAVED_CHANGE = {"set_language", "login", "logout", "password_reset", "assessment:start"}


def test_every_post_expects_success_for_its_role():
    """A post redirects when it is taken; a preview (the plan's what-if) shows the page."""
    assert [p.id for p in POSTS if p.expect[p.role] not in (302, 200)] == []


def test_every_role_has_an_expectation_for_every_post():
    assert [p.id for p in POSTS if set(p.expect) != set(ROLES)] == []
