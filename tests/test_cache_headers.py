"""What a logged-in user sees is never stored: every page, results.json, every CSV export and
the PDF answer `Cache-Control: private, no-store`. Every response refuses the browser features
the site does not use (Permissions-Policy)."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.pages import PAGES, ROLES

pytestmark = pytest.mark.django_db

LOGGED_IN_ROLES = [role for role in ROLES if role != "anonymous"]
# Each page that some logged-in role gets, once, as the first such role.
PRIVATE_PAGES = [
    (page, next(role for role in LOGGED_IN_ROLES if page.expect[role] == 200))
    for page in PAGES
    if any(page.expect[role] == 200 for role in LOGGED_IN_ROLES)
]
EXPORTS = [page for page, _ in PRIVATE_PAGES if page.kind in {"csv", "json"}]


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def get(client, world, page, role):
    client.logout()
    client.force_login(world.user(role))
    response = client.get(page.path(world), follow=page.follow)
    assert response.status_code == 200, page.id
    return response


@pytest.mark.parametrize(("page", "role"), PRIVATE_PAGES, ids=[p.id for p, _ in PRIVATE_PAGES])
def test_every_page_of_a_logged_in_user_is_private_and_not_stored(client, world, page, role):
    response = get(client, world, page, role)
    directives = cache_directives(response)
    assert {"private", "no-store"} <= directives, f"{page.id}: {response.get('Cache-Control')}"
    assert "public" not in directives
    assert not get_max_age(response)


@pytest.mark.parametrize("page", EXPORTS, ids=[p.id for p in EXPORTS])
def test_every_export_says_private_no_store_itself(client, world, page, settings):
    """The exports set it themselves too, so a change to the middleware list cannot drop it."""
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "portal.middleware.PrivatePagesMiddleware"
    ]
    role = next(role for role in LOGGED_IN_ROLES if page.expect[role] == 200)
    assert {"private", "no-store"} <= cache_directives(get(client, world, page, role))


def test_the_exports_are_all_in_the_list():
    assert {page.name for page in EXPORTS} >= {
        "assessment:results_json",
        "assessment:export_scores",
        "assessment:export_answers",
        "feedback:moderation_export",
    }


def test_a_logged_in_users_error_page_is_not_stored_either(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("assessment:results", args=[world.other_draft.pk]))
    assert response.status_code == 404
    assert {"private", "no-store"} <= cache_directives(response)


def test_public_pages_for_anonymous_visitors_are_not_marked_private(client, world):
    response = client.get(reverse("portal:home"))
    assert "private" not in cache_directives(response)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/healthz"])
def test_every_response_refuses_camera_microphone_and_location(client, world, path):
    policy = client.get(path)["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
