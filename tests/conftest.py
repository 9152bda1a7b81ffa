"""The cast of users and the content every test can count on."""

import pytest
from django.core.cache import cache

from tests.factories import (
    CoordinatorFactory,
    MembershipFactory,
    UrbanAuthorityFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def content(db):
    """The six Actions, the partnership's pages and the current questionnaire, as in production."""
    from actions.content import load_actions
    from assessment.questionnaire.loader import load_questionnaire
    from partnership.content import load_partnership

    load_actions()
    load_partnership()
    return load_questionnaire().questionnaire


@pytest.fixture
def questionnaire(content):
    return content


@pytest.fixture
def authority(db):
    return UrbanAuthorityFactory(name="Mechelen", country="BE", population=87_000)


@pytest.fixture
def other_authority(db):
    return UrbanAuthorityFactory(name="Riga", country="LV", population=605_000)


@pytest.fixture
def officer(authority):
    return MembershipFactory(authority=authority, user__username="officer").user


@pytest.fixture
def colleague(authority):
    return MembershipFactory(authority=authority, user__username="colleague").user


@pytest.fixture
def other_city_officer(other_authority):
    return MembershipFactory(authority=other_authority, user__username="riga-officer").user


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(username="coordinator")


@pytest.fixture
def user_without_authority(db):
    return UserFactory(username="visitor")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects of the page catalogue (tests/pages.py), built once per test module.

    They live in a transaction around the module; each test runs in a savepoint inside it
    (the `db` fixture), so what a test changes is undone and the next test sees the same world.
    """
    from django.db import transaction
    from django.test import override_settings

    from tests.pages import build_world, load_content

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        load_content()
        yield build_world()
        transaction.set_rollback(True)
