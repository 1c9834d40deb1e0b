"""Serving and storing public pages: PageCacheMiddleware inside Django, stored_page before it."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.csp import CSP
from django.utils.http import split_directive_names

import clinic.page_cache.keys as keys
import clinic.page_cache.store as store

CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
STATUS_HEADER = "X-Page-Cache"
# Headers that make a request more than a plain anonymous read: a cookie (maybe a session),
# credentials, or a condition for Django's conditional-GET handling.
NOT_PLAIN_META = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


# Set on a 301 that every visitor may share: an old address's redirect to its current page.
SHARED_REDIRECT = "page_cache_shared_redirect"


def shared_redirect(response):
    """Mark a permanent redirect as the same for everyone, so it is stored like a page. Other
    redirects never are (the HTTP -> HTTPS one, APPEND_SLASH's, the login's `next`)."""
    setattr(response, SHARED_REDIRECT, True)
    return response


def request_is_cacheable(request):
    """Anonymous reads only: no session cookie (logged in), no flash-message cookie."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_is_cacheable(request, response):
    if response.streaming or response.cookies:
        return False
    if response.status_code != 200 and not (
        response.status_code == 301 and getattr(response, SHARED_REDIRECT, False)
    ):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a real token was rendered
        return False
    if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
        return False
    directives = set(split_directive_names(response.get("Cache-Control", "")))
    if directives & UNCACHEABLE_DIRECTIVES or get_max_age(response) == 0:
        return False
    if "'nonce-" in response.get(CSP.HEADER_ENFORCE, ""):  # a nonce is for one response only
        return False
    allowed = {"cookie", "accept-encoding", *(h.lower() for h in keys.proxy_headers())}
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= allowed


def mark(response, state):
    """Say hit or miss in a header, outside production (it tells an attacker what works)."""
    if settings.PAGE_CACHE_STATUS_HEADER:
        response.headers[STATUS_HEADER] = state
    return response


def response_from(entry, content=None):
    response = HttpResponse(entry.content if content is None else content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(response.content))
    return response


def stored_page(environ):
    """For clinic.wsgi, before Django: the stored page for a plain anonymous GET or HEAD (no
    cookie, no credentials, no conditional header), or None and Django answers as usual."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not store.enabled():
        return None
    if any(name in environ for name in NOT_PLAIN_META):
        return None
    names = keys.query_parameters(environ)
    if names is None:
        return None
    try:
        key = keys.page_key(environ, names, keys.variant(environ))
    except SuspiciousOperation:  # too many query fields: Django answers 400
        return None
    return store.lookup(key)[1]


class PageCacheMiddleware:
    """Serve and store public pages for anonymous visitors. Goes first in MIDDLEWARE: a page is
    stored with every header the other middleware adds, and a hit skips all of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = None
        if store.enabled() and request_is_cacheable(request):
            names = keys.query_parameters(request.META)
        if names is None:
            return self._not_stored(self.get_response(request))
        try:
            key = keys.page_key(request.META, names, keys.variant(request.META))
        except SuspiciousOperation:
            return self._not_stored(self.get_response(request))

        version, entry = store.lookup(key)
        if entry is not None:
            response = mark(response_from(entry), "hit")
            if request.method == "GET":
                return get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )
            return response

        # The view sees exactly the parameters the key holds, so no other can change the page.
        request.GET = keys.selected_query(request.META, names)
        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            request.get_host()  # DisallowedHost (a 400) for a Host Django would not serve
            self._make_public(response)
            store.store(key, version, response)
            return mark(response, "miss")
        if response.status_code == 304:  # its headers refresh a copy a cache holds: leave them
            return response
        return self._not_stored(response)

    @staticmethod
    def _not_stored(response):
        # Only what the page cache stores is public: a CDN in front must not keep anything else
        # (a logged-in page, or the HTTP->HTTPS redirect, which is for one scheme only).
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def _make_public(response):
        if not response.has_header("Cache-Control"):
            # Browsers revalidate every time (an ETag makes that a 304), so nobody sees a page
            # older than the last staff edit; a CDN may keep it PAGE_CACHE_CDN_MAX_AGE seconds.
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                must_revalidate=True,
                s_maxage=settings.PAGE_CACHE_CDN_MAX_AGE,
            )
        patch_vary_headers(response, ("Cookie", "Accept-Encoding", *keys.proxy_headers()))
        if not response.has_header("ETag"):
            set_response_etag(response)
