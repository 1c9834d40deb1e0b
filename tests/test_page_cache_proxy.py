"""Behind a proxy or CDN: stored pages say which proxy headers they depend on, the HTTP->HTTPS
redirect is never shared, and production does not say what the page cache did (issue 12, 9)."""

import re
from unittest import mock

import pytest
from django.test import Client

from clinic import wsgi
from tests.test_page_cache_wsgi import call

HOST = "westsidesportschiro.example"


@pytest.fixture
def behind_proxy(settings, page_cache_on):
    """What DJANGO_BEHIND_PROXY=true sets in production."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = [HOST, "testserver"]


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]+)"', response.content.decode()).group(1)


def test_a_stored_page_varies_on_the_proxy_headers_it_was_built_from(behind_proxy, clinic, client):
    headers = {"x-forwarded-proto": "https", "x-forwarded-host": HOST}
    first = client.get("/services/", headers=headers)
    second = client.get("/services/", headers=headers)

    assert second["X-Page-Cache"] == "hit"
    vary = {part.strip().lower() for part in second["Vary"].split(",")}
    assert {"x-forwarded-proto", "x-forwarded-host", "cookie", "accept-encoding"} <= vary
    assert canonical(first) == f"https://{HOST}/services/"


def test_pages_for_another_scheme_or_host_are_other_pages(behind_proxy, clinic, client):
    client.get("/services/", headers={"x-forwarded-proto": "https", "x-forwarded-host": HOST})

    plain = client.get("/services/", headers={"x-forwarded-host": HOST})
    other_host = client.get("/services/", headers={"x-forwarded-proto": "https"})

    assert plain["X-Page-Cache"] == other_host["X-Page-Cache"] == "miss"
    assert canonical(plain) == f"http://{HOST}/services/"
    assert canonical(other_host).startswith("https://testserver")


def test_without_a_proxy_its_headers_change_nothing(page_cache_on, clinic, client):
    client.get("/services/")
    forged = client.get(
        "/services/", headers={"x-forwarded-proto": "https", "x-forwarded-host": "evil.example"}
    )

    assert forged["X-Page-Cache"] == "hit"
    assert "x-forwarded" not in forged["Vary"].lower()
    assert canonical(forged) == "http://testserver/services/"


@pytest.mark.parametrize("path", ["/services/", "/admin/login/"])
def test_the_https_redirect_is_for_this_browser_only(settings, behind_proxy, clinic, path):
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get(path, headers={"x-forwarded-host": HOST})

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}{path}"
    assert "private" in response["Cache-Control"]


def test_production_does_not_say_hit_or_miss(settings, page_cache_on, clinic, client, service):
    settings.PAGE_CACHE_STATUS_HEADER = False
    pages = [client.get("/services/") for _ in range(2)]
    forms = [Client().get("/book/") for _ in range(2)]

    assert all("X-Page-Cache" not in response for response in pages + forms)
    call()
    with mock.patch.object(wsgi, "django_application", side_effect=AssertionError("Django ran")):
        status, headers, _ = call()
    assert status == "200 OK" and "X-Page-Cache" not in headers
