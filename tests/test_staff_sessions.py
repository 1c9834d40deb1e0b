"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and 12 hours after
sign-in however busy."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client

INBOX = "/admin/booking/enquiry/"
SIGN_IN_TIME = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def owner_client(db, django_user_model):
    django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-owner-123")
    client = Client()
    response = client.post("/admin/login/", {"username": "owner", "password": "pw-owner-123"})
    assert response.status_code == 302
    return client


def signed_out(response):
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.fixture
def clock():
    with time_machine.travel(SIGN_IN_TIME, tick=False) as traveller:
        yield traveller


def test_an_idle_session_ends_after_the_idle_limit(clock, owner_client):
    clock.shift(timedelta(minutes=59))
    assert owner_client.get(INBOX).status_code == 200

    clock.shift(timedelta(minutes=61))
    response = owner_client.get(INBOX)

    assert signed_out(response)
    page = owner_client.get(response["Location"]).content.decode()
    assert "You were signed out after 60 minutes without activity" in page
    assert owner_client.get(INBOX).status_code == 302


def test_the_idle_limit_is_a_setting(settings, clock, owner_client):
    settings.STAFF_SESSION_IDLE_MINUTES = 15

    clock.shift(timedelta(minutes=16))

    assert signed_out(owner_client.get(INBOX))


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(clock, owner_client):
    for _half_hour in range(23):
        clock.shift(timedelta(minutes=30))
        assert owner_client.get(INBOX).status_code == 200

    clock.shift(timedelta(minutes=31))

    assert signed_out(owner_client.get(INBOX))


@pytest.mark.parametrize("value", ["0", "-5", "721", "soon"])
def test_a_nonsense_idle_limit_stops_the_site_with_a_message(value):
    environment = {**os.environ, "STAFF_SESSION_IDLE_MINUTES": value}
    environment["DJANGO_SETTINGS_MODULE"] = "clinic.settings"

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "STAFF_SESSION_IDLE_MINUTES must be" in result.stderr
