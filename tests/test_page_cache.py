"""The shared page cache: hits for anonymous visitors, never for staff, fresh after edits."""

import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from clinic import page_cache
from clinic.models import Service

PUBLIC_PAGES = ["/", "/services/", "/about/", "/blog/", "/stories/", "/privacy/"]


@pytest.fixture
def admin_client_(db, django_user_model):
    user = django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-owner-1")
    client = Client()
    client.force_login(user)
    return client


def service_change_data(service, **changes):
    data = {
        "name": service.name,
        "slug": service.slug,
        "summary": service.summary,
        "description": service.description,
        "duration_minutes": service.duration_minutes or "",
        "booking_url": service.booking_url,
        "order": service.order,
        "is_active": "on" if service.is_active else "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_second_anonymous_read_is_a_hit_with_public_headers(
    page_cache_on, clinic, service, client, path
):
    first = client.get(path)
    second = client.get(path)

    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    # Browsers always revalidate (a staff edit shows at once); a CDN may keep it a minute.
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=60"
    assert "Cookie" in second["Vary"]
    assert not first.cookies and not second.cookies


def test_a_hit_carries_every_middleware_header_and_skips_the_view(
    page_cache_on, clinic, service, client, django_assert_num_queries
):
    first = client.get("/services/", headers={"accept-encoding": "gzip"})
    with django_assert_num_queries(0):  # the view, sessions and auth never ran
        second = client.get("/services/", headers={"accept-encoding": "gzip"})

    assert second["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
        "Content-Encoding",
        "ETag",
        "Vary",
    ):
        assert second[header] == first[header], header


def test_a_version_changed_by_another_process_is_seen_at_once(
    page_cache_on, clinic, client, django_capture_on_commit_callbacks
):
    client.get("/about/")
    assert client.get("/about/")["X-Page-Cache"] == "hit"  # now also in this process's memory

    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump()  # as a management command or another worker would

    assert client.get("/about/")["X-Page-Cache"] == "miss"


def test_head_is_served_from_the_cache_without_a_body(page_cache_on, clinic, client):
    get = client.get("/about/")
    head = client.head("/about/")

    assert head.status_code == 200
    assert head["X-Page-Cache"] == "hit"
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_static_files_bypass_the_page_cache(page_cache_on, client, db):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_cached_page_is_gzipped_for_clients_that_accept_it(page_cache_on, clinic, service, client):
    plain = client.get("/")
    first = client.get("/", headers={"accept-encoding": "gzip, br"})
    second = client.get("/", headers={"accept-encoding": "gzip, br"})

    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert second["X-Page-Cache"] == "hit"
    assert len(second.content) < len(plain.content) / 2
    assert second["ETag"] != plain["ETag"]


@pytest.mark.parametrize("cache_on", [True, False])
def test_conditional_get_with_last_etag_gets_304(settings, page_cache_on, clinic, client, cache_on):
    settings.PAGE_CACHE_SECONDS = 600 if cache_on else 0
    etag = client.get("/services/")["ETag"]

    again = client.get("/services/", headers={"if-none-match": etag})

    assert again.status_code == 304
    assert again.content == b""


def test_admin_edit_shows_at_next_request(
    page_cache_on, clinic, service, client, admin_client_, django_capture_on_commit_callbacks
):
    assert "Running assessment" in client.get("/services/").content.decode()
    assert client.get("/services/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            f"/admin/clinic/service/{service.pk}/change/",
            service_change_data(service, name="Gait analysis"),
        )
    assert response.status_code == 302

    page = client.get("/services/")
    assert page["X-Page-Cache"] == "miss"
    assert "Gait analysis" in page.content.decode()
    assert "Running assessment" not in page.content.decode()


def test_model_change_invalidates_after_commit_only(
    page_cache_on, clinic, service, client, django_capture_on_commit_callbacks
):
    client.get("/services/")

    with django_capture_on_commit_callbacks() as callbacks:
        Service.objects.create(name="Dry needling", slug="dry-needling", summary="Needles.")
        # Not committed yet: other workers may still serve the stored page.
        assert client.get("/services/")["X-Page-Cache"] == "hit"
    for callback in callbacks:
        callback()

    page = client.get("/services/")
    assert page["X-Page-Cache"] == "miss"
    assert "Dry needling" in page.content.decode()


