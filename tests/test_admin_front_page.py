"""The staff front page (admin index): per role, what is waiting, with counts and links to the
filtered lists; and the article list's "Due for clinical review" filter."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.models import Post
from booking.models import Enquiry, Notification
from testimonials.models import Status
from tests import blog_helpers as h
from tests.testimonials_support import make_story

# 10:00 in Sydney on 15 June 2026: "today" is the same date in UTC and in Sydney.
NOW = datetime(2026, 6, 15, 0, 0, tzinfo=UTC)
ENQUIRY_ROWS = ["New enquiries", "Enquiries whose emails are not delivered yet"]
CONTENT_ROWS = [
    "Scheduled articles",
    "Articles due for clinical review",
    "Patient stories waiting for moderation",
]


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def user_in(django_user_model, group=None, **fields):
    user = django_user_model.objects.create_user(
        group or "owner", password="pw-12345678", is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def enquiry(status=Enquiry.Status.NEW):
    return Enquiry.objects.create(name="Alex", consent=True, status=status)


@pytest.fixture
def waiting(db):
    """Two new enquiries (one with an email still to send), a contacted one with a failed email,
    a pending story, a scheduled article, and articles in every review state."""
    enquiry()
    pending = enquiry()
    Notification.objects.create(enquiry=pending, kind="staff", recipients="a@b.c")
    failed = enquiry(Enquiry.Status.CONTACTED)
    Notification.objects.create(enquiry=failed, kind="staff", recipients="a@b.c", status="failed")
    make_story(status=Status.PENDING)
    make_story(text="Published already.")
    reviewer = h.practitioner()
    h.post("Scheduled", published_at=timezone.now() + timedelta(days=3))
    h.post("Reviewed lately", reviewed_by=reviewer, last_reviewed=date(2025, 7, 1))
    h.post("Reviewed long ago", reviewed_by=reviewer, last_reviewed=date(2025, 6, 14))
    h.post("Never reviewed")
    h.post("Draft never reviewed", status=Post.Status.DRAFT)


def rows(client):
    html = client.get("/admin/").text
    return {
        label: (int(count), url.replace("&amp;", "&"))
        for url, label, count in re.findall(
            r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td class="count">(\d+)</td>',
            html,
        )
    }


def test_the_owner_sees_every_row_with_its_count(client, django_user_model, waiting):
    client.force_login(user_in(django_user_model, is_superuser=True))

    found = rows(client)

    assert {label: count for label, (count, _url) in found.items()} == {
        "New enquiries": 2,
        "Enquiries whose emails are not delivered yet": 2,
        "Patient stories waiting for moderation": 1,
        "Scheduled articles": 1,
        # Long ago, never reviewed, and the scheduled one (never reviewed): not the draft.
        "Articles due for clinical review": 3,
    }


@pytest.mark.parametrize(
    ("group", "visible"), [("Front desk", ENQUIRY_ROWS), ("Editors", CONTENT_ROWS)]
)
def test_each_role_sees_only_its_rows(client, django_user_model, waiting, group, visible):
    client.force_login(user_in(django_user_model, group))

    assert list(rows(client)) == visible


def test_each_link_opens_the_list_of_what_was_counted(client, django_user_model, waiting):
    client.force_login(user_in(django_user_model, is_superuser=True))

    for label, (count, url) in rows(client).items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert response.context["cl"].result_count == count, label


def test_due_for_clinical_review_filter_follows_the_setting(client, django_user_model, settings):
    client.force_login(user_in(django_user_model, "Editors"))
    reviewer = h.practitioner()
    h.post("Eight months", reviewed_by=reviewer, last_reviewed=date(2025, 10, 15))
    h.post("Two months", reviewed_by=reviewer, last_reviewed=date(2026, 4, 15))

    def due():
        response = client.get("/admin/blog/post/", {"review": "due"})
        return sorted(post.title for post in response.context["cl"].result_list)

    assert due() == []
    settings.CLINICAL_REVIEW_MONTHS = 6
    assert due() == ["Eight months"]
    assert (
        "Due for clinical review (none, or over 6 months ago)"
        in client.get("/admin/blog/post/").text
    )
