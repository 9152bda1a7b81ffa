"""Version counters in the shared cache: the number that cache keys carry so that one bump
makes every entry of the old version stale at once, on every node.

A counter that is missing (a fresh cache, or the key evicted) starts from the clock
(`time.time_ns()`), never from a fixed number: starting again from 1 would meet entries that
an earlier run of the counter stored under 1, 2, ... and serve them as fresh. Imports no app.
"""

import time

from django.core.cache import cache


def current(key: str) -> int:
    """The counter's value, started from the clock when it is missing."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
        if version is None:  # evicted again at once: still a value no earlier run used
            version = time.time_ns()
    return int(version)


def bump(key: str) -> None:
    """Move the counter on; a missing counter restarts from the clock."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)
