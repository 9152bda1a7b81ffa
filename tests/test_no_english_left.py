"""No English left: every HTML page of the catalogue (tests/pages.py), in every shipped language
but English, as every role that gets it, shows no English source string untranslated (the
interface's msgids and the content translations' sources: tests/untranslated.py).

Each page is rendered once per language and role: pages every role gets are read as anonymous,
and the others' pages only where they differ (as the axe-core test does)."""

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.pages import PAGES, ROLES
from tests.test_pages import page_problems
from tests.untranslated import english_left, shown_on_page

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Pages every role gets differ between roles only in the header: read as anonymous, and as
# each other role for these two (their header).
SHARED_PAGES_PER_ROLE = {"portal:home", "login"}


def pages_for(role: str) -> list:
    return [
        page
        for page in PAGES
        if page.kind == "html"
        and page.expect[role] == 200
        and (
            role == "anonymous"
            or page.name in SHARED_PAGES_PER_ROLE
            or set(page.expect.values()) != {200}
        )
    ]


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_left_on_any_page(client, world, language, role):
    cache.clear()
    if (user := world.user(role)) is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found: dict[str, list[str]] = {"interface": [], "content": []}
    for page in pages_for(role):
        path = page.path(world)
        response = client.get(path, follow=page.follow)
        assert response.status_code == 200, f"{path} as {role} in {language}"
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, f"{path} as {role}: not in {language}"
        # The translation breaks neither the page nor its structure (one <h1>, labels...).
        assert not page_problems(html), f"{path} as {role} in {language}: {page_problems(html)}"
        for probe in english_left(shown_on_page(html), language):
            found[probe.kind].append(f"{page.id} ({path}): {probe.text!r}")
    where = f"in {language}, as {role}"
    assert not found["interface"], f"Interface English left {where}:\n" + "\n".join(
        found["interface"]
    )
    assert not found["content"], f"Content English left {where}:\n" + "\n".join(found["content"])
