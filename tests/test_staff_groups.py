"""Finding 8 and the staff groups: one definition (clinic/staff_groups.py), kept in step by
`migrate`; Editors cannot redirect patient mail by changing the clinic's contact details."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from clinic.models import Clinic
from clinic.staff_groups import STAFF_GROUPS

CONTACT = {"email": "thief@example.net", "phone": "02 5550 6666", "booking_url": "https://x.test/"}


def group_permissions(name):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(group__name=name).values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_every_group_back_as_defined():
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="view_enquiry"))
    Group.objects.filter(name="Front desk").delete()

    call_command("migrate", verbosity=0)

    for name, permissions in STAFF_GROUPS.items():
        assert group_permissions(name) == set(permissions)
    assert not any(permission.startswith("booking.") for permission in STAFF_GROUPS["Editors"])
    assert "clinic.change_clinic_contact" not in group_permissions("Editors")


def clinic_form(clinic, **changes):
    fields = ["name", "tagline", "intro", "phone", "email", "booking_url", "street_address"]
    fields += ["suburb", "state", "postcode", "country", "map_url", "privacy_policy"]
    data = {field: getattr(clinic, field) for field in fields}
    data.update({f"opening_hours-{key}": "0" for key in ["TOTAL_FORMS", "INITIAL_FORMS"]})
    return data | changes


@pytest.fixture
def editor_client(client, demo, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_an_editor_sees_the_contact_details_read_only(editor_client):
    html = editor_client.get("/admin/clinic/clinic/1/change/").content.decode()

    assert 'name="tagline"' in html
    assert 'name="email"' not in html
    assert 'name="phone"' not in html
    assert 'name="booking_url"' not in html


def test_an_editor_cannot_change_where_patient_mail_goes(editor_client):
    clinic = Clinic.objects.get()
    before = {field: getattr(clinic, field) for field in CONTACT}

    response = editor_client.post(
        "/admin/clinic/clinic/1/change/", clinic_form(clinic, tagline="New tagline", **CONTACT)
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.tagline == "New tagline"
    assert {field: getattr(clinic, field) for field in CONTACT} == before


def test_the_owner_can(admin_client, demo):
    clinic = Clinic.objects.get()

    response = admin_client.post("/admin/clinic/clinic/1/change/", clinic_form(clinic, **CONTACT))

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert {field: getattr(clinic, field) for field in CONTACT} == CONTACT
