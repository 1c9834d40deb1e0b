"""SQL queries per public page: at most 8, and the same for 1 item as for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.models import OpeningHours, Practitioner, Service

MAX_QUERIES = 8
PAGES = [
    "/",
    "/services/",
    "/services/service-0/",
    "/about/",
    "/about/practitioner-0/",
    "/privacy/",
    "/blog/",
    "/stories/",
    "/book/",
]


def make_items(count):
    Practitioner.objects.bulk_create(
        Practitioner(
            name=f"Practitioner {i}", slug=f"practitioner-{i}", role="Chiropractor", order=i
        )
        for i in range(count)
    )
    Service.objects.bulk_create(
        Service(name=f"Service {i}", slug=f"service-{i}", summary="Care.", order=i)
        for i in range(count)
    )


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.fixture
def clinic_with_hours(clinic):
    from datetime import time

    for day in range(5):
        OpeningHours.objects.create(clinic=clinic, weekday=day, opens=time(8), closes=time(18))
    return clinic


@pytest.mark.parametrize("path", PAGES)
def test_queries_per_page_are_few_and_constant(clinic_with_hours, client, path):
    make_items(1)
    one = queries_for(client, path)

    start = Practitioner.objects.count()
    Practitioner.objects.bulk_create(
        Practitioner(name=f"P {i}", slug=f"p-{i}", role="Chiropractor", order=i)
        for i in range(start, start + 199)
    )
    Service.objects.bulk_create(
        Service(name=f"S {i}", slug=f"s-{i}", summary="Care.", order=i)
        for i in range(start, start + 199)
    )
    assert Service.objects.count() == Practitioner.objects.count() == 200
    many = queries_for(client, path)

    assert one <= MAX_QUERIES
    assert many == one
