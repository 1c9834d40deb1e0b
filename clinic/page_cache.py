"""Rendered pages in the shared cache, for anonymous visitors, thrown away whenever content changes.

Three pieces, all keyed on one content version stored in the shared cache (so every worker
process agrees on it):

* `PageCacheMiddleware`, first in MIDDLEWARE, serves and stores whole responses to anonymous
  GET/HEAD requests for public pages: status 200 (or 301, an old address), HTML or XML, no
  cookie set, no `private`/`no-store`/`no-cache`, no Vary beyond Cookie and Accept-Encoding,
  no CSP nonce. A request carrying a session or messages cookie (a logged-in user, a flash
  message) is never served from the cache nor stored. A page is stored as the middleware
  below finished it (security and CSP headers, the ETag, gzip for clients that accept it: safe
  from BREACH, these pages carry no token or other secret), with `Cache-Control: public, max-age=0,
  must-revalidate, s-maxage` so browsers revalidate (a 304 for the same ETag) and a CDN may
  keep it briefly. A hit skips every other middleware, the URL resolver and the view, and a
  page this process served lately costs one small read of the shared cache (the version).
* `stored_page` lets clinic.wsgi answer a plain anonymous read (GET/HEAD without cookie,
  credentials or conditional header) before Django builds a request: the first visit from a
  shared link, a crawler, a CDN fetching from the origin. Pages are keyed by the request's raw
  address (ADDRESS_META) so both paths find the same stored copy.
* `bump()` changes the version, so every stored page is stale at once. It runs after commit on
  every save, delete and many-to-many change of a model in settings.PAGE_CACHE_APPS (signals
  connected in `ClinicConfig.ready`), and after any successful admin POST for those apps, which
  also covers admin actions built on `queryset.update()` (no signals). Code outside the admin
  that changes content with `update()`/`bulk_create()` calls `bump()` itself. Content that
  changes with time alone (scheduled posts) registers `register_next_change`.
* `cache_form_page` is for pages that carry a form (booking, testimonial). The page is rendered
  once with placeholders where per-visitor values go (the CSRF token, and any value registered
  with `register_fresh_value`) and stored; every response gets the placeholders replaced with
  fresh values, so each visitor has a valid masked token and the CSRF cookie, and the response
  is `Cache-Control: private, no-store` (GZipMiddleware compresses it with random padding).

Settings: PAGE_CACHE_SECONDS (lifetime of a stored page; 0 turns all of this off),
PAGE_CACHE_CDN_MAX_AGE (how long a CDN may keep a page; browsers always revalidate, so a
staff edit shows at their next request, as a cheap 304 when nothing changed), PAGE_CACHE_APPS (apps
whose models are shown on pages) and PAGE_CACHE_IGNORE (models of those apps that are not, e.g.
the rate-limit counter every form post writes).
"""

import hashlib
import math
import secrets
import threading
import time
from contextvars import ContextVar
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    get_max_age,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.csp import CSP
from django.utils.http import split_directive_names

VERSION_KEY = "page-cache:version"
# Part of every page's key: bumped when Entry changes shape, so a deploy never reads old entries.
ENTRY_FORMAT = 2
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)
ALLOWED_VARY = {"cookie", "accept-encoding"}
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}

# name -> function(request) -> str: values that must be fresh in every response of a cached
# form page. The CSRF token is always one; register more with register_fresh_value.
FRESH_VALUES = {"csrf_token": get_token}
# True while cache_form_page renders a page for the cache (placeholders instead of values).
_rendering = ContextVar("page_cache_rendering", default=False)


# Functions returning when content next changes by itself (a scheduled post's publish time) or
# None; stored pages expire by then. Register with register_next_change.
NEXT_CHANGE = []


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


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def bump(**kwargs):
    """Make every stored page stale, in every worker."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def content_changed(sender, **kwargs):
    """Signal receiver: a model changed; bump once the change is committed."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    meta = sender._meta
    if meta.label_lower in {label.lower() for label in settings.PAGE_CACHE_IGNORE}:
        return
    if meta.app_label in settings.PAGE_CACHE_APPS:
        transaction.on_commit(bump, using=kwargs.get("using"))


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid="clinic.page_cache")


class Entry(NamedTuple):
    """A stored response. `expires` (a time.time() value) lets this process keep it in memory
    no longer than the shared cache does."""

    version: str
    expires: float
    status: int
    headers: list
    content: bytes


# Entries this process served lately, so a hit reads only the (small) version from the shared
# cache, not the page: key -> Entry. A change of version makes them all stale, in every process.
_recent = {}
_recent_lock = threading.Lock()  # for threaded servers (runserver, gunicorn's gthread)
RECENT_LIMIT = 200


def _remember(key, entry):
    with _recent_lock:
        _recent.pop(key, None)
        _recent[key] = entry
        if len(_recent) > RECENT_LIMIT:
            del _recent[next(iter(_recent))]  # the one stored longest ago


def _version_and_entry(key):
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        return cache.get(VERSION_KEY), None
    entry = _recent.get(key)
    if entry is None or entry.version != version or entry.expires <= time.time():
        entry = cache.get(key)
        if entry is None or entry.version != version:
            return version, None
        _remember(key, entry)
    return version, entry


def _store(key, version, response):
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


