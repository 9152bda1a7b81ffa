"""Who may open or post to each URL of the officers' questionnaire: a role-by-URL table.

Reading: the authority's officers and coordinators; changing (start, save, submit): the
authority's officers only, coordinators get 403; officers of another authority and users
without an authority get 404 (never confirming the assessment exists); anonymous users are
sent to the login page.
"""

import pytest
from django.urls import get_resolver, reverse

from assessment.models import Answer, Assessment, Item
from tests.factories import AssessmentFactory, answer_form_data

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = [
    "officer",
    "colleague",
    "other_city_officer",
    "coordinator",
    "user_without_authority",
    "anonymous",
]

# url name -> (method, expected status per role, in the order of ROLES)
TABLE = {
    "dashboard": ("get", [200, 200, 200, 302, 200, LOGIN]),
    "start": ("post", [302, 302, 404, 403, 404, LOGIN]),
    "overview": ("get", [200, 200, 404, 200, 404, LOGIN]),
    "section": ("get", [200, 200, 404, 200, 404, LOGIN]),
    "save": ("post", [302, 302, 404, 403, 404, LOGIN]),
    "submit": ("post", [302, 302, 404, 403, 404, LOGIN]),
}
CASES = [
    (name, role, expected[i])
    for name, (_, expected) in TABLE.items()
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def assessment(content, authority):
    """A complete draft of Mechelen (the officer's and colleague's authority)."""
    return AssessmentFactory(authority=authority, cycle=2024, complete=True)


def request_for(name: str, assessment: Assessment):
    item = Item.objects.get(questionnaire=assessment.questionnaire, code="A1.2")
    return {
        "dashboard": (reverse("assessment:dashboard"), None),
        "start": (reverse("assessment:start"), {"authority": assessment.authority_id}),
        "overview": (reverse("assessment:overview", args=[assessment.pk]), None),
        "section": (reverse("assessment:section", args=[assessment.pk, 1]), None),
        "save": (
            reverse("assessment:save", args=[assessment.pk, 1]),
            answer_form_data(assessment, item, level="1"),
        ),
        "submit": (
            reverse("assessment:submit", args=[assessment.pk]),
            {"revision": assessment.revision},
        ),
    }[name]


@pytest.mark.parametrize(
    ("name", "role", "expected"), CASES, ids=[f"{name}-{role}" for name, role, _ in CASES]
)
def test_role_by_url(request, client, assessment, name, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    else:
        for fixture in ("officer", "colleague", "other_city_officer", "coordinator"):
            request.getfixturevalue(fixture)
    url, data = request_for(name, assessment)
    method, _ = TABLE[name]
    before = list(
        Answer.objects.filter(assessment=assessment).values("item_id", "level", "version")
    )
    status_before = assessment.status
    response = (
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    )

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('login')}?next=")
    else:
        assert response.status_code == expected
    if expected != 302 or role == "coordinator":
        # Refused (or only read): nothing changed.
        assert (
            list(Answer.objects.filter(assessment=assessment).values("item_id", "level", "version"))
            == before
        )
        assessment.refresh_from_db()
        assert assessment.status == status_before
        assert Assessment.objects.count() == 1


def test_the_table_covers_every_url_of_the_officer_views():
    officer_urls = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == "assessment"
        for pattern in pattern.url_patterns
        if pattern.callback.__module__ == "assessment.views.officer"
    }
    assert officer_urls <= set(TABLE)
    assert officer_urls >= {"dashboard", "start", "overview", "section", "save", "submit"}


def test_another_authority_is_404_on_every_section_and_save(client, other_city_officer, assessment):
    client.force_login(other_city_officer)
    for action in range(1, 7):
        assert (
            client.get(reverse("assessment:section", args=[assessment.pk, action])).status_code
            == 404
        )
        assert (
            client.post(reverse("assessment:save", args=[assessment.pk, action]), {}).status_code
            == 404
        )
    assert client.get(reverse("assessment:section", args=[999_999, 1])).status_code == 404


def test_saving_by_an_officer_of_the_authority_changes_the_answer(client, colleague, assessment):
    client.force_login(colleague)
    url, data = request_for("save", assessment)
    client.post(url, data)
    answer = Answer.objects.get(assessment=assessment, item__code="A1.2")
    assert (answer.level, answer.updated_by) == (1, colleague)
