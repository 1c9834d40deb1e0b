"""Test-only URLs: the site's, plus a form page that opts into clinic.page_cache.cache_form_page."""

import itertools

from django import forms
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from clinic import page_cache

FORM_PAGE = engines["django"].from_string(
    '<!doctype html><title>Form</title><form method="post">{% csrf_token %}'
    '<input type="hidden" name="shown" value="{{ shown }}">{{ form }}<button>Send</button></form>'
)
page_cache.register_fresh_value("test-shown", lambda request: f"shown-{id(request)}")
STAMPS = itertools.count()
page_cache.register_fresh_value("test-started", lambda request: f"started-{next(STAMPS)}")


class StampedForm(forms.Form):
    """Like clinic.spam's forms: a per-visitor value set in __init__, where there is no request."""

    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started"] = page_cache.fresh_value("test-started")


@page_cache.public_page()
@page_cache.cache_form_page
@require_http_methods(["GET", "HEAD", "POST"])
def form_page(request):
    if request.method == "POST":
        return HttpResponse("sent")
    shown = page_cache.fresh_value("test-shown", request)
    return HttpResponse(FORM_PAGE.render({"shown": shown, "form": StampedForm()}, request))


@page_cache.public_page()
@page_cache.cache_form_page
def token_in_view(request):
    """Uses the real token outside the template: must never be stored."""
    return HttpResponse(f"<!doctype html><p>{get_token(request)}</p>")


@page_cache.public_page()
@csp_override({"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]})
def page_with_nonce(request):
    """A public-looking page whose policy carries this response's nonce: must never be stored."""
    return HttpResponse(f'<!doctype html><script nonce="{get_nonce(request)}"></script>')


urlpatterns = [
    path("test-form/", form_page),
    path("test-token-in-view/", token_in_view),
    path("test-nonce/", page_with_nonce),
    path("", include("clinic.urls")),
]
