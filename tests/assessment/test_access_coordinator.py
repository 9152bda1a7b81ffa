"""Every coordinator URL, for every role: only coordinators get in.

Anonymous users are sent to the login page; officers (of the assessment's own authority or of
another one) and users without an authority get 403 on the field pages and 404 on an
assessment's review pages; nothing is changed and no authority's data is shown to them."""

import pytest
from django.conf import settings
from django.urls import reverse

from assessment.models import Assessment, AssessmentEvent, Item, ItemComment
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

# name, method, needs the assessment's pk, what a coordinator gets
COORDINATOR_URLS = [
    ("coordinator_dashboard", "get", False, 200),
    ("coordinator_heatmap", "get", False, 200),
    ("export_scores", "get", False, 200),
    ("export_answers", "get", False, 200),
    ("review", "get", True, 200),
    ("review_return", "post", True, 302),
    ("review_approve", "post", True, 302),
    ("review_comment", "post", True, 302),
]
REFUSED_ROLES = ["officer", "other_city_officer", "user_without_authority"]


@pytest.fixture
def submitted(content, authority, officer):
    return AssessmentFactory(authority=authority, submitted=True)


def send(client, name: str, method: str, needs_pk: bool, assessment: Assessment):
    url = reverse(f"assessment:{name}", args=[assessment.pk] if needs_pk else [])
    data = {
        "review_return": {"comment": "Add evidence.", "revision": assessment.revision},
        "review_approve": {"revision": assessment.revision},
        "review_comment": {
            "item": Item.objects.order_by("position").first().pk,
            "text": "The link is broken.",
        },
    }.get(name)
    return url, getattr(client, method)(url, data) if data else getattr(client, method)(url)


def state(assessment: Assessment) -> tuple:
    return (
        Assessment.objects.filter(pk=assessment.pk).values().get(),
        AssessmentEvent.objects.count(),
        ItemComment.objects.count(),
    )


@pytest.mark.parametrize(("name", "method", "needs_pk", "expected"), COORDINATOR_URLS)
def test_coordinator_gets_in(client, coordinator, submitted, name, method, needs_pk, expected):
    client.force_login(coordinator)
    _, response = send(client, name, method, needs_pk, submitted)
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "method", "needs_pk", "expected"), COORDINATOR_URLS)
def test_anonymous_is_sent_to_the_login_page(client, submitted, name, method, needs_pk, expected):
    before = state(submitted)
    url, response = send(client, name, method, needs_pk, submitted)
    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))
    assert f"next={url}" in response.url.replace("%2F", "/")
    assert state(submitted) == before


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize(("name", "method", "needs_pk", "expected"), COORDINATOR_URLS)
def test_officers_and_other_users_are_refused(
    request, client, submitted, role, name, method, needs_pk, expected
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = state(submitted)
    _, response = send(client, name, method, needs_pk, submitted)
    assert response.status_code in (403, 404)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Mechelen" not in body or role == "officer"  # never another authority's name
    assert b"Town " not in body
    assert state(submitted) == before


def test_the_navigation_offers_the_field_pages_to_coordinators_only(client, coordinator, officer):
    client.force_login(coordinator)
    html = client.get(reverse("assessment:coordinator_dashboard")).content.decode()
    assert reverse("assessment:coordinator_heatmap") in html
    client.force_login(officer)
    html = client.get(reverse("actions:list")).content.decode()
    assert reverse("assessment:coordinator_heatmap") not in html
    assert reverse("assessment:coordinator_dashboard") not in html
