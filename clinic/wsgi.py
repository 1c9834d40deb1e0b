"""The WSGI application gunicorn serves: Django, with stored public pages answered first.

A plain anonymous GET or HEAD (no cookie, credentials or conditional header) for a page in the
page cache (clinic/page_cache.py) is answered here, without building a request; every other
request, and every page not stored, goes to Django, whose PageCacheMiddleware stores pages and
serves the other anonymous hits.
"""

import os
from http import HTTPStatus

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

django_application = get_wsgi_application()

from clinic.page_cache import stored_page  # noqa: E402 (needs the settings configured above)


def application(environ, start_response):
    entry = stored_page(environ)
    if entry is None:
        return django_application(environ, start_response)
    start_response(
        f"{entry.status} {HTTPStatus(entry.status).phrase}",
        [*entry.headers, ("X-Page-Cache", "hit")],
    )
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.content]
