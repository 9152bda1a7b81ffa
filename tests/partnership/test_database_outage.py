import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.partnership.outage_urls")]


def test_a_database_outage_answers_503_with_retry_after(client):
    response = client.get("/outage/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing you saved before is lost" in response.content.decode()


def test_other_errors_are_not_disguised_as_outages(client):
    client.raise_request_exception = False
    assert client.get("/bug/").status_code == 500


@pytest.fixture
def database_back_after_the_test():
    from django.db import connection

    from tests.partnership.outage_urls import fail_every_query

    yield
    while fail_every_query in connection.execute_wrappers:
        connection.execute_wrappers.remove(fail_every_query)


def test_an_outage_while_saving_a_logged_in_users_session_answers_503(
    client, officer, database_back_after_the_test
):
    client.force_login(officer)
    client.raise_request_exception = False  # as a real server: the 500 handler answers
    response = client.get("/outage-after-the-view/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing you saved before is lost" in response.content.decode()


def test_a_bug_outside_the_view_is_still_a_500(client, officer, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.partnership.outage_urls.BrokenMiddleware"]
    client.force_login(officer)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
