"""The site's error pages (URLconf handler400/403/404/500).

Django's default error views carry `requires_csrf_token`, which re-runs the CSRF check so that an
error page could hold a form. That check reads the request body again: when the body is what caused
the error (a form posted as UTF-16, which Django refuses to parse), the 400 view raises the same
error, then so does the 500 view, and the server answers with its own bare 500 page, without the
security headers or a log line. None of these pages has a form, so they skip the check.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader


def bad_request(request, exception):
    # Like Django's, no exception text reaches the page: it may repeat what was sent.
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def permission_denied(request, exception):
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


def page_not_found(request, exception):
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    # Without the request's context processors: the database they read may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
