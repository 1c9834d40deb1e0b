import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command

from clinic.models import Clinic, Practitioner, Service


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    return Clinic.objects.get()


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(
        name="Westside Sports Chiro",
        tagline="Test tagline",
        phone="02 5550 1234",
        email="clinic@example.com",
        street_address="1 Example Street",
        suburb="Parramatta",
        postcode="2150",
    )


@pytest.fixture
def practitioner(db):
    return Practitioner.objects.create(
        name="Jason Lee", slug="jason-lee", role="Chiropractor", qualifications="M.Chiro"
    )


@pytest.fixture
def service(db):
    return Service.objects.create(
        name="Running assessment", slug="running-assessment", summary="We watch you run."
    )


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="correct-horse-battery", is_staff=True
    )


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (test settings turn it off), in a fresh in-memory cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@dataclass(frozen=True)
class Moment:
    """An instant a date-dependent test runs at, and the date it is then in Sydney."""

    utc: datetime
    sydney_date: date


# Sydney is 10 or 11 hours ahead of UTC, so for half of every UTC day it is already tomorrow there.
MOMENTS = {
    "0130-sydney": Moment(datetime(2026, 11, 30, 14, 30, tzinfo=UTC), date(2026, 12, 1)),
    "1030-sydney": Moment(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 12, 1)),
    # 03:30 AEDT, half an hour after 02:00 became 03:00 when daylight saving started.
    "dst-starts": Moment(datetime(2026, 10, 3, 16, 30, tzinfo=UTC), date(2026, 10, 4)),
    # 02:30 AEST, the hour that happens twice when daylight saving ends.
    "dst-ends": Moment(datetime(2027, 4, 3, 16, 30, tzinfo=UTC), date(2027, 4, 4)),
}


@pytest.fixture(params=list(MOMENTS.values()), ids=list(MOMENTS))
def moment(request, time_machine):
    """Runs the test once at each of MOMENTS, the clock ticking on from there. Name it first
    among the test's fixtures (or in `usefixtures`) so their data is made at that moment too."""
    time_machine.move_to(request.param.utc, tick=True)
    return request.param
