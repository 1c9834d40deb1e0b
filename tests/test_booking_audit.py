"""The audit trail: every CSV export and every opening of an enquiry is recorded, for the owner's
eyes only, and nobody can change or delete a record through the admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from booking.models import AccessRecord, Enquiry

CHANGELIST = "/admin/booking/enquiry/"
EXPORT = "/admin/booking/enquiry/export/"
TRAIL = "/admin/booking/accessrecord/"


def make_enquiry(name="Alex Citizen"):
    return Enquiry.objects.create(
        name=name, email="alex@example.com", phone="+61412345678", consent=True
    )


def logged_in(django_user_model, username, *, group=None, superuser=False):
    if superuser:
        user = django_user_model.objects.create_superuser(username, f"{username}@example.com")
    else:
        user = django_user_model.objects.create_user(username, is_staff=True)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(db, django_user_model):
    return logged_in(django_user_model, "desk", group="Front desk")


@pytest.fixture
def editor(db, django_user_model):
    return logged_in(django_user_model, "editor", group="Editors")


@pytest.fixture
def owner(db, django_user_model):
    return logged_in(django_user_model, "owner", superuser=True)


def test_opening_an_enquiry_records_who_and_which(desk):
    enquiry = make_enquiry()

    assert desk.get(f"{CHANGELIST}{enquiry.pk}/change/").status_code == 200

    record = AccessRecord.objects.get()
    assert (record.action, record.username, record.enquiry_number) == ("view", "desk", enquiry.pk)
    assert record.user.username == "desk" and record.at is not None


def test_a_refused_or_missing_enquiry_records_nothing(editor, desk):
    enquiry = make_enquiry()

    assert editor.get(f"{CHANGELIST}{enquiry.pk}/change/").status_code == 403
    desk.get(f"{CHANGELIST}{enquiry.pk + 1}/change/", follow=True)
    desk.get(CHANGELIST)

    assert not AccessRecord.objects.exists()


def test_a_date_range_export_records_the_range_and_how_many(desk):
    make_enquiry()

    response = desk.get(EXPORT + "?date_from=2020-01-01&date_to=2999-12-31&include_spam=on")
    b"".join(response.streaming_content)

    record = AccessRecord.objects.get()
    assert record.action == "export" and record.username == "desk"
    assert (str(record.date_from), str(record.date_to), record.rows) == (
        "2020-01-01",
        "2999-12-31",
        1,
    )
    assert "spam included" in record.detail


def test_an_export_form_with_errors_records_nothing(desk):
    desk.get(EXPORT + "?date_from=2026-03-15&date_to=2026-03-10")

    assert not AccessRecord.objects.exists()


def test_an_export_of_selected_enquiries_records_their_numbers(desk):
    one, two, _other = make_enquiry("One"), make_enquiry("Two"), make_enquiry("Other")

    response = desk.post(CHANGELIST, {"action": "export_csv", "_selected_action": [one.pk, two.pk]})
    assert response.status_code == 200

    record = AccessRecord.objects.get()
    assert record.action == "export" and record.rows == 2
    assert record.detail == f"Selected: #{one.pk}, #{two.pk}"


def test_the_owner_reads_the_trail_in_the_admin(owner, desk):
    enquiry = make_enquiry()
    desk.get(f"{CHANGELIST}{enquiry.pk}/change/")

    index = owner.get("/admin/").content.decode()
    assert TRAIL in index
    page = owner.get(TRAIL).content.decode()
    assert "Opened an enquiry" in page and f"#{enquiry.pk}" in page and "desk" in page


@pytest.mark.parametrize("role", ["desk", "editor"])
def test_front_desk_and_editors_never_see_the_trail(db, request, role):
    client = request.getfixturevalue(role)
    AccessRecord.objects.create(username="someone", action="view", enquiry_number=1)
    record = AccessRecord.objects.get()

    assert TRAIL not in client.get("/admin/").content.decode()
    assert client.get(TRAIL).status_code == 403
    assert client.get(f"{TRAIL}{record.pk}/change/").status_code == 403
    assert TRAIL not in client.get("/admin/booking/").content.decode()


def test_no_one_changes_or_deletes_a_record_through_the_admin(owner):
    record = AccessRecord.objects.create(username="desk", action="view", enquiry_number=7)
    url = f"{TRAIL}{record.pk}/"

    page = owner.get(f"{url}change/").content.decode()
    assert "desk" in page and 'name="_save"' not in page
    assert owner.post(f"{url}change/", {"username": "nobody"}).status_code == 403
    assert owner.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    owner.post(TRAIL, {"action": "delete_selected", "_selected_action": [record.pk]})
    assert owner.get(f"{TRAIL}add/").status_code == 403

    record.refresh_from_db()
    assert record.username == "desk"
    assert AccessRecord.objects.count() == 1
