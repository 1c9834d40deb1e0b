"""clinic.wsgi: stored pages answered before Django for plain anonymous reads, nothing else."""

import io
import sys
from unittest import mock

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from clinic import page_cache, wsgi


def call(path="/services/", method="GET", **headers):
    """The site's WSGI application, called as gunicorn calls it: status, headers, body."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "localhost:8000",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **headers,
    }
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the request's end must not close the test's connection
    # (inside the test's transaction PostgreSQL's would be closed for good).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(wsgi.application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def test_a_stored_page_is_answered_before_django_with_the_same_headers(
    page_cache_on, clinic, service
):
    status, first_headers, first_body = call()
    assert status == "200 OK" and first_headers["X-Page-Cache"] == "miss"

    with mock.patch.object(wsgi, "django_application", side_effect=AssertionError("Django ran")):
        status, headers, body = call()

    assert status == "200 OK"
    assert headers.pop("X-Page-Cache") == "hit"
    first_headers.pop("X-Page-Cache")
    assert headers == first_headers
    assert headers["Content-Encoding"] == "gzip"
    assert "Content-Security-Policy" in headers and "Set-Cookie" not in headers
    assert body == first_body


def test_head_gets_the_headers_without_the_body(page_cache_on, clinic, service):
    call()
    with mock.patch.object(wsgi, "django_application", side_effect=AssertionError("Django ran")):
        status, headers, body = call(method="HEAD")

    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert int(headers["Content-Length"]) > 0 and body == b""


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "csrftoken=abc"},
        {"HTTP_AUTHORIZATION": "Basic Zm9vOmJhcg=="},
        {"HTTP_IF_NONE_MATCH": '"anything"'},
        {"HTTP_IF_MODIFIED_SINCE": "Thu, 26 Nov 2026 00:00:00 GMT"},
        {"REQUEST_METHOD": "POST"},
        {"HTTP_HOST": "evil.example"},  # a stored page is keyed by the Host Django accepted
        {"PATH_INFO": "/services/other/"},
        {"HTTP_ACCEPT_ENCODING": ""},  # the uncompressed copy is a different page
    ],
)
def test_anything_but_a_plain_anonymous_read_of_a_stored_page_goes_to_django(
    page_cache_on, clinic, service, extra
):
    call()
    seen = []

    def django_app(environ, start_response):
        seen.append(environ)
        start_response("200 OK", [])
        return [b"from Django"]

    with mock.patch.object(wsgi, "django_application", django_app):
        _, _, body = call(**extra)

    assert body == b"from Django" and len(seen) == 1


def test_a_content_change_in_another_process_reaches_this_one_at_once(
    page_cache_on, clinic, service, django_capture_on_commit_callbacks
):
    call()
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump()

    status, headers, _ = call()

    assert status == "200 OK" and headers["X-Page-Cache"] == "miss"


def test_a_forged_host_still_gets_the_400_page(page_cache_on, clinic, service):
    call()
    status, _, body = call(HTTP_HOST="evil.example")
    assert status.startswith("400")


def test_with_the_page_cache_off_django_answers_everything(settings, page_cache_on, clinic):
    settings.PAGE_CACHE_SECONDS = 0
    call("/about/")
    status, headers, _ = call("/about/")
    assert status == "200 OK" and "X-Page-Cache" not in headers


def test_tracking_parameters_are_answered_from_the_stored_page(page_cache_on, clinic, service):
    call()
    with mock.patch.object(wsgi, "django_application", side_effect=AssertionError("Django ran")):
        status, headers, _ = call(QUERY_STRING="utm_source=newsletter&fbclid=x")

    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"


def test_pages_that_are_not_declared_public_go_to_django(page_cache_on, clinic):
    status, headers, _ = call("/healthz")
    assert status == "200 OK" and "X-Page-Cache" not in headers
