"""Test-only URLs: the site with its admin moved away from /admin/, a common hardening step."""

from django.contrib import admin
from django.urls import path

from clinic import urls as site_urls

urlpatterns = [
    path("staff-7f3a/", admin.site.urls),
    *(p for p in site_urls.urlpatterns if str(p.pattern) != "admin/"),
]
