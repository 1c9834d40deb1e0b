"""Spam without CAPTCHA: honeypot, timing, per-client limit. Spam is kept and never mailed."""

import time
from datetime import UTC, datetime

import pytest
from django.core import signing
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from booking.models import Enquiry, Notification
from clinic.models import RateLimitHit
from clinic.spam import TIMESTAMP_SALT
from tests.form_support import enquiry_data

URL = "/book/"


@pytest.fixture
def valid_data(clinic, service):
    return enquiry_data(
        service,
        name="Sam Patient",
        email="sam@example.com",
        contact_method="either",
        patient_type="returning",
    )


def post(client, data, capture, **extra):
    with capture(execute=True):
        return client.post(URL, data, **extra)


def test_honeypot_post_is_stored_as_spam_and_sends_nothing(
    client, valid_data, django_capture_on_commit_callbacks, mailoutbox
):
    response = post(
        client, {**valid_data, "website": "http://spam.example"}, django_capture_on_commit_callbacks
    )
    # The robot is told nothing useful: it sees the ordinary thank-you redirect.
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.status == Enquiry.Status.SPAM and enquiry.spam_reason == "honeypot"
    assert Notification.objects.count() == 0 and DBTaskResult.objects.count() == 0
    assert mailoutbox == []


def test_honeypot_post_with_garbage_is_still_kept(
    client, clinic, django_capture_on_commit_callbacks
):
    response = post(
        client,
        {"website": "x", "name": "n" * 500, "email": "junk"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.status == "spam" and len(enquiry.name) == 120


def test_too_fast_post_is_stored_as_spam(client, valid_data, django_capture_on_commit_callbacks):
    fresh = signing.dumps(time.time(), salt=TIMESTAMP_SALT)
    response = post(
        client, {**valid_data, "form_started": fresh}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.spam_reason == "too_fast" and enquiry.name == "Sam Patient"
    assert DBTaskResult.objects.count() == 0


def test_the_minimum_fill_time_is_a_setting(
    client, valid_data, settings, django_capture_on_commit_callbacks
):
    settings.FORM_MIN_SECONDS_TO_FILL = 60
    half_a_minute_ago = signing.dumps(time.time() - 30, salt=TIMESTAMP_SALT)
    post(
        client,
        {**valid_data, "form_started": half_a_minute_ago},
        django_capture_on_commit_callbacks,
    )
    settings.FORM_MIN_SECONDS_TO_FILL = 0
    post(
        client,
        {**valid_data, "form_started": signing.dumps(time.time(), salt=TIMESTAMP_SALT)},
        django_capture_on_commit_callbacks,
    )

    assert [enquiry.spam_reason for enquiry in Enquiry.objects.order_by("pk")] == ["too_fast", ""]


def test_forged_timestamp_is_stored_as_spam(client, valid_data, django_capture_on_commit_callbacks):
    post(client, {**valid_data, "form_started": "12345"}, django_capture_on_commit_callbacks)
    assert Enquiry.objects.get().spam_reason == "bad_timestamp"


@override_settings(BOOKING_RATE_LIMIT="2/600")
def test_over_the_limit_gets_a_clear_429_with_the_input_kept(client, valid_data):
    assert client.post(URL, valid_data).status_code == 302
    assert client.post(URL, valid_data).status_code == 302
    response = client.post(URL, {**valid_data, "name": "Third Try"})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "several enquiries from your connection" in html
    assert 'value="Third Try"' in html
    assert Enquiry.objects.count() == 2


@override_settings(BOOKING_RATE_LIMIT="1/600")
def test_limit_is_per_client_and_stores_no_raw_address(client, valid_data):
    assert client.post(URL, valid_data, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert client.post(URL, valid_data, REMOTE_ADDR="203.0.113.5").status_code == 429
    assert client.post(URL, valid_data, REMOTE_ADDR="198.51.100.7").status_code == 302
    keys = list(RateLimitHit.objects.values_list("client_key", flat=True))
    assert keys and all("203.0.113.5" not in key and len(key) == 64 for key in keys)


@override_settings(BOOKING_RATE_LIMIT="1/600")
@pytest.mark.time_machine(datetime(2026, 11, 30, 23, 55, tzinfo=UTC))  # across midnight UTC
def test_the_limit_lifts_once_its_window_has_passed(time_machine, client, valid_data):
    assert client.post(URL, valid_data).status_code == 302
    time_machine.shift(599)
    assert client.post(URL, valid_data).status_code == 429
    time_machine.shift(2)
    assert client.post(URL, valid_data).status_code == 302
    assert Enquiry.objects.filter(status=Enquiry.Status.NEW).count() == 2


@override_settings(BOOKING_RATE_LIMIT="1/600")
def test_over_the_limit_answers_json_to_the_script(client, valid_data):
    client.post(URL, valid_data)
    response = client.post(URL, valid_data, HTTP_ACCEPT="application/json")
    assert response.status_code == 429
    assert response.json()["outcome"] == "rate_limited"
    assert "several enquiries" in response.json()["html"]


@override_settings(BOOKING_RATE_LIMIT="1/600")
def test_mistakes_do_not_count_against_the_limit(client, valid_data):
    for _ in range(3):
        assert client.post(URL, {**valid_data, "email": ""}).status_code == 200
    assert client.post(URL, valid_data).status_code == 302


@override_settings(BOOKING_RATE_LIMIT="0")
def test_zero_turns_the_limit_off(client, valid_data):
    for _ in range(8):
        assert client.post(URL, valid_data).status_code == 302
    assert Enquiry.objects.count() == 8


def test_a_malformed_rate_limit_is_caught_at_startup(settings):
    from booking.checks import booking_settings

    settings.BOOKING_RATE_LIMIT = "lots"
    assert [error.id for error in booking_settings(None)] == ["booking.E001"]
    settings.BOOKING_RATE_LIMIT = "5/600"
    assert booking_settings(None) == []
