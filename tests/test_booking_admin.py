"""The front desk's inbox: who sees it, working it, exporting a date range."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from booking.models import Enquiry, Notification

SYDNEY = ZoneInfo("Australia/Sydney")
CHANGELIST = "/admin/booking/enquiry/"
EXPORT = "/admin/booking/enquiry/export/"


def make_enquiry(name="Alex Citizen", status=Enquiry.Status.NEW, received=None, **fields):
    enquiry = Enquiry.objects.create(
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        phone="+61412345678",
        consent=status != Enquiry.Status.SPAM,
        status=status,
        **fields,
    )
    if received:
        Enquiry.objects.filter(pk=enquiry.pk).update(created_at=received)
        enquiry.refresh_from_db()
    return enquiry


@pytest.fixture
def front_desk_client(client, django_user_model):
    user = django_user_model.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    editors, _ = Group.objects.get_or_create(name="Editors")
    user.groups.add(editors)
    client.force_login(user)
    return client


def test_front_desk_group_has_booking_permissions_only(db):
    group = Group.objects.get(name="Front desk")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert codenames == {
        ("booking", "view_enquiry"),
        ("booking", "change_enquiry"),
        ("booking", "delete_enquiry"),
        ("booking", "export_enquiry"),
        ("booking", "view_notification"),
    }


def test_editors_have_no_booking_permission(db):
    editors, _ = Group.objects.get_or_create(name="Editors")
    booking_perms = Permission.objects.filter(content_type__app_label="booking")
    assert not editors.permissions.filter(pk__in=booking_perms).exists()


def test_editors_get_403_on_the_inbox(editor_client):
    enquiry = make_enquiry()
    assert editor_client.get(CHANGELIST).status_code == 403
    assert editor_client.get(f"{CHANGELIST}{enquiry.pk}/change/").status_code == 403
    assert editor_client.get(EXPORT).status_code == 403
    assert "Booking enquiries" not in editor_client.get("/admin/").content.decode()


def test_front_desk_sees_the_inbox_newest_first(front_desk_client):
    now = timezone.now()
    make_enquiry("Older Person", received=now - timedelta(days=2))
    make_enquiry("Newer Person", received=now - timedelta(hours=1))
    response = front_desk_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer Person") < html.index("Older Person")
    assert "Export a date range as CSV" in html


def test_filters_search_and_date_hierarchy_work(moment, front_desk_client):
    make_enquiry("Booked Person", status=Enquiry.Status.BOOKED)
    make_enquiry("New Person")
    html = front_desk_client.get(CHANGELIST + "?status__exact=booked").content.decode()
    assert "Booked Person" in html and "New Person" not in html
    html = front_desk_client.get(CHANGELIST + "?q=booked@example.com").content.decode()
    assert "Booked Person" in html and "New Person" not in html
    html = front_desk_client.get(CHANGELIST + "?q=0412+345+678").content.decode()
    assert "Booked Person" in html and "New Person" in html
    today = moment.sydney_date
    day = f"?created_at__year={today.year}&created_at__month={today.month}&created_at__day={today.day}"
    html = front_desk_client.get(CHANGELIST + day).content.decode()
    assert "Booked Person" in html and "New Person" in html
    assert front_desk_client.get(CHANGELIST + "?emails=problem").status_code == 200


def test_status_actions_move_enquiries_and_record_who_handled_them(front_desk_client):
    first, second = make_enquiry("First One"), make_enquiry("Second One")
    response = front_desk_client.post(
        CHANGELIST,
        {"action": "mark_contacted", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "2 enquiries marked contacted." in response.content.decode()
    for enquiry in (first, second):
        enquiry.refresh_from_db()
        assert enquiry.status == "contacted"
        assert enquiry.handled_by == front_desk_client.user


def test_staff_notes_and_status_are_edited_on_the_change_page(front_desk_client):
    enquiry = make_enquiry()
    Notification.objects.create(
        enquiry=enquiry,
        kind="staff",
        recipients="desk@example.com",
        status="retrying",
        attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    url = f"{CHANGELIST}{enquiry.pk}/change/"
    html = front_desk_client.get(url).content.decode()
    # The email state is on the enquiry's page.
    assert "Failed, will retry" in html and "ConnectionRefusedError" in html
    response = front_desk_client.post(
        url, {"status": "booked", "staff_notes": "Booked Tue 10am with Jason", "handled_by": ""}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "booked" and enquiry.staff_notes == "Booked Tue 10am with Jason"
    assert enquiry.handled_by == front_desk_client.user
    assert enquiry.name == "Alex Citizen"  # patient details are read-only


def test_front_desk_cannot_add_enquiries_or_reach_other_admin(front_desk_client):
    assert front_desk_client.get(CHANGELIST + "add/").status_code == 403
    assert front_desk_client.get("/admin/auth/user/").status_code == 403
    assert front_desk_client.get("/admin/clinic/service/").status_code == 403


def test_list_marks_emails_that_were_not_delivered(front_desk_client):
    enquiry = make_enquiry()
    Notification.objects.create(enquiry=enquiry, kind="staff", recipients="a@b.c", status="failed")
    html = front_desk_client.get(CHANGELIST).content.decode()
    assert "Not delivered" in html


def test_send_now_action_requeues_unsent_emails(
    front_desk_client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    enquiry = make_enquiry()
    Notification.objects.create(enquiry=enquiry, kind="staff", recipients="a@b.c", status="failed")
    Notification.objects.create(enquiry=enquiry, kind="patient", recipients="a@b.c", status="sent")
    with django_capture_on_commit_callbacks(execute=True):
        front_desk_client.post(
            CHANGELIST, {"action": "send_emails_now", "_selected_action": [enquiry.pk]}
        )
    assert DBTaskResult.objects.count() == 1
    assert enquiry.notifications.get(kind="staff").status == "retrying"


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_contains_exactly_the_selected_range(front_desk_client):
    def at(day, hour=12, minute=0):
        return datetime(2026, 3, day, hour, minute, tzinfo=SYDNEY)

    make_enquiry("Before Range", received=at(9, 23, 59))
    make_enquiry("First Morning", received=at(10, 0, 0))
    make_enquiry("Middle Day", received=at(12))
    make_enquiry("Last Night", received=at(15, 23, 59))
    make_enquiry("After Range", received=at(16, 0, 0))
    make_enquiry("Spam Bot", status=Enquiry.Status.SPAM, received=at(12))
    response = front_desk_client.get(EXPORT + "?date_from=2026-03-10&date_to=2026-03-15")
    rows = read_csv(response)
    assert [row["Name"] for row in rows] == ["First Morning", "Middle Day", "Last Night"]
    assert rows[0]["Phone"] == "0412 345 678"
    assert rows[0]["Received"] == "2026-03-10 00:00"
    assert "attachment" in response["Content-Disposition"]

    with_spam = read_csv(
        front_desk_client.get(EXPORT + "?date_from=2026-03-10&date_to=2026-03-15&include_spam=on")
    )
    assert len(with_spam) == 4


def test_csv_export_form_explains_bad_ranges(front_desk_client):
    response = front_desk_client.get(EXPORT)
    assert response.status_code == 200 and "Download CSV" in response.content.decode()
    html = front_desk_client.get(EXPORT + "?date_from=2026-03-15&date_to=2026-03-10").content
    assert "start date must be on or before the end date" in html.decode()
    html = front_desk_client.get(EXPORT + "?date_from=yesterday&date_to=").content.decode()
    assert "Enter a valid date" in html
    response = front_desk_client.get(EXPORT + "?date_from=2026-01-01&date_to=9999-12-31")
    assert response.status_code == 200
    assert "before the year 3000" in response.content.decode()


def test_csv_cells_cannot_run_as_spreadsheet_formulas(front_desk_client):
    make_enquiry("=HYPERLINK(1) Evil", received=datetime(2026, 3, 12, 12, tzinfo=SYDNEY))
    rows = read_csv(front_desk_client.get(EXPORT + "?date_from=2026-03-12&date_to=2026-03-12"))
    assert rows[0]["Name"] == "'=HYPERLINK(1) Evil"


def test_export_action_on_selected_enquiries(front_desk_client):
    one, _two = make_enquiry("Picked One"), make_enquiry("Not Picked")
    response = front_desk_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [one.pk]}
    )
    assert [row["Name"] for row in read_csv(response)] == ["Picked One"]


def test_changelist_query_count_does_not_grow(front_desk_client, django_assert_max_num_queries):
    for index in range(30):
        make_enquiry(f"Person {index}")
    with django_assert_max_num_queries(12):
        assert front_desk_client.get(CHANGELIST).status_code == 200


def test_front_desk_can_erase_an_enquiry_with_its_emails(front_desk_client):
    # A patient may ask for their details to be deleted (APP 11/13).
    enquiry = make_enquiry()
    Notification.objects.create(enquiry=enquiry, kind="staff", recipients="a@b.c", status="sent")
    url = f"{CHANGELIST}{enquiry.pk}/delete/"
    assert front_desk_client.get(url).status_code == 200
    response = front_desk_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Enquiry.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize("kind", ["year", "month", "day"])
def test_date_drill_down_lists_the_same_periods_as_djangos_own_query(db, kind):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import models

    sydney = ZoneInfo("Australia/Sydney")
    # Around the edges that matter: New Year in Sydney (still 31 December in UTC), a month end,
    # a daylight-saving change, and a gap of empty years.
    for moment in [
        datetime(2024, 1, 1, 0, 30, tzinfo=sydney),
        datetime(2024, 3, 31, 23, 59, tzinfo=sydney),
        datetime(2024, 4, 7, 2, 30, tzinfo=sydney),
        datetime(2026, 10, 4, 12, 0, tzinfo=sydney),
        datetime(2026, 12, 31, 23, 59, tzinfo=sydney),
    ]:
        make_enquiry(received=moment)

    probed = list(Enquiry.objects.datetimes("created_at", kind, order="DESC"))
    expected = list(models.QuerySet(Enquiry).datetimes("created_at", kind, order="DESC"))

    assert probed == expected
    assert len(probed) >= 2


def test_day_drill_down_within_a_month_matches_djangos_own_query(db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import models

    sydney = ZoneInfo("Australia/Sydney")
    for day, hour in [(1, 0), (4, 23), (5, 1), (5, 13), (30, 23)]:
        make_enquiry(received=datetime(2026, 4, day, hour, 30, tzinfo=sydney))
    april = Enquiry.objects.filter(created_at__year=2026, created_at__month=4)

    probed = list(april.datetimes("created_at", "day"))

    assert probed == list(
        models.QuerySet(Enquiry).filter(pk__in=april).datetimes("created_at", "day")
    )
    assert [moment.day for moment in probed] == [1, 4, 5, 30]
