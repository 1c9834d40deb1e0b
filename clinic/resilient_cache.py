"""Django's Redis cache, made to carry on while Redis is down.

Django's RedisCache raises on a refused or timed-out connection, which would turn every page into
a 500 the moment Redis restarts. This backend treats an unreachable Redis as an empty cache that
stores nothing: reads miss, writes are dropped, and pages are rendered instead of served from the
cache. After a failure it does not try Redis again for RETRY_SECONDS (each try could wait out the
connect timeout), then fills up again by itself. Nothing kept only in this cache is lost that the
site needs: rate limits and the admin lockout live in the database.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (ConnectionError, TimeoutError)
RETRY_SECONDS = 5
# Seconds to wait for Redis before treating it as down: a cache must never be slower than the page.
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 1.0

# Per process, shared by every thread's cache object.
_down_until = 0.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        # One try per call: the circuit below retries later instead of this request waiting.
        options.setdefault("retry_on_timeout", False)
        super().__init__(server, params)

    def _call(self, name, fallback, *args, **kwargs):
        global _down_until
        if time.monotonic() < _down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            _down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Redis cache unreachable (%s); serving without it for %ss.", error, RETRY_SECONDS
            )
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # No value to return: callers of incr() already handle a missing key.
        fallback_error = ValueError(f"Key '{key}' not found (Redis unreachable).")
        result = self._call("incr", fallback_error, key, delta, version)
        if result is fallback_error:
            raise fallback_error
        return result

    def clear(self):
        return self._call("clear", False)
