"""Whose address a request comes from (portal/client_address.py), the one rule behind the
login limits, the comment form's rate limit and the open-data rate limit."""

import pytest
from django.test import RequestFactory

from portal.client_address import client_address


def request_from(remote="192.0.2.10", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(request_from(forwarded="198.51.100.7")) == "192.0.2.10"


def test_behind_one_proxy_the_right_most_address_is_the_visitors(settings):
    settings.TRUSTED_PROXIES = 1
    request = request_from(forwarded="203.0.113.66, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_behind_two_proxies_the_address_the_outer_proxy_saw_is_the_visitors(settings):
    settings.TRUSTED_PROXIES = 2
    request = request_from(forwarded="203.0.113.66, 198.51.100.7, 10.0.0.2")
    assert client_address(request) == "198.51.100.7"


def test_an_ipv6_address_is_given_in_its_canonical_form(settings):
    settings.TRUSTED_PROXIES = 1
    request = request_from(forwarded="2001:DB8:0:0::1")
    assert client_address(request) == "2001:db8::1"


@pytest.mark.parametrize(
    "forwarded",
    ["", "   ", "not-an-address", "198.51.100.7, ", "198.51.100.7,unknown", "198.51.100.999"],
)
def test_a_malformed_forwarded_header_falls_back_to_the_connecting_address(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_address(request_from(forwarded=forwarded)) == "192.0.2.10"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(request_from(forwarded="198.51.100.7")) == "192.0.2.10"


def test_behind_a_proxy_a_missing_header_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_address(request_from()) == "192.0.2.10"
