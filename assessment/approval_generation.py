"""The approval generation: a counter in the shared cache, bumped on every approval.

Whatever is computed from approved assessments (the open data, for one) caches its results
under this generation, so an approval makes every such result stale at once, on every node.
"""

from django.core.cache import cache

GENERATION_KEY = "approval-generation"


def current() -> int:
    return int(cache.get_or_set(GENERATION_KEY, 1, timeout=None) or 1)


def bump() -> None:
    """Called once the approval's transaction has committed (see `workflow.approve`)."""
    cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between the two calls
        cache.set(GENERATION_KEY, 2, timeout=None)
