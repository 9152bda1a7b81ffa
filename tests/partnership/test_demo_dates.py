"""Demo assessments of past cycles carry dates of their own year, not the day of the load."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessment.cycles import current_cycle
from assessment.models import Answer, Assessment, AssessmentEvent

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_past_cycles_last_change_lies_in_their_own_year(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")
    past = Assessment.objects.filter(cycle__lt=current_cycle())
    assert past.exists()
    for assessment in past:
        assert assessment.updated_at.year == assessment.cycle, assessment
        assert assessment.created_at.year == assessment.cycle
        latest = max(
            filter(None, [assessment.submitted_at, assessment.returned_at, assessment.approved_at])
        )
        assert assessment.updated_at == latest
    assert not Answer.objects.filter(assessment__in=past, updated_at__year=2026).exists()
    assert not AssessmentEvent.objects.filter(assessment__in=past, created_at__year=2026).exists()
    client.force_login(get_user_model().objects.get(username="officer"))
    html = client.get(reverse("assessment:dashboard")).content.decode()
    assert "20 Nov 2025, 15:00" in html  # Mechelen's 2025 assessment, approved that day


def test_no_demo_date_lies_in_the_future(settings):
    settings.DEBUG = True
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        call_command("load_demo_data")
        now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        for assessment in Assessment.objects.all():
            for field in ("created_at", "updated_at", "submitted_at", "approved_at"):
                value = getattr(assessment, field)
                assert value is None or value <= now, (assessment, field, value)
