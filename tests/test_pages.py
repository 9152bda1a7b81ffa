"""Every page of the catalogue (tests/pages.py) for every role: the expected status and, for
each HTML page shown, exactly one <h1>, a <title>, a label for every field, unique ids and no
broken internal links."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.html_audit import audit, internal
from tests.pages import EXEMPT, PAGES, POSTS, ROLES, Redirect, uncatalogued

pytestmark = pytest.mark.django_db

CASES = [(page, role) for page in PAGES for role in ROLES]
CONTENT_TYPES = {
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
    "pdf": "application/pdf",
    "jsonld": "application/ld+json",
}
# Statuses shown to a user as a page of the site (error pages included).
SHOWN = {200, 202, 403, 404, 410, 422}


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _module_cache):
    """As in tests/conftest.py, but the cache lives as long as the module's world: these tests
    only read, and a PDF linked from several pages is rendered once."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def _module_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def link_statuses(world):
    """(role, path) -> status, so each internal link is fetched once per role and module.

    Links to a catalogued page take the catalogue's expectation (its own test checks it),
    which spares rendering PDFs and CSV exports once more for every page linking to them."""
    return {
        (role, page.path(world)): 302
        if isinstance(page.expect[role], Redirect)
        else page.expect[role]
        for page in PAGES
        for role in ROLES
    }


def log_in(client, world, role):
    user = world.user(role)
    if user is not None:
        client.force_login(user)


def check_status(response, expected, where: str) -> None:
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"{where}: {response.status_code}, expected {expected}"
        assert response["Location"].startswith(expected.path), (
            f"{where}: redirects to {response['Location']}, expected {expected}"
        )
    else:
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, expected {expected}"
        )


def page_problems(html: str) -> list[str]:
    found = audit(html)
    problems = []
    if found.h1 != 1:
        problems.append(f"{found.h1} <h1> elements (expected exactly one)")
    if not found.title.strip():
        problems.append("an empty <title>")
    if unlabelled := found.unlabelled():
        problems.append(f"fields without a label: {unlabelled}")
    if duplicates := found.duplicate_ids():
        problems.append(f"duplicate ids: {duplicates}")
    if dangling := found.dangling_labels():
        problems.append(f"<label for> pointing at no element: {dangling}")
    return problems


def broken_links(client, html: str, *, path: str, role: str, cache: dict) -> list[str]:
    found = audit(html)
    broken = []
    for href in dict.fromkeys(found.links + found.assets):
        target = internal(href, page_path=path)
        if target is None:
            continue
        key = (role, target)
        if key not in cache:
            response = client.get(target)
            if response.streaming:
                # Consume through the test client's wrapper, which closes the open file without
                # firing request_finished (that would close the test's database connection).
                b"".join(response.streaming_content)
            cache[key] = response.status_code
        if cache[key] >= 400:
            broken.append(f"{href} -> {cache[key]}")
    return broken


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p.id}-{r}" for p, r in CASES])
def test_page(client, world, link_statuses, page, role):
    log_in(client, world, role)
    path = page.path(world)
    response = client.get(path, follow=page.follow)
    where = f"{path} as {role}"
    check_status(response, page.expect[role], where)
    if response.status_code == 200:
        content_type = response.get("Content-Type", "")
        assert content_type.startswith(CONTENT_TYPES[page.kind]), f"{where}: {content_type}"
        if page.contains:
            assert page.contains.encode() in response.content, f"{where}: no {page.contains!r}"
    if response.status_code not in SHOWN or not response.get("Content-Type", "").startswith(
        "text/html"
    ):
        return
    html = response.content.decode()
    problems = page_problems(html)
    assert not problems, f"{where}: " + "; ".join(problems)
    broken = broken_links(client, html, path=path, role=role, cache=link_statuses)
    assert not broken, f"{where}: broken internal links {broken}"


def test_every_url_is_in_the_catalogue():
    missing = uncatalogued()
    assert not missing, f"Add these URLs to tests/pages.py (PAGES or POSTS) or EXEMPT: {missing}"


def test_exemptions_name_existing_urls():
    from tests.pages import url_names

    assert set(EXEMPT) <= url_names()


def test_every_role_has_an_expectation_for_every_page():
    incomplete = [page.id for page in PAGES if set(page.expect) != set(ROLES)]
    assert not incomplete


def test_an_unknown_address_shows_the_portal_404_page(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not page_problems(response.content.decode())


def test_the_audit_sees_unlabelled_fields_and_accepts_every_way_of_labelling():
    found = audit(
        '<label for="a">A</label><input id="a">'
        '<label>B <select name="b"></select></label>'
        '<textarea aria-label="C"></textarea>'
        '<span id="d-label">D</span><input aria-labelledby="d-label">'
        '<input type="hidden" name="e"><input type="submit">'
        '<input name="unlabelled"><input aria-labelledby="missing">'
    )
    assert found.unlabelled() == [
        "<input name='unlabelled' id=None type=None>",
        "<input name=None id=None type=None>",
    ]


# Each HTML page once, as the first role that gets it.
HTML_PAGES = [
    (page, next(role for role in ROLES if page.expect[role] == 200))
    for page in PAGES
    if page.kind == "html" and 200 in page.expect.values()
]


@pytest.mark.parametrize(("page", "role"), HTML_PAGES, ids=[p.id for p, _ in HTML_PAGES])
def test_page_in_french(client, world, page, role):
    """The French translation neither breaks a page nor its structure (every other shipped
    language: tests/test_no_english_left.py, on the same renders as its English check)."""
    log_in(client, world, role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(page.path(world), follow=page.follow)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert not page_problems(html), page_problems(html)


@pytest.mark.parametrize("post", POSTS, ids=[post.id for post in POSTS])
def test_refused_post_shows_a_well_formed_page(client, world, settings, post):
    """An empty post re-renders its form with errors (or is refused): one <h1>, labels."""
    settings.FEEDBACK_MIN_SECONDS = 0
    log_in(client, world, post.role)
    response = client.post(post.path(world), {})
    assert response.status_code < 500
    if response.status_code in SHOWN and response["Content-Type"].startswith("text/html"):
        problems = page_problems(response.content.decode())
        assert not problems, f"{post.id}: " + "; ".join(problems)


@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "15 January 2024"), ("pl", "15 stycznia 2024"), ("es", "15 de enero de 2024")],
)
def test_dates_are_written_as_the_language_writes_them(client, world, language, date):
    """Polish puts the month in the genitive, Spanish says "de" (portal/formats/)."""
    log_in(client, world, "officer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("assessment:results", args=[world.approved.pk]))
    assert date in response.content.decode()
