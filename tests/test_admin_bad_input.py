"""Values Django's own change list cannot handle get the list back with a message, not a 500."""

import pytest
from django.test import Client

from booking.admin import EnquiryAdmin
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


@pytest.mark.parametrize(
    "url",
    [
        "/admin/blog/post/?created_at__year=-5",
        "/admin/booking/enquiry/?created_at__year=9998&created_at__month=12&created_at__day=31",
        "/admin/booking/enquiry/?created_at__year=2026&created_at__month=13",
        "/admin/booking/enquiry/?id=99999999999999999999999",
        "/admin/booking/enquiry/?handled_by__id__exact=abc",
    ],
)
def test_other_impossible_query_values_show_the_list_again(owner, url):
    response = owner.get(url, follow=True)

    assert response.status_code == 200
    assert b'id="changelist"' in response.content


def test_a_bug_in_the_admin_is_a_500_with_an_error_report_not_a_redirect(
    owner, settings, mailoutbox, monkeypatch
):
    settings.ADMINS = ["owner@example.com"]
    Enquiry.objects.create(name="A", email="a@example.com", phone="+61412345678", consent=True)

    def broken_column(self, obj):
        raise ValueError("a bug in a list_display method")

    monkeypatch.setattr(EnquiryAdmin, "email_state", broken_column)

    response = owner.get("/admin/booking/enquiry/")

    assert response.status_code == 500
    assert [message.to for message in mailoutbox] == [["owner@example.com"]]
    assert "a bug in a list_display method" in mailoutbox[0].body
