"""Pages that carry a form (booking, share your story): stored once per content version with
placeholders where per-visitor values go (the CSRF token, the spam check's "form shown at"
time), and every response gets fresh values put in, the CSRF cookie, and
`Cache-Control: private, no-store` (GZipMiddleware then compresses it with random padding)."""

import hashlib
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.cache import add_never_cache_headers, patch_vary_headers

import clinic.page_cache.keys as keys
import clinic.page_cache.store as store
from clinic.page_cache.middleware import (
    mark,
    request_is_cacheable,
    response_from,
    response_is_cacheable,
)

# name -> function(request) -> str: values that must be fresh in every response of a cached
# form page. The CSRF token is always one; register more with register_fresh_value.
FRESH_VALUES = {"csrf_token": get_token}
# True while cache_form_page renders a page for the cache (placeholders instead of values).
_rendering = ContextVar("page_cache_rendering", default=False)


def placeholder(name):
    """The text that stands for a fresh value in a stored page: letters and digits only, so
    escaping leaves it alone."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{name}".encode()).hexdigest()[:24]
    return f"pagecachefresh{digest}"


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
        mark_bytes = placeholder(name).encode()
        if mark_bytes in content:
            content = content.replace(mark_bytes, function(request).encode())
    return content


def cache_form_page(view):
    """Decorate a view whose page carries a form: anonymous GETs are rendered once per content
    version with placeholders and stored; each response gets fresh values put in. POSTs and
    logged-in visitors go straight to the view. Every response is private and never stored by
    browsers or CDNs. The view must render through a template (TemplateResponse or render())."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        names = keys.query_parameters(request.META)
        if not (store.enabled() and request_is_cacheable(request)) or names is None:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        key = keys.page_key(request.META, names, "form")
        version, entry = store.lookup(key)
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
            entry = store.store(key, version, response)
            state = "miss"
        else:
            state = "hit"
        response = response_from(entry, _fill_in(request, entry.content))
        add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))
        return mark(response, state)

    return wrapper
