"""Stored pages and the content version they were stored under.

The version lives in its own cache alias (settings.CACHES["page_cache_version"]) that holds
nothing else, so no amount of stored pages can cull it; pages live in the default cache and may
be evicted freely (a lost page is rendered again, a lost version would make every page stale).
"""

import math
import secrets
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.utils import timezone

VERSION_CACHE = "page_cache_version"
VERSION_KEY = "page-cache:version"

# Functions returning when content next changes by itself (a scheduled post's publish time) or
# None; stored pages expire by then.
NEXT_CHANGE = []


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def register_next_change(function):
    """Declare content that changes with time, not with a save: function() -> datetime | None,
    e.g. the earliest publish time of the scheduled posts. Costs its query on each miss only."""
    NEXT_CHANGE.append(function)
    return function


def store_timeout():
    """How long a page stored now may be served: PAGE_CACHE_SECONDS, or less if content is due
    to change by itself sooner."""
    timeout = settings.PAGE_CACHE_SECONDS
    now = timezone.now()
    for function in NEXT_CHANGE:
        when = function()
        if when is not None:
            timeout = min(timeout, max(1, math.ceil((when - now).total_seconds())))
    return timeout


def _new_version():
    caches[VERSION_CACHE].set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def bump(using=None):
    """Make every stored page stale, in every worker, once the current transaction commits (at
    once outside one). Call it after changing shown content with update() or bulk_create()."""
    transaction.on_commit(_new_version, using=using)


def current_version():
    versions = caches[VERSION_CACHE]
    version = versions.get(VERSION_KEY)
    if version is None:
        versions.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = versions.get(VERSION_KEY)
    return version


class Entry(NamedTuple):
    """A stored response. `expires` (a time.time() value) lets this process keep it in memory
    no longer than the shared cache does."""

    version: str
    expires: float
    status: int
    headers: list
    content: bytes


# Entries this process served lately, so a hit reads only the (small) version from the shared
# cache, not the page: key -> Entry. A new version makes them all stale, in every process.
_recent = {}
_recent_lock = threading.Lock()  # for threaded servers (runserver, gunicorn's gthread)
RECENT_LIMIT = 200


def _remember(key, entry):
    with _recent_lock:
        _recent.pop(key, None)
        _recent[key] = entry
        if len(_recent) > RECENT_LIMIT:
            del _recent[next(iter(_recent))]  # the one stored longest ago


def lookup(key):
    """(current version, the entry stored under `key` for it or None)."""
    version = current_version()
    entry = _recent.get(key)
    if entry is None or entry.version != version or entry.expires <= time.time():
        entry = cache.get(key)
        if entry is None or entry.version != version:
            return version, None
        _remember(key, entry)
    return version, entry


def store(key, version, response):
    timeout = store_timeout()
    entry = Entry(
        version,
        time.time() + timeout,
        response.status_code,
        list(response.items()),
        response.content,
    )
    cache.set(key, entry, timeout)
    _remember(key, entry)
    return entry
