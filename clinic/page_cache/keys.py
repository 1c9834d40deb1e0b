"""Which stored page a request gets, computed from the WSGI environ alone (clinic.wsgi has no
request yet): the address as Django will read it, with only the query parameters the page's
view declares, the settings that change every page, and the variant (gzipped or not)."""

import hashlib
from functools import lru_cache, wraps
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_str_from_wsgi
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_resolver

# The view attribute that makes a page public: the query parameters it is keyed on (a tuple,
# often empty). Views without it, or with None, are never stored.
QUERY_PARAMETERS = "page_cache_query_parameters"
# Part of every key: bumped when the stored entry changes shape, so a deploy never reads old ones.
ENTRY_FORMAT = 3
# Settings that change what a page shows without any model changing: a page stored under one
# value is never served under another (switching TESTIMONIALS_POLICY to "ahpra" must take
# clinical stories off the site at once, not when stored pages expire).
RENDERING_SETTINGS = ["TESTIMONIALS_POLICY", "LANGUAGE_CODE", "TIME_ZONE"]
# What _declared says of an address no view answers: an old one, where the only thing stored is
# its 301 (clinic.redirect_middleware shares it, see middleware.shared_redirect).
NO_VIEW = object()


class KeySettings(NamedTuple):
    urlconf: str
    proxy_ssl_header: tuple | None
    forwarded_host: bool
    forwarded_port: bool
    file_prefixes: tuple
    rendering: tuple


@lru_cache(maxsize=1)
def key_settings():
    """The settings every key reads, read once: a stored page's hit costs a few microseconds, and
    a dozen lazy settings lookups were a tenth of it. Emptied when a test overrides settings."""
    urls = (settings.STATIC_URL or "", settings.MEDIA_URL or "")
    return KeySettings(
        urlconf=settings.ROOT_URLCONF,
        proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
        forwarded_host=settings.USE_X_FORWARDED_HOST,
        forwarded_port=settings.USE_X_FORWARDED_PORT,
        file_prefixes=tuple(
            path for path in (urlsplit(url).path for url in urls) if path not in ("", "/")
        ),
        rendering=tuple(str(getattr(settings, name, "")) for name in RENDERING_SETTINGS),
    )


@receiver(setting_changed, dispatch_uid="clinic.page_cache.keys.settings_changed")
def _settings_changed(**kwargs):
    key_settings.cache_clear()


def public_page(*query_parameters):
    """For a function view (class-based views set the attribute): its page may be stored,
    keyed on these query parameters; every other parameter is hidden from it."""

    def decorate(view):
        @wraps(view)
        def page(*args, **kwargs):
            return view(*args, **kwargs)

        setattr(page, QUERY_PARAMETERS, tuple(query_parameters))
        return page

    return decorate


@lru_cache(maxsize=4096)
def _declared(urlconf, path):
    try:
        view = get_resolver(urlconf).resolve(path).func
    except Resolver404:
        return NO_VIEW
    names = getattr(view, QUERY_PARAMETERS, None)
    if names is None:
        names = getattr(getattr(view, "view_class", None), QUERY_PARAMETERS, None)
    return None if names is None else frozenset(names)


def query_parameters(environ):
    """The query parameters a stored response at this address is keyed on, or None: nothing
    there is stored. A public page is keyed on those its view declares. An address no view
    answers may hold an old address's 301, keyed on the path alone: only for a request with no
    query string (so junk parameters cannot multiply the entries), and never under the static
    or media prefixes (their files are not pages)."""
    path = get_path_info(environ)
    config = key_settings()
    names = _declared(config.urlconf, path)
    if names is NO_VIEW:
        if environ.get("QUERY_STRING") or path.startswith(config.file_prefixes):
            return None
        return frozenset()
    return names


def selected_query(environ, names):
    """The request's query with only `names`, decoded as Django decodes request.GET (so
    `pag%65=2` is `page`). Raises TooManyFieldsSent as request.GET would."""
    query = QueryDict(get_str_from_wsgi(environ, "QUERY_STRING", ""))
    wanted = names & query.keys()
    if not wanted:
        return QueryDict()
    selected = QueryDict(mutable=True)
    for name in sorted(wanted):
        selected.setlist(name, query.getlist(name))
    return selected


def _scheme(environ, config):
    if config.proxy_ssl_header:
        header, secure_value = config.proxy_ssl_header
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "")


def _host(environ, config):
    """The raw host Django reads (a page is stored only after Django accepted it)."""
    if config.forwarded_host and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = (
            environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        )
    if config.forwarded_port:
        host += f"|{environ.get('HTTP_X_FORWARDED_PORT', '')}"
    return host


def proxy_headers():
    """The proxy headers Django trusts under the current settings: pages depend on them, so
    they belong in Vary for any cache in front."""
    headers = []
    if settings.SECURE_PROXY_SSL_HEADER:
        headers.append(settings.SECURE_PROXY_SSL_HEADER[0].removeprefix("HTTP_"))
    if settings.USE_X_FORWARDED_HOST:
        headers.append("X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        headers.append("X_FORWARDED_PORT")
    return ["-".join(word.capitalize() for word in name.split("_")) for name in headers]


def variant(environ):
    """Gzipped when GZipMiddleware would compress for this client, else plain."""
    return "gzip" if re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "page"


def page_key(environ, names, kind):
    config = key_settings()
    address = [
        _scheme(environ, config),
        _host(environ, config),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        selected_query(environ, names).urlencode() if environ.get("QUERY_STRING") else "",
        *config.rendering,
    ]
    digest = hashlib.sha256("\n".join(address).encode()).hexdigest()
    return f"page-cache:{ENTRY_FORMAT}:{kind}:{digest}"
