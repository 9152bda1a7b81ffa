"""The partnership page writes each meeting session's kind once, before a title that does
not repeat it."""

import re

import pytest
from django.urls import reverse

from partnership.models import MeetingSession

pytestmark = pytest.mark.django_db


def test_no_session_title_repeats_its_kind(content):
    for session in MeetingSession.objects.all():
        kind = str(session.get_kind_display()).lower()
        assert not session.title.lower().startswith(kind.split()[0]), session.title


def test_the_partnership_page_prints_no_label_twice(client, content):
    html = client.get(reverse("partnership:about")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Plenary: State of play of the Action Plan" in text
    assert "Technical session: Action 4 work plan" in text
    for label in ("Plenary", "Technical session"):
        assert f"{label}: {label}" not in text
