"""The site when a shared service is unreachable: Redis (pages rendered, not cached) and the
database (a 503 "please call us" page). tests/cluster/ does the same against real services."""

import socket

import pytest
from django.db import connection
from django.db.utils import OperationalError

from booking.models import Enquiry
from clinic.models import Practitioner, Service
from tests.form_support import enquiry_data


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("path", ["/", "/services/", "/blog/", "/book/"])
def test_pages_are_served_while_redis_is_unreachable(demo, client, settings, path):
    unreachable = {
        "BACKEND": "clinic.resilient_cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
    }
    settings.CACHES = {"default": unreachable, "page_cache_version": unreachable}
    settings.PAGE_CACHE_SECONDS = 600

    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert "Westside" in response.text


def database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_an_enquiry_sent_while_the_database_is_down_gets_a_page_with_the_clinic_phone(demo, client):
    assert client.get("/").status_code == 200  # a page rendered: the phone number is remembered
    service, practitioner = Service.objects.active().first(), Practitioner.objects.first()
    client.raise_request_exception = False

    with connection.execute_wrapper(database_down):
        response = client.post("/book/", enquiry_data(service, practitioner))

    assert response.status_code == 503
    assert "Please call us on" in response.text
    assert demo.phone in response.text
    assert response["Cache-Control"] == "no-store" and response["Retry-After"]
    assert not Enquiry.objects.exists()
