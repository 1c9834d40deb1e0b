from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.functional import SimpleLazyObject

from clinic import outage
from clinic.models import Clinic


def absolute_url(request, path):
    """An absolute URL for `path`; SITE_URL when the request's own host is not one we serve
    (the 400 page for a forged Host header must not fail on the same header)."""
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return settings.SITE_URL + path


def clinic(request):
    """The clinic's facts for the header, footer and structured data of every page.

    Lazy, so a response that never renders the layout (a redirect, a feed) costs no query.
    """
    return {
        # Remembered for the "please call us" page of a database outage (clinic/outage.py).
        "clinic": SimpleLazyObject(lambda: outage.remember(Clinic.load())),
        # The page's address without its query string: what search engines should index.
        "canonical_url": SimpleLazyObject(lambda: absolute_url(request, request.path)),
        "site_root": SimpleLazyObject(lambda: absolute_url(request, "/").rstrip("/")),
    }
