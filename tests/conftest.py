"""The cast of users and the content every test can count on."""

import copy
import inspect
import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.template import TemplateSyntaxError
from django.test import override_settings

from assessment import report
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
        # One process per test run: a local cache stands in for the shared one (Redis or the
        # database cache), which the multi-node tests use for real.
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "tests",
            }
        },
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


class ReportWorker:
    """A task worker run in the test's process: what `manage.py run_worker` would do."""

    def __init__(self, capture):
        self.capture = capture

    def run(self, rounds: int = 1) -> None:
        """Run the tasks enqueued so far (on commit), `rounds` times (retries are new tasks)."""
        from unittest import mock

        from django.core.management import call_command

        # The worker closes "old" connections between tasks; inside the test's transaction
        # that would close the test's own connection (PostgreSQL), so it is left open here.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            for _ in range(rounds):
                with self.capture(execute=True):
                    call_command("run_worker", batch=True, verbosity=0)

    def download(self, client, url: str, **kwargs):
        """Ask for a report (which enqueues it), let the worker render it, ask again."""
        with self.capture(execute=True):
            first = client.get(url, **kwargs)
        if first.get("Content-Type") == "application/pdf":
            return first
        self.run()
        return client.get(url, **kwargs)


@pytest.fixture
def pdf_renders(caplog):
    """How many PDFs were rendered so far, read from the report's log."""
    caplog.set_level(logging.INFO, logger="assessment.report")
    return lambda: sum(
        1 for r in caplog.records if r.name == "assessment.report" and r.msg == report.RENDERED
    )


@pytest.fixture
def report_worker(django_capture_on_commit_callbacks):
    return ReportWorker(django_capture_on_commit_callbacks)


SIX_LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
]


@pytest.fixture
def six_languages(settings):
    """The languages the partnership ships (settings.LANGUAGES may list fewer in a branch)."""
    settings.LANGUAGES = SIX_LANGUAGES
    return [code for code, _name in SIX_LANGUAGES]


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
