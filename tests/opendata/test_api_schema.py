"""schemathesis against the served OpenAPI schema: every operation, generated parameters
(valid and invalid), no 5xx, every response valid against the schema (status code, content
type, headers, body). Runs in CI with the rest of the suite; examples are capped to keep it
well under two minutes."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.opendata.conftest import CYCLE, seed_field


@pytest.fixture
def api_schema(content, settings):
    """The site's WSGI application, called in the test's transaction. Like Django's test
    client, it must not close the database connection between requests: on PostgreSQL that
    would end the test's transaction and every request after the first would answer 503."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.OPENDATA_RATE_LIMIT = (100_000, 60)
    seed_field(countries={"BE": 6, "LV": 3}, cycle=CYCLE - 1)
    seed_field(countries={"BE": 7, "FR": 5, "LV": 4})
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@pytest.mark.django_db
def test_every_operation_answers_within_its_schema(case):
    case.call_and_validate()
