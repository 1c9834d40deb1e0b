"""The page cache: rendered public pages for anonymous visitors, emptied when shown content changes.

What is stored: whole responses to anonymous GETs (no session, flash-message or credentials) of
views that declare themselves public (`page_cache_query_parameters` on the view class, or
`@public_page(...)`), when Django answered 200 with HTML/XML, set no cookie and allowed caching,
and old addresses' 301s (`shared_redirect`, keyed on the path alone);
stored as the middleware stack finished them (security headers, CSP, ETag, gzip: these pages hold
no secret, so BREACH has nothing to find). Form pages store a copy with placeholders instead
(see `forms`). The key: scheme and host as Django reads them (proxy headers only where settings
trust them), the path, only the query parameters the view declares (utm_*, fbclid... are dropped,
and hidden from the view, so they cannot change the page), the settings every page depends on,
and gzip or not; plus the content version. When it is emptied: `bump()` sets a new content
version, after commit, whenever a content model's row that shows (or showed) on a page is saved,
deleted or re-related (signals, see `invalidation`), and wherever code changes such rows with
`update()`/`bulk_create()` (the blog's publish actions); a scheduled post shortens the lifetime
of pages stored before its time. Why it is safe: nothing per visitor is ever stored, only what
staff committed can change the version (no URL, login state or anonymous form post does), and
the version lives in a cache alias that holds nothing else, so filling the page cache can evict
pages (rendered again on demand) but never the version. Every worker checks the version on each
request (with Redis, through announcements of each new one: see `version`), so a change made
through one worker shows through all at their next request; without a version (its cache
unreachable) pages are rendered, never served stored.

Settings: PAGE_CACHE_SECONDS (lifetime; 0 turns it off), PAGE_CACHE_CDN_MAX_AGE (s-maxage for a
CDN; browsers always revalidate), PAGE_CACHE_APPS and PAGE_CACHE_IGNORE (which models are
content), PAGE_CACHE_STATUS_HEADER (X-Page-Cache: hit/miss, off in production), and
CACHES["page_cache_version"].
"""

from clinic.page_cache.forms import (
    cache_form_page,
    csrf_placeholder,
    fresh_value,
    register_fresh_value,
)
from clinic.page_cache.invalidation import connect_signals, register_public_rows
from clinic.page_cache.keys import public_page
from clinic.page_cache.middleware import PageCacheMiddleware, shared_redirect, stored_page
from clinic.page_cache.store import bump, register_next_change, store_timeout

__all__ = [
    "PageCacheMiddleware",
    "bump",
    "cache_form_page",
    "connect_signals",
    "csrf_placeholder",
    "fresh_value",
    "public_page",
    "register_fresh_value",
    "register_next_change",
    "register_public_rows",
    "shared_redirect",
    "store_timeout",
    "stored_page",
]
