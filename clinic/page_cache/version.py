"""The content version every stored page is checked against, and how each process knows it.

The version lives in its own cache alias (settings.CACHES["page_cache_version"]) that holds
nothing else, so no amount of stored pages can cull it.

With the file cache (one machine) a process reads the version on every request: a local file.
With Redis (several servers) a read is a network round trip, the largest part of serving a stored
page. So each process subscribes to ANNOUNCEMENTS, a Redis channel on which every new version is
announced, and keeps the version it read until an announcement comes. Before each use it looks
for one without waiting (a poll of the subscription's socket, no round trip). Redis sends the
announcement to every subscriber before it answers the process that made the change, so a change
committed through one server shows on the very next request to any other. Without a working
subscription (Redis restarted or unreachable), a process reads the version on every request, as
with the file cache, and subscribes again after RETRY_SECONDS. A version is trusted for at most
PAGE_CACHE_VERSION_RECHECK_SECONDS, in case a subscription dies without closing its socket.

A change committed while Redis was out of reach could not store its new version, and Redis may
come back with the old one (and the pages stored under it). So a process that failed to store a
version, or lost its subscription, owes one: it stores a new version as soon as it has subscribed
again. Every page stored before an outage is then rendered afresh.
"""

import logging
import os
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis import ConnectionPool, Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from clinic.resilient_cache import CONNECT_TIMEOUT, READ_TIMEOUT, RETRY_SECONDS, UNREACHABLE

logger = logging.getLogger(__name__)

VERSION_CACHE = "page_cache_version"
VERSION_KEY = "page-cache:version"
ANNOUNCEMENTS = "page-cache:version-changed"

# Set when this process could not store a new version, or may have missed an announcement: it
# stores a new version as soon as it has subscribed again.
_owed = False


def _random_version():
    # An int: Django's Redis cache stores it as plain digits, so new_version() can write it
    # directly (in one transaction with its announcement) and the cache reads it back.
    return secrets.randbits(62)


def _read():
    versions = caches[VERSION_CACHE]
    version = versions.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, _random_version(), timeout=None)
        version = versions.get(VERSION_KEY)
    return version


def _redis_url():
    """The Redis server holding the version, or None (another cache backend)."""
    config = settings.CACHES[VERSION_CACHE]
    if not config["BACKEND"].endswith("RedisCache"):
        return None
    location = config["LOCATION"]
    servers = location.split(",") if isinstance(location, str) else location
    return servers[0].strip()  # where Django's RedisCache writes


def _redis_options():
    # One try per call, as the cache does: the watch falls back instead of a request waiting.
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": READ_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
    }


class VersionWatch:
    """One process's subscription to ANNOUNCEMENTS and the version it holds."""

    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()  # threaded servers share the one subscription
        self.subscription = None  # a redis Connection subscribed to ANNOUNCEMENTS
        self.version = None
        self.read_at = 0.0
        self.retry_at = 0.0

    def current(self):
        with self.lock:
            now = time.monotonic()
            if self.subscription is not None and self._announced():
                self.version = None
            if self.subscription is None and now >= self.retry_at:
                self._subscribe(now)
            recheck = settings.PAGE_CACHE_VERSION_RECHECK_SECONDS
            if self.version is not None and now - self.read_at < recheck:
                return self.version
            version = _read()
            if self.subscription is not None and version is not None:
                self.version, self.read_at = version, now
            return version

    def _subscribe(self, now):
        # RESP2, where a subscribed connection receives announcements as plain replies.
        options = _redis_options() | {"protocol": 2}
        connection = ConnectionPool.from_url(self.url, **options).make_connection()
        try:
            connection.send_command("SUBSCRIBE", ANNOUNCEMENTS)
            connection.read_response()
        except UNREACHABLE as error:
            connection.disconnect()
            self.retry_at = now + RETRY_SECONDS
            logger.warning("Cannot subscribe to page cache announcements (%s).", error)
            return
        # Subscribed before the version is read: no change can fall between the two.
        self.subscription, self.version = connection, None
        if _owed:
            new_version()

    def _announced(self):
        """Whether a new version was announced since the last look; drops a broken subscription."""
        global _owed
        announced = False
        try:
            while self.subscription.can_read(timeout=0):
                self.subscription.read_response()
                announced = True
        except UNREACHABLE as error:
            # Subscribed again at once if Redis is back (it usually is: a restart closes the
            # connection and this is the first look since), else after RETRY_SECONDS.
            self.close()
            _owed = True
            logger.warning("Page cache announcements lost (%s); reading the version.", error)
            return True
        return announced

    def close(self):
        if self.subscription is not None:
            self.subscription.disconnect()
        self.subscription, self.version = None, None


UNSET = object()
_watch = UNSET  # this process's VersionWatch, or None without Redis
_watch_lock = threading.Lock()


def _process_watch():
    global _watch
    if _watch is UNSET:
        with _watch_lock:
            if _watch is UNSET:
                url = _redis_url()
                _watch = VersionWatch(url) if url else None
    return _watch


def _forget_watch():
    """A forked child starts its own watch: the parent's connection is not its to use or close."""
    global _watch
    _watch = UNSET


os.register_at_fork(after_in_child=_forget_watch)


@receiver(setting_changed, dispatch_uid="clinic.page_cache.version.settings_changed")
def _settings_changed(setting, **kwargs):
    global _watch, _owed
    if setting == "CACHES":
        with _watch_lock:
            if _watch not in (UNSET, None):
                _watch.close()
            _watch, _owed = UNSET, False


def current_version():
    watch = _process_watch()
    return watch.current() if watch is not None else _read()


def new_version():
    """Store a new version and announce it to every process."""
    global _owed
    version = _random_version()
    url = _redis_url()
    if url is None:
        caches[VERSION_CACHE].set(VERSION_KEY, version, timeout=None)
        return
    # Straight to Redis, not through the cache (which drops a write it cannot make): a failure
    # must be known, so the version is owed.
    key = caches[VERSION_CACHE].make_and_validate_key(VERSION_KEY)
    try:
        with Redis.from_url(url, **_redis_options()) as client, client.pipeline() as both:
            both.set(key, version).publish(ANNOUNCEMENTS, "").execute()
    except UNREACHABLE as error:
        _owed = True
        logger.warning("Could not store a new page cache version (%s): owed.", error)
    else:
        _owed = False
