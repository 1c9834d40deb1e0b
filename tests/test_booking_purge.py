"""`manage.py purge_enquiries`: closed and spam enquiries past retention go, nothing else."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from booking.models import Enquiry, Notification


def make(status, days_old):
    enquiry = Enquiry.objects.create(
        name=f"{status} {days_old}",
        email="x@example.com",
        phone="+61412345678",
        consent=True,
        status=status,
    )
    Notification.objects.create(enquiry=enquiry, kind="staff", recipients="a@b.c", status="sent")
    Enquiry.objects.filter(pk=enquiry.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return enquiry


@pytest.fixture
def enquiries(db):
    return {
        (status, age): make(status, age)
        for status in ["new", "contacted", "booked", "closed", "spam"]
        for age in [10, 400]
    }


def purge(*args):
    out = io.StringIO()
    call_command("purge_enquiries", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_what_it_would_delete_and_deletes_nothing(moment, enquiries):
    output = purge("--older-than", "365", "--dry-run")
    a_year_ago = moment.sydney_date - timedelta(days=365)
    assert f"received before {a_year_ago} (365 days)" in output
    assert f"(closed, received {moment.sydney_date - timedelta(days=400)})" in output
    for key in [("closed", 400), ("spam", 400)]:
        assert f"Would delete enquiry #{enquiries[key].pk} ({key[0]}," in output
    assert "Would delete 2 closed or spam enquiries" in output
    assert Enquiry.objects.count() == 10
    # No names in the output: it may land in a cron log.
    assert "closed 400" not in output


def test_deletes_only_old_closed_and_spam(enquiries):
    output = purge("--older-than", "365")
    assert "Deleted 2 closed or spam enquiries" in output
    remaining = set(Enquiry.objects.values_list("status", "name"))
    assert ("closed", "closed 400") not in remaining and ("spam", "spam 400") not in remaining
    assert Enquiry.objects.count() == 8
    # Still-open enquiries are kept however old; their emails go with the deleted ones.
    for status in ["new", "contacted", "booked"]:
        assert Enquiry.objects.filter(pk=enquiries[(status, 400)].pk).exists()
    assert Notification.objects.count() == 8


def test_shorter_period_reaches_younger_enquiries(enquiries):
    purge("--older-than", "5")
    assert set(Enquiry.objects.values_list("status", flat=True).distinct()) == {
        "new",
        "contacted",
        "booked",
    }


def test_default_period_is_the_retention_setting(enquiries, settings):
    settings.BOOKING_RETENTION_DAYS = 500
    assert "Deleted 0 closed or spam enquiries" in purge()
    settings.BOOKING_RETENTION_DAYS = 30
    assert "Deleted 2 closed or spam enquiries" in purge()


def test_nonsense_periods_are_refused(db):
    with pytest.raises(CommandError):
        purge("--older-than", "0")
    with pytest.raises(CommandError):
        purge("--older-than", "soon")
