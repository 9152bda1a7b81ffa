"""The Content-Security-Policy allows only the site's own scripts and styles, and the pages
need nothing more: no inline <script>, no on* event handlers, no style="" attributes (the
policy would block them). Framing, MIME sniffing and the referrer are locked down."""

import pytest

from tests.html_audit import audit
from tests.pages import PAGES, ROLES

pytestmark = pytest.mark.django_db

# Each HTML page once, as the first role that gets it.
HTML_PAGES = [
    (page, next(role for role in ROLES if page.expect[role] == 200))
    for page in PAGES
    if page.kind == "html" and 200 in page.expect.values()
]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def check_headers(response, where: str) -> None:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"], where
    assert directives["script-src"] == ["'self'"], where  # no 'unsafe-inline', no hosts
    assert directives["style-src"] == ["'self'"], where
    assert directives["object-src"] == ["'none'"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert directives["base-uri"] == ["'self'"], where
    assert directives["form-action"] == ["'self'"], where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where


def test_every_html_page_keeps_to_the_policy(client, world):
    problems = []
    for role in ROLES:
        pages = [page for page, first_role in HTML_PAGES if first_role == role]
        client.logout()
        if (user := world.user(role)) is not None:
            client.force_login(user)
        for page in pages:
            path = page.path(world)
            response = client.get(path, follow=page.follow)
            assert response.status_code == 200, path
            check_headers(response, path)
            found = audit(response.content.decode())
            if found.inline_scripts:
                problems.append(f"{path}: inline <script> {found.inline_scripts}")
            if found.event_handlers:
                problems.append(f"{path}: event-handler attributes {found.event_handlers}")
            if found.style_attributes:
                problems.append(f"{path}: {found.style_attributes} style attributes")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "name",
    [
        "healthz",
        "assessment:results_json",
        "assessment:export_scores",
        "feedback:moderation_export",
    ],
)
def test_data_responses_carry_the_same_headers(client, world, name):
    page = next(page for page in PAGES if page.name == name)
    client.force_login(world.coordinator)
    response = client.get(page.path(world))
    assert response.status_code == 200
    check_headers(response, name)


def test_error_pages_carry_the_same_headers(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    check_headers(response, "404")
    client.force_login(world.officer)
    response = client.get("/assessment/coordinator/")
    assert response.status_code == 403
    check_headers(response, "403")


def test_the_audit_sees_inline_scripts_handlers_and_styles():
    found = audit(
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<button onclick="go()">Go</button><p style="color:red">x</p>'
    )
    assert found.inline_scripts == ["alert(1)"]
    assert found.event_handlers == ["<button onclick>"]
    assert found.style_attributes == 1
