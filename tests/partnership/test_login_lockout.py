"""The login lock-out: it ends 15 minutes after the last counted failure whatever is tried
during it, it also stops one password tried on many accounts from one address, and the
address it counts cannot be changed by the visitor."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def login(client, username, password=TEST_PASSWORD, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def test_wrong_attempts_during_a_lockout_do_not_extend_it(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            login(client, "officer", "wrong")
        assert login(client, "officer").status_code == 429
        for seconds in (240, 480, 720, 890):
            clock.move_to(START + dt.timedelta(seconds=seconds))
            assert login(client, "officer", "wrong").status_code == 429
        clock.move_to(START + dt.timedelta(seconds=901))
        response = login(client, "officer")
    assert response.status_code == 302


def test_the_correct_password_is_refused_during_the_lockout(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            login(client, "officer", "wrong")
        clock.move_to(START + dt.timedelta(seconds=899))
        assert login(client, "officer").status_code == 429


def test_one_password_sprayed_over_many_accounts_locks_the_address(client, officer):
    for number in range(19):
        UserFactory(username=f"member-{number}")
        assert login(client, f"member-{number}", "Summer2026!").status_code == 200
    UserFactory(username="member-19")
    assert login(client, "member-19", "Summer2026!").status_code == 429
    response = login(client, "officer")
    assert response.status_code == 429
    assert "paused for 15 minutes" in response.content.decode()


def test_a_few_failures_from_a_shared_address_do_not_lock_colleagues_out(client, officer):
    for number in range(10):
        UserFactory(username=f"member-{number}")
        login(client, f"member-{number}", "wrong")
    assert login(client, "officer").status_code == 302


def test_a_spoofed_forwarded_for_does_not_evade_the_address_limit(client, officer):
    for number in range(20):
        UserFactory(username=f"member-{number}")
        login(
            client, f"member-{number}", "Summer2026!", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"
        )
    assert login(client, "officer", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_a_spoofed_forwarded_for_does_not_evade_the_account_limit(client, officer):
    for number in range(5):
        login(client, "officer", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert login(client, "officer", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_is_counted(client, officer, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        login(client, "officer", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert login(client, "officer", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # A colleague behind the same proxy, from another address, still gets in.
    assert login(client, "officer", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_logging_in_with_a_valid_account_does_not_reset_the_address_count(client, officer):
    for number in range(19):
        UserFactory(username=f"member-{number}")
        assert login(client, f"member-{number}", "Summer2026!").status_code == 200
    assert login(client, "officer").status_code == 302
    client.logout()
    UserFactory(username="member-19")
    assert login(client, "member-19", "Summer2026!").status_code == 429
    assert login(client, "officer").status_code == 429


def test_logging_in_forgives_the_accounts_own_failures_from_that_address(client, officer):
    for _ in range(4):
        login(client, "officer", "wrong")
    assert login(client, "officer").status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "officer", "wrong").status_code == 200
    assert login(client, "officer").status_code == 302
