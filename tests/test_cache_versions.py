"""Version counters restart from the clock, never from a number an earlier run used."""

from django.core.cache import cache

from assessment import approval_generation, benchmark
from portal import cache_versions, public_cache


def test_after_the_key_is_evicted_the_next_generation_differs_from_every_earlier_one(db):
    seen = []
    for _ in range(3):
        seen.append(approval_generation.current())
        approval_generation.bump()
        seen.append(approval_generation.current())
        cache.delete(approval_generation.GENERATION_KEY)
    assert approval_generation.current() not in seen


def test_public_pages_restart_from_the_clock_and_peer_tables_never_rewind_after_a_clear(db):
    generations = []
    for _ in range(2):
        benchmark.invalidate(cycle=2025, version="2024.1")
        generations.append(benchmark.generation(cycle=2025, version="2024.1"))
        cache.clear()  # the peer-data version is a database row: a clear cannot rewind it
    assert generations[1] > generations[0]
    before = public_cache.content_version()
    cache.delete(public_cache.VERSION_KEY)
    assert public_cache.content_version() != before


def test_a_bump_of_a_missing_counter_starts_from_the_clock(db):
    cache.delete("some-counter")
    cache_versions.bump("some-counter")
    assert cache_versions.current("some-counter") > 1_000_000
