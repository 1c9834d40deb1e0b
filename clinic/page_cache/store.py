"""Stored pages and the content version they were stored under (see `version`).

Pages live in the default cache and may be evicted freely: a lost page is rendered again.
"""

import math
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from clinic.page_cache.version import current_version, new_version

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


def bump(using=None):
    """Make every stored page stale, in every worker, once the current transaction commits (at
    once outside one). Call it after changing shown content with update() or bulk_create()."""
    transaction.on_commit(new_version, using=using)


class Entry(NamedTuple):
    """A stored response. `expires` (a time.time() value) lets this process keep it in memory
    no longer than the shared cache does."""

    version: str
    expires: float
    status: int
    headers: list
    content: bytes


# Entries this process served lately, so a hit does not read the page from the shared cache:
# key -> Entry. A new version makes them all stale, in every process.
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
    """(current version, the entry stored under `key` for it or None). Without a version (its
    cache unreachable) nothing is served: no change could make the page stale."""
    version = current_version()
    if version is None:
        return None, None
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
    if version is not None:  # else kept nowhere (see lookup)
        cache.set(key, entry, timeout)
        _remember(key, entry)
    return entry
