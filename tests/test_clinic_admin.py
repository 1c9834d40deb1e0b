import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clinic.models import Clinic, Practitioner


@pytest.fixture
def admin_client_with_clinic(admin_client, demo):
    return admin_client


def clinic_form_data(clinic, **changes):
    data = {
        "name": clinic.name,
        "tagline": clinic.tagline,
        "intro": clinic.intro,
        "phone": clinic.phone,
        "email": clinic.email,
        "booking_url": clinic.booking_url,
        "street_address": clinic.street_address,
        "suburb": clinic.suburb,
        "state": clinic.state,
        "postcode": clinic.postcode,
        "country": clinic.country,
        "map_url": clinic.map_url,
        "facebook_url": "",
        "instagram_url": "",
        "linkedin_url": "",
        "youtube_url": "",
        "privacy_policy": clinic.privacy_policy,
        "privacy_updated": "2026-02-01",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_editing_the_clinic_record_changes_the_footer(admin_client_with_clinic, client):
    clinic = Clinic.objects.get()

    response = admin_client_with_clinic.post(
        f"/admin/clinic/clinic/{clinic.pk}/change/",
        clinic_form_data(clinic, phone="02 5550 9999", street_address="99 New Road"),
    )

    assert response.status_code == 302
    content = client.get("/services/").content.decode()
    assert "02 5550 9999" in content
    assert "99 New Road" in content


def test_clinic_admin_list_goes_straight_to_the_one_record(admin_client_with_clinic):
    response = admin_client_with_clinic.get("/admin/clinic/clinic/")

    assert response.status_code == 302
    assert response["Location"].endswith("/admin/clinic/clinic/1/change/")


def test_bad_clinic_fields_get_clear_errors_and_nothing_changes(admin_client_with_clinic):
    clinic = Clinic.objects.get()

    response = admin_client_with_clinic.post(
        f"/admin/clinic/clinic/{clinic.pk}/change/",
        clinic_form_data(
            clinic, postcode="ABCD", email="not-an-email", map_url="javascript:alert(1)"
        ),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "An Australian postcode has 4 digits." in content
    assert "Enter a valid email address." in content
    assert "Enter a valid URL." in content
    assert Clinic.objects.get().postcode == clinic.postcode


def test_opening_hours_must_close_after_they_open(admin_client_with_clinic):
    clinic = Clinic.objects.get()
    data = clinic_form_data(clinic)
    data.update(
        {
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-0-weekday": "6",
            "opening_hours-0-opens": "17:00",
            "opening_hours-0-closes": "09:00",
        }
    )

    response = admin_client_with_clinic.post(f"/admin/clinic/clinic/{clinic.pk}/change/", data)

    assert response.status_code == 200
    assert "Constraint “hours_close_after_open” is violated." in response.content.decode()


def image_upload(name, mode, size, image_format, colour=0):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=image_format, optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def add_practitioner(client, photo, photo_alt="A portrait"):
    return client.post(
        "/admin/clinic/practitioner/add/",
        {
            "name": "New Person",
            "slug": "new-person",
            "role": "Chiropractor",
            "photo": photo,
            "photo_alt": photo_alt,
            "order": "3",
            "is_active": "on",
        },
    )


def test_practitioner_photo_upload_rejects_a_decompression_bomb(admin_client_with_clinic):
    upload = image_upload("huge.png", "1", (10_000, 10_000), "PNG")
    assert upload.size < 200_000

    response = add_practitioner(admin_client_with_clinic, upload)

    assert response.status_code == 200
    assert "megapixels" in response.content.decode()
    assert not Practitioner.objects.filter(slug="new-person").exists()


def test_practitioner_with_photo_needs_alt_text(admin_client_with_clinic):
    upload = image_upload("p.jpg", "RGB", (50, 50), "JPEG", "teal")

    response = add_practitioner(admin_client_with_clinic, upload, photo_alt="")

    assert response.status_code == 200
    assert "Describe the photo for people who cannot see it." in response.content.decode()
    assert not Practitioner.objects.filter(slug="new-person").exists()


def test_not_an_image_is_rejected(admin_client_with_clinic):
    upload = SimpleUploadedFile("p.png", b"<?php echo 1; ?>", content_type="image/png")

    response = add_practitioner(admin_client_with_clinic, upload)

    assert response.status_code == 200
    assert not Practitioner.objects.filter(slug="new-person").exists()


@pytest.mark.parametrize("written", ["02 9000 0000", "0412 345 678", "1300 000 000", "13 12 34"])
def test_the_clinic_number_is_any_number_patients_can_dial(admin_client_with_clinic, written):
    clinic = Clinic.objects.get()

    response = admin_client_with_clinic.post(
        f"/admin/clinic/clinic/{clinic.pk}/change/", clinic_form_data(clinic, phone=written)
    )

    assert response.status_code == 302
    assert Clinic.objects.get().phone == written


@pytest.mark.parametrize("written", ["12345", "call us", "+1 212 555 0100", "0112 345 678"])
def test_a_clinic_number_no_one_can_dial_is_refused(admin_client_with_clinic, written):
    clinic = Clinic.objects.get()

    response = admin_client_with_clinic.post(
        f"/admin/clinic/clinic/{clinic.pk}/change/", clinic_form_data(clinic, phone=written)
    )

    assert response.status_code == 200
    assert "Enter the number as patients dial it in Australia" in response.content.decode()
    assert Clinic.objects.get().phone == clinic.phone
