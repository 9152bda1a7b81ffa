"""Shared fixtures of the feedback tests: rounds, a valid comment and the form timing."""

import pytest

from actions.models import Action
from feedback.antispam import issue_form_token
from tests.factories import FeedbackRoundFactory


@pytest.fixture(autouse=True)
def _no_waiting(no_form_delay):
    """Forms may be posted at once unless a test sets a minimum time."""


@pytest.fixture
def open_round(content):
    return FeedbackRoundFactory(title="Open round", slug="open-round")


@pytest.fixture
def action3(content):
    return Action.objects.get(number=3)


def comment_data(**overrides) -> dict:
    data = {
        "body": "The evaluation should publish error rates for every group of people.",
        "display_name": "Luc",
        "email": "luc@example.org",
        "respondent_type": "citizen",
        "country": "FR",
        "consent": "on",
        "homepage": "",
        "form_token": issue_form_token(purpose="comment"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def useful_data(**overrides) -> dict:
    data = {
        "page": "/actions/",
        "useful": "yes",
        "comment": "",
        "homepage": "",
        "form_token": issue_form_token(purpose="useful"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def report_data(**overrides) -> dict:
    data = {"reason": "spam", "homepage": "", "form_token": issue_form_token(purpose="report")}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
