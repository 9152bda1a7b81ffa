"""The cast of users and the content every test can count on."""

import copy
import inspect
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.template import TemplateSyntaxError
from django.test import override_settings

from tests.factories import (
    CoordinatorFactory,
    MembershipFactory,
    UrbanAuthorityFactory,
    UserFactory,
)

PROJECT_TEMPLATES = str(Path(__file__).resolve().parent.parent / "templates")


class UndefinedTemplateVariable(str):
    """`string_if_invalid` in tests: an undefined variable in one of our templates fails the
    test (as in les-emplois). Third-party templates (admin, crispy) keep Django's silence."""

    def __mod__(self, name):
        origin = _rendering_origin()
        if origin is not None and origin.startswith(PROJECT_TEMPLATES):
            raise TemplateSyntaxError(f"Undefined template variable {name!r} in {origin}")
        return ""


def _rendering_origin() -> str | None:
    """The file of the template node being rendered, found up the call stack."""
    frame = inspect.currentframe()
    while frame is not None:
        origin = getattr(frame.f_locals.get("self"), "origin", None)
        if origin is not None and getattr(origin, "name", None):
            return str(origin.name)
        frame = frame.f_back
    return None


def test_settings() -> dict:
    """Every setting the test run changes, in one place (also used by the `world` fixture)."""
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = UndefinedTemplateVariable("%s")
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "TEMPLATES": templates,
    }


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    with override_settings(**test_settings()):
        yield


@pytest.fixture(autouse=True)
def _isolated():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_form_delay(settings):
    """Forms may be posted at once (the anti-spam minimum time is off)."""
    settings.FEEDBACK_MIN_SECONDS = 0


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

    from tests.pages import build_world, load_content

    with django_db_blocker.unblock(), transaction.atomic():
        load_content()
        yield build_world()
        transaction.set_rollback(True)
