"""A URLconf for tests only: the site's own URLs plus a view that fails."""

from django.urls import path

from clinic.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken_view), *site_urlpatterns]
