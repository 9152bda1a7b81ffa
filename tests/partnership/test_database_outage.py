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
