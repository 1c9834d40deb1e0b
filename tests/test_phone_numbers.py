"""Phone numbers are read, stored, shown and linked the same way everywhere (clinic.phones)."""

import pytest
from pytest_django.asserts import assertContains

from booking.models import Enquiry
from tests.form_support import enquiry_data


@pytest.mark.parametrize(
    ("written", "link"),
    [
        ("02 5550 1234", "tel:+61255501234"),
        ("(02) 5550 1234", "tel:+61255501234"),
        ("+61 2 5550 1234", "tel:+61255501234"),
        ("0412 345 678", "tel:+61412345678"),
        ("1300 555 123", "tel:1300555123"),
        ("13 12 34", "tel:131234"),
    ],
)
def test_every_call_link_dials_the_clinics_number(client, clinic, written, link):
    clinic.phone = written
    clinic.save()

    assertContains(client.get("/book/"), f'<a href="{link}">{written}</a>', html=True)


@pytest.mark.parametrize(
    "typed",
    ["0412 345 678", "+61 412 345 678", "0061 412-345-678", "61412345678", "(04) 1234 5678"],
)
def test_a_patient_number_is_stored_once_and_shown_and_found_as_typed_at_the_desk(
    client, admin_client, service, typed
):
    client.post("/book/", enquiry_data(service, phone=typed))
    enquiry = Enquiry.objects.get()

    assert enquiry.phone == "+61412345678"
    page = admin_client.get(f"/admin/booking/enquiry/{enquiry.pk}/change/").content.decode()
    assert "0412 345 678" in page
    found = admin_client.get("/admin/booking/enquiry/?q=0412-345-678").content.decode()
    assert f"/admin/booking/enquiry/{enquiry.pk}/change/" in found