# Settings that change what a page shows without any model changing: a page stored under one
# value is never served under another (switching TESTIMONIALS_POLICY to "ahpra" must take
# clinical stories off the site at once, not when stored pages expire).
RENDERING_SETTINGS = ["TESTIMONIALS_POLICY", "LANGUAGE_CODE", "TIME_ZONE"]


# The parts of a request (the WSGI environ, which is request.META) that decide which page it
# gets, taken as the server passed them, so clinic.wsgi can find a stored page without building
# a request. A page is only stored after Django accepted its Host, so a forged Host finds none.
ADDRESS_META = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


def _key(meta, variant):
    address = "|".join(str(meta.get(name, "")) for name in ADDRESS_META)
    rendering = "|".join(str(getattr(settings, name, "")) for name in RENDERING_SETTINGS)
    digest = hashlib.md5(f"{rendering}|{address}".encode()).hexdigest()
    return f"page-cache:{ENTRY_FORMAT}:{variant}:{digest}"


def request_is_cacheable(request):
    """Anonymous reads only: no session cookie (logged in), no flash-message cookie."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_is_cacheable(request, response):
    if response.status_code not in (200, 301) or response.streaming or response.cookies:
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
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= ALLOWED_VARY


def _response(entry, content=None):
    response = HttpResponse(entry.content if content is None else content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(response.content))
    return response


def _variant(meta):
    """Which stored copy a request gets: gzipped when GZipMiddleware would compress for it."""
    return "gzip" if re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) else "page"


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


def stored_page(environ):
    """For clinic.wsgi, before Django: the stored page for a plain anonymous GET or HEAD (no
    cookie, no credentials, no conditional header), or None and Django answers as usual."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not enabled():
        return None
    if any(name in environ for name in NOT_PLAIN_META):
        return None
    return _version_and_entry(_key(environ, _variant(environ)))[1]


class PageCacheMiddleware:
    """Serve and store public pages for anonymous visitors. Goes first in MIDDLEWARE: a page is
    stored with every header the other middleware adds, and a hit skips all of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if not request_is_cacheable(request):
            response = self.get_response(request)
            self._after_admin_post(request, response)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response

        key = _key(request.META, _variant(request.META))
        version, entry = _version_and_entry(key)
        if entry is not None:
            response = _response(entry)
            response.headers["X-Page-Cache"] = "hit"
            if request.method == "GET":
                return get_conditional_response(
                    request, etag=response.get("ETag"), response=response
                )
            return response

        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            request.get_host()  # DisallowedHost (a 400) for a Host Django would not serve
            self._make_public(response)
            _store(key, version, response)
            response.headers["X-Page-Cache"] = "miss"
        elif not response.has_header("Cache-Control") and response.cookies:
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
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        if not response.has_header("ETag"):
            set_response_etag(response)

    @staticmethod
    def _after_admin_post(request, response):
        """An admin POST that changed content of a content app (including actions that use
        queryset.update(), which sends no signal) makes every stored page stale."""
        if request.method != "POST" or response.status_code not in (200, 302):
            return
        admin_prefix = "/admin/"
        if request.path.startswith(admin_prefix):
            app_label = request.path[len(admin_prefix) :].split("/", 1)[0]
            if app_label in settings.PAGE_CACHE_APPS:
                bump()


def placeholder(name):
    """The text that stands for a fresh value in a stored page: letters and digits only, so
    escaping leaves it alone."""
    return (
        "pagecachefresh" + hashlib.sha256(f"{settings.SECRET_KEY}:{name}".encode()).hexdigest()[:24]
    )


def register_fresh_value(name, function):
    """Declare a per-response value (function(request) -> str) for cached form pages, e.g. the
    signed "form shown at" timestamp of clinic.spam. Put it in a page with fresh_value(name)."""
    FRESH_VALUES[name] = function


def fresh_value(name, request=None):
    """The value for this response; while a page is rendered for the cache, its placeholder,
    which every response gets replaced with a fresh value. Needs no request, so a form's
    __init__ can call it: `self.initial["form_started"] = fresh_value("form_started")`."""
    if _rendering.get():
        return placeholder(name)
    return FRESH_VALUES[name](request)


def csrf_placeholder(request):
    """Context processor: while a cached form page is rendered, {% csrf_token %} and
    {{ csrf_token }} give a placeholder instead of this visitor's token."""
    if _rendering.get():
        return {"csrf_token": placeholder("csrf_token")}
    return {}


def _fill_in(request, content):
    for name, function in FRESH_VALUES.items():
        mark = placeholder(name).encode()
        if mark in content:
            content = content.replace(mark, function(request).encode())
    return content


def cache_form_page(view):
    """Decorate a view whose page carries a form: anonymous GETs are rendered once per content
    version with placeholders and stored; each response gets fresh values put in. POSTs and
    logged-in visitors go straight to the view. Every response is private and never stored by
    browsers or CDNs. The view must render through a template (TemplateResponse or render())."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (enabled() and request_is_cacheable(request)):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        key = _key(request.META, "form")
        version, entry = _version_and_entry(key)
        if entry is None:
            token = _rendering.set(True)
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            finally:
                _rendering.reset(token)
            if not response_is_cacheable(request, response):
                if not response.streaming:
                    response.content = _fill_in(request, response.content)
                add_never_cache_headers(response)
                return response
            entry = _store(key, version, response)
            state = "miss"
        else:
            state = "hit"
        response = _response(entry, _fill_in(request, entry.content))
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        response.headers["X-Page-Cache"] = state
        return response

    return wrapper