def test_non_content_models_do_not_invalidate(
    page_cache_on, clinic, client, django_user_model, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        django_user_model.objects.create_user("someone", password="pw-someone-1")

    assert client.get("/")["X-Page-Cache"] == "hit"


def test_ignored_models_do_not_invalidate(
    settings, page_cache_on, clinic, client, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_IGNORE = ["clinic.OpeningHours"]
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        clinic.opening_hours.create(weekday=0, opens="08:00", closes="12:00")

    assert client.get("/")["X-Page-Cache"] == "hit"


def test_scheduled_content_shortens_the_stored_lifetime(page_cache_on, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from clinic.page_cache import store

    monkeypatch.setattr(store, "NEXT_CHANGE", [])
    assert page_cache.store_timeout() == 600
    page_cache.register_next_change(lambda: None)
    page_cache.register_next_change(lambda: timezone.now() + timedelta(seconds=90))
    assert 89 <= page_cache.store_timeout() <= 91


def test_logged_in_responses_never_come_from_or_go_into_the_cache(
    page_cache_on, clinic, service, client, admin_client_
):
    client.get("/services/")  # stored for anonymous visitors
    Service.objects.filter(pk=service.pk).update(name="Renamed quietly")  # no signal: stale

    staff_page = admin_client_.get("/services/")
    assert "X-Page-Cache" not in staff_page
    assert "Renamed quietly" in staff_page.content.decode()
    assert "private" in staff_page["Cache-Control"]

    cache.clear()
    admin_client_.get("/about/")
    assert client.get("/about/")["X-Page-Cache"] == "miss"


def test_responses_that_set_cookies_or_fail_are_not_stored(page_cache_on, clinic, client):
    login = client.get("/admin/login/")
    assert login.status_code == 200 and "csrftoken" in login.cookies
    assert Client().get("/admin/login/").get("X-Page-Cache") is None

    assert client.get("/services/no-such-service/").status_code == 404
    assert client.get("/services/no-such-service/").get("X-Page-Cache") is None


def test_flash_message_cookie_bypasses_the_cache(page_cache_on, clinic, client):
    client.get("/")
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get("/")


@pytest.mark.parametrize("path", ["/", "/blog/", "/stories/", "/services/", "/about/"])
@pytest.mark.parametrize("cache_on", [True, False])
def test_anonymous_reads_set_no_cookie(
    settings, page_cache_on, clinic, service, client, path, cache_on
):
    settings.PAGE_CACHE_SECONDS = 600 if cache_on else 0
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response


def test_turned_off_by_setting(settings, page_cache_on, clinic, client):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


# Form pages: cache_form_page keeps CSRF protection and the page cached.

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.urls("tests.page_cache_urls")
def test_form_page_is_stored_once_and_each_visitor_gets_a_working_token(page_cache_on, clinic):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [visitor.get("/test-form/") for visitor in visitors]

    assert [page["X-Page-Cache"] for page in pages] == ["miss", "hit"]
    tokens = [TOKEN.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    for page in pages:
        assert "pagecachefresh" not in page.content.decode()
        assert "csrftoken" in page.cookies
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
        assert "Content-Encoding" not in page and "ETag" not in page
    started = [re.search(r'name="started" value="([^"]+)"', p.content.decode())[1] for p in pages]
    assert started[0] != started[1] and all(s.startswith("started-") for s in started)

    for visitor, token in zip(visitors, tokens, strict=True):
        assert visitor.post("/test-form/", {"csrfmiddlewaretoken": token}).status_code == 200
    # Another visitor's token does not pass with this visitor's cookie.
    assert visitors[0].post("/test-form/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 403
    assert Client(enforce_csrf_checks=True).post("/test-form/", {}).status_code == 403


@pytest.mark.urls("tests.page_cache_urls")
def test_token_from_another_cookie_is_rejected(page_cache_on, clinic):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/test-form/")
    token = TOKEN.search(first.get("/test-form/").content.decode()).group(1)
    second.get("/test-form/")

    assert second.post("/test-form/", {"csrfmiddlewaretoken": token}).status_code == 403


@pytest.mark.urls("tests.page_cache_urls")
def test_form_page_with_token_outside_the_template_is_never_stored(page_cache_on, clinic, client):
    assert client.get("/test-token-in-view/").get("X-Page-Cache") != "hit"
    response = Client().get("/test-token-in-view/")
    assert response.get("X-Page-Cache") != "hit"
    assert "csrftoken" in response.cookies


@pytest.mark.urls("tests.page_cache_urls")
def test_a_page_whose_policy_carries_a_nonce_is_never_stored(page_cache_on, clinic, client):
    pages = [client.get("/test-nonce/") for _ in range(2)]

    assert all("X-Page-Cache" not in page for page in pages)
    nonces = [re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"])[1] for page in pages]
    assert nonces[0] != nonces[1]


@pytest.mark.urls("tests.page_cache_urls")
def test_form_page_without_page_cache_still_works(settings, page_cache_on, clinic):
    settings.PAGE_CACHE_SECONDS = 0
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/test-form/")
    token = TOKEN.search(page.content.decode()).group(1)

    assert "no-store" in page["Cache-Control"]
    assert visitor.post("/test-form/", {"csrfmiddlewaretoken": token}).status_code == 200


@pytest.mark.urls("tests.page_cache_urls")
def test_form_page_invalidated_with_content(
    page_cache_on, clinic, client, django_capture_on_commit_callbacks
):
    client.get("/test-form/")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump()
    assert Client().get("/test-form/")["X-Page-Cache"] == "miss"


def test_a_scheduled_post_appears_on_time_through_the_page_cache(
    page_cache_on, client, practitioner
):
    from datetime import timedelta

    from django.utils import timezone

    from blog.models import Post

    soon = timezone.now() + timedelta(seconds=90)
    Post.objects.create(
        title="Scheduled running tips",
        slug="scheduled-running-tips",
        summary="Soon.",
        body="<p>Soon.</p>",
        author=practitioner,
        status=Post.Status.PUBLISHED,
        published_at=soon,
    )
    assert "Scheduled running tips" not in client.get("/blog/").content.decode()

    # Move both clocks: Django's (the post's time comes) and the cache's (the stored page expires).
    later_time = time.time() + 91
    with (
        mock.patch("django.utils.timezone.now", return_value=soon + timedelta(seconds=1)),
        mock.patch("time.time", return_value=later_time),
    ):
        later = client.get("/blog/")

    assert "Scheduled running tips" in later.content.decode()


def test_switching_the_testimonials_policy_never_serves_pages_stored_under_the_old_one(
    page_cache_on, client, settings, demo
):
    from testimonials.models import Testimonial

    settings.TESTIMONIALS_POLICY = "standard"
    clinical = Testimonial.objects.publishable().exclude(classification="non_clinical").first()
    marker = clinical.text[:40]
    assert marker in client.get("/stories/").content.decode()

    settings.TESTIMONIALS_POLICY = "ahpra"
    response = client.get("/stories/")

    assert response["X-Page-Cache"] == "miss"
    assert marker not in response.content.decode()


# (Django's GZipMiddleware, which compresses what the page cache did not, still treats
# "gzip;q=0" as a yes; no browser sends that.)
@pytest.mark.parametrize(
    "accept, compressed",
    [("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("identity", False), ("", False)],
)
def test_pages_are_compressed_only_for_clients_that_accept_gzip(
    page_cache_on, client, db, accept, compressed
):
    client.get("/services/", HTTP_ACCEPT_ENCODING=accept)

    response = client.get("/services/", HTTP_ACCEPT_ENCODING=accept)

    assert response["X-Page-Cache"] == "hit"
    assert (response.get("Content-Encoding") == "gzip") is compressed
