"""The database is unreachable: a 503 page that asks visitors to call, instead of a 500.

Django calls `server_error` (urls.handler500) for any uncaught exception, wherever it was raised
(view or middleware). A lost database connection gets "please call us" with the clinic's phone
number, which cannot come from the database just then: every process remembers the clinic's
contact details from the last page it rendered and shares them through the cache for processes
that have not rendered one yet.
"""

import logging
import sys

from django.core.cache import cache
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from clinic import error_views

logger = logging.getLogger(__name__)
CONTACT_CACHE_KEY = "clinic:outage-contact"
RETRY_AFTER_SECONDS = 60
_last_known = {}


def remember(clinic):
    """Called with the clinic record of each rendered page; writes the cache only on a change."""
    if not clinic.phone:
        return clinic
    contact = {"name": clinic.name, "phone": clinic.phone, "phone_uri": clinic.phone_uri}
    if contact != _last_known:
        _last_known.clear()
        _last_known.update(contact)
        cache.set(CONTACT_CACHE_KEY, contact, None)
    return clinic


def last_known_contact():
    return _last_known or cache.get(CONTACT_CACHE_KEY) or {}


def server_error(request):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return error_views.server_error(request)


def database_unavailable(request):
    # Rendered without context processors: they would query the database.
    page = loader.get_template("503.html").render({"contact": last_known_contact()})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
