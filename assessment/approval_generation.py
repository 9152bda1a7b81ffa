"""The approval generation: a counter in the shared cache, bumped on every approval.

Whatever is computed from approved assessments (the open data, for one) caches its results
under this generation, so an approval makes every such result stale at once, on every node.
"""

from portal import cache_versions

GENERATION_KEY = "approval-generation"


def current() -> int:
    return cache_versions.current(GENERATION_KEY)


def bump() -> None:
    """Called once the approval's transaction has committed (see `workflow.approve`)."""
    cache_versions.bump(GENERATION_KEY)
