"""The framework ceiling: the smallest Django site, one view returning a fixed 20 KB page.

bench/load.py serves it under the same gunicorn command as the clinic site, beside it, so every
page's requests/s can be quoted as a ratio of what Django itself manages on this machine now.
Run by gunicorn as `ceiling:application` from the bench/ folder; it needs no database.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAGE = (
    b"<!doctype html><html lang=en><title>Ceiling</title><body>"
    + b"<p>"
    + b"x" * 20_400
    + b"</p></body></html>"
)[:20_480]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-ceiling-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)


def page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
application = get_wsgi_application()
