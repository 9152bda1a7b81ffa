"""Peer benchmarks. The peer rule lives here, in `peer_assessments`, and nowhere else."""

from django.core.cache import cache

from assessment.models import Assessment


def peer_assessments(*, cycle: int, version: str):
    """Assessments that count as peers: approved, same cycle and questionnaire version.

    One per authority is guaranteed by the (authority, cycle) unique constraint.
    """
    return Assessment.objects.filter(
        cycle=cycle, questionnaire__version=version, status=Assessment.Status.APPROVED
    )


def cache_key(*, cycle: int, version: str) -> str:
    generation = cache.get_or_set(f"benchmark-generation:{cycle}:{version}", 1, timeout=None)
    return f"benchmark:{cycle}:{version}:{generation}"


def invalidate(*, cycle: int, version: str) -> None:
    key = f"benchmark-generation:{cycle}:{version}"
    cache.get_or_set(key, 1, timeout=None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)
