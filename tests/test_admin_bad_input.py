"""Values Django's own change list cannot handle get the list back with a message, not a 500."""

import pytest
from django.test import Client

from booking.models import Enquiry


@pytest.fixture
def owner(db, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("owner", "o@example.com", "pw-1"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/booking/enquiry/?created_at__year=9999",
        "/admin/testimonials/testimonial/?received_on__year=9999",
        "/admin/blog/post/?published_at__year=9999",
    ],
)
def test_impossible_date_drill_downs_show_the_list_again(owner, url):
    response = owner.get(url, follow=True)

    assert response.status_code == 200
    assert "could not be used" in response.content.decode()


def test_the_year_one_is_a_list_or_a_message_never_an_error(owner):
    # SQLite cannot shift year 1 into the time zone (an OverflowError: the message); PostgreSQL
    # can (an empty list).
    response = owner.get("/admin/booking/enquiry/?created_at__year=1", follow=True)

    assert response.status_code == 200


@pytest.mark.parametrize("selected", ["abc", str(2**70)])
def test_a_forged_selection_changes_nothing(owner, selected):
    Enquiry.objects.create(name="A", email="a@example.com", phone="+61412345678", consent=True)

    response = owner.post(
        "/admin/booking/enquiry/",
        {"action": "mark_closed", "_selected_action": [selected], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    assert Enquiry.objects.get().status == Enquiry.Status.NEW
