"""Django's Redis cache, made to degrade instead of failing when Redis goes away.

Reads miss and writes are dropped while Redis cannot be reached (logged once per outage),
so pages are computed from the database; the redis client reconnects by itself on the next
call, so the nodes recover without a restart. Code that must know whether the cache answered
(a rate limit cannot be checked without it) calls `shared_cache_available()`.
"""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# After a failure, calls skip Redis for this long instead of each waiting for its timeout.
RETRY_AFTER_SECONDS = 1.0


class CacheUnavailable(Exception):
    """The shared cache cannot be reached right now."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ResilientRedisCache(RedisCache):
    _down_since: float | None = None

    def _guard(self, default, call, *args, **kwargs):
        down = self._down_since
        if down is not None and time.monotonic() - down < RETRY_AFTER_SECONDS:
            return default
        try:
            value = call(*args, **kwargs)
        except _redis_errors() as error:
            if self._down_since is None:
                logger.warning("Shared cache (Redis) unreachable, working without it: %s", error)
            self._down_since = time.monotonic()
            return default
        if self._down_since is not None:
            logger.warning("Shared cache (Redis) reachable again")
            self._down_since = None
        return value

    @property
    def available(self) -> bool:
        return self._guard(False, lambda: bool(self._cache.get_client().ping()))

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self._guard(None, super().get_or_set, key, default, timeout, version)
        if value is None:
            return default() if callable(default) else default
        return value

    def set(self, key, value, timeout=None, version=None):
        self._guard(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._guard(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        value = self._guard(None, super().incr, key, delta, version)
        if value is None:
            raise CacheUnavailable("Redis is unreachable")
        return value

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def touch(self, key, timeout=None, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def clear(self):
        self._guard(None, super().clear)


def shared_cache_available() -> bool:
    """Whether the shared cache answers now (always true for the database cache)."""
    return getattr(cache, "available", True)
