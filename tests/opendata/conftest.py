import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import approved_peer

CYCLE = 2025  # a closed cycle: published since its cut-off, 1 April 2026


def before_cutoff(cycle: int) -> dt.datetime:
    """An instant in the grace months after `cycle`, when its approvals still count."""
    return timezone.make_aware(dt.datetime(cycle + 1, 1, 15, 12))


def seed_field(
    *, countries: dict[str, int], cycle: int = CYCLE, score: float = 50.0, population: int = 100_000
) -> list:
    """Approved authorities per country, with scores spread around `score`."""
    seeded = []
    for country, count in countries.items():
        for i in range(count):
            seeded.append(
                approved_peer(
                    score=score + i,
                    cycle=cycle,
                    country=country,
                    population=population + 1000 * i,
                    name=f"{country} town {i} {cycle}",
                    approved_at=before_cutoff(cycle),
                )
            )
    return seeded


@pytest.fixture
def field(content):
    """Twenty-six approved authorities: Belgium 12, France 10, Latvia 4 (fewer than five)."""
    return seed_field(countries={"BE": 12, "FR": 10, "LV": 4})


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.OPENDATA_RATE_LIMIT = (10_000, 60)
