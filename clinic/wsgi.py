"""The WSGI application gunicorn serves: Django, with stored public pages answered first.

A plain anonymous GET or HEAD (no cookie, credentials or conditional header) for a page in the
page cache (clinic/page_cache/) is answered here, without building a request; every other
request, and every page not stored, goes to Django, whose PageCacheMiddleware stores pages and
serves the other anonymous hits.
"""

import os
from http import HTTPStatus

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

from clinic.page_cache.middleware import STATUS_HEADER, stored_page  # noqa: E402 (settings first)


def application(environ, start_response):
    entry = stored_page(environ)
    if entry is None:
        return django_application(environ, start_response)
    headers = list(entry.headers)
    if settings.PAGE_CACHE_STATUS_HEADER:
        headers.append((STATUS_HEADER, "hit"))
    start_response(f"{entry.status} {HTTPStatus(entry.status).phrase}", headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.content]
