"""axe-core (WCAG 2.0/2.1 A and AA) over every HTML page of the catalogue (tests/pages.py), as
every role that gets the page, in the shipped languages: zero violations, and the page's `lang`
is the language it is shown in (any part marked otherwise names a shipped language, e.g. an
English fallback marked lang="en").

Languages: every page in English and French, as every role. The other shipped languages, for
the two roles that between them see every page but the officers' dashboard (anonymous: the
public site; coordinator: the assessments, reviews and moderation), check one page per URL name
(the six section pages differ in their questions only): all of it in six languages took 13 min
on a loaded machine, this 7.5 min (see LANGUAGES_PER_ROLE, FULL_LANGUAGES).

One browser context per role, logged in by copying a Django session cookie into it (no login
form each time); axe-core is added to every page of the context by an init script rather than
injected page by page.
"""

from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import AXE_TAGS
from tests.pages import PAGES, POSTS, ROLES, build_world, load_content

pytestmark = pytest.mark.django_db(transaction=True)

AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                   resultTypes: ["violations"]})
                   .then(results => results.violations.map(v => ({
                       id: v.id, help: v.help, count: v.nodes.length,
                       targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
                   })))"""
# Error pages, beyond the catalogue's 200 pages: path -> status, per role.
ERROR_PAGES = {"anonymous": {"/no-such-page/": 404}, "officer": {"/assessment/coordinator/": 403}}
# Pages everyone gets differ between roles only in the header (base.html), so they are checked
# as anonymous; the other roles check these two for their header, and their own pages.
SHARED_PAGES_PER_ROLE = {"portal:home", "login"}
SHIPPED = [code for code, _ in settings.LANGUAGES]
LANGUAGES_PER_ROLE = {
    role: SHIPPED if role in {"anonymous", "coordinator"} else ["en", "fr"] for role in ROLES
}
FULL_LANGUAGES = {"en", "fr"}  # every page of the catalogue; the others: one page per URL name
LANGUAGES_OF_PARTS = """() => [...document.querySelectorAll("body [lang]")].map(e => e.lang)"""


def pages_for(role: str, world, *, one_per_name: bool = False) -> dict[str, int]:
    """The paths `role` checks, with the status each must have (`one_per_name`: the first page
    of each URL name only)."""
    paths: dict[str, int] = {}
    names: set[str] = set()
    for page in PAGES:
        if (
            page.kind == "html"
            and page.expect[role] == 200
            and (
                role == "anonymous"
                or page.name in SHARED_PAGES_PER_ROLE
                or set(page.expect.values()) != {200}
            )
            and not (one_per_name and page.name in names)
        ):
            paths[page.path(world)] = 200
            names.add(page.name)
    return {**paths, **ERROR_PAGES.get(role, {})}


def context_for(browser, live_server, user, language: str = "en"):
    # Reduced motion: Bootstrap's colour transitions would let axe measure a half-faded link.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", reduced_motion="reduce")
    context.add_init_script(path=str(AXE_SCRIPT))
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        cookies.append({"name": cookie.key, "value": cookie.value, "url": live_server.url})
    context.add_cookies(cookies)
    return context


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_axe_violations(browser, live_server, role):
    load_content()
    world = build_world()
    found = []
    for language in LANGUAGES_PER_ROLE[role]:
        context = context_for(browser, live_server, world.user(role), language)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            one_per_name = language not in FULL_LANGUAGES
            for path, status in pages_for(role, world, one_per_name=one_per_name).items():
                response = page.goto(path)
                where = f"{path} in {language}"
                assert response.status == status, f"{where} as {role}: {response.status}"
                if (shown := page.evaluate("document.documentElement.lang")) != language:
                    found.append(f"{where}: <html lang={shown!r}>")
                if strays := set(page.evaluate(LANGUAGES_OF_PARTS)) - set(SHIPPED):
                    found.append(f"{where}: parts marked with languages not shipped {strays}")
                for violation in page.evaluate(RUN_AXE, AXE_TAGS):
                    found.append(
                        f"{where}: {violation['id']}: {violation['help']} "
                        f"({violation['count']} nodes, e.g. {violation['targets']})"
                    )
        finally:
            context.close()
    assert not found, f"axe-core as {role}:\n" + "\n".join(found)


def test_forms_showing_their_errors_have_no_axe_violations(browser, live_server, settings):
    """Each form of the catalogue posted empty by the role that uses it: the page with its
    error messages (rendered by Django's test client, shown in Chromium with the site's CSS)."""
    settings.FEEDBACK_MIN_SECONDS = 0
    load_content()
    world = build_world()
    context = browser.new_context(locale="en-GB", reduced_motion="reduce")  # see context_for
    context.add_init_script(path=str(AXE_SCRIPT))
    page = context.new_page()
    found = []
    try:
        for post in POSTS:
            client = Client()
            if (user := world.user(post.role)) is not None:
                client.force_login(user)
            if post.prepare:
                post.prepare(client, world)
            response = client.post(post.path(world), {})
            if response.status_code not in (200, 422) or not response["Content-Type"].startswith(
                "text/html"
            ):
                continue
            html = response.content.decode().replace(
                "<head>", f'<head><base href="{live_server.url}/">', 1
            )
            page.set_content(html, wait_until="load")
            for violation in page.evaluate(RUN_AXE, AXE_TAGS):
                found.append(
                    f"{post.id}: {violation['id']}: {violation['help']} "
                    f"({violation['count']} nodes, e.g. {violation['targets']})"
                )
    finally:
        context.close()
    assert not found, "axe-core on form errors:\n" + "\n".join(found)
