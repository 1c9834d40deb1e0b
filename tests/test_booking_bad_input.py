"""Whatever arrives at the booking form gets a clear answer, never a 500."""

import pytest
from django.test import Client

from booking.models import Enquiry
from tests.form_support import enquiry_data

URL = "/book/"


@pytest.fixture
def valid_data(clinic, service, practitioner):
    return enquiry_data(service, practitioner)


@pytest.fixture
def admin_client_logged_in(client, admin_user):
    client.force_login(admin_user)
    return client


def test_missing_csrf_token_is_refused_clearly(clinic, valid_data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, valid_data)
    assert response.status_code == 403
    assert "Please send the form again" in response.content.decode()
    assert Enquiry.objects.count() == 0


def test_forged_csrf_token_is_refused_clearly(clinic, valid_data):
    client = Client(enforce_csrf_checks=True)
    client.get(URL)
    response = client.post(URL, {**valid_data, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert Enquiry.objects.count() == 0


def test_real_csrf_token_from_the_page_is_accepted(clinic, valid_data):
    client = Client(enforce_csrf_checks=True)
    client.get(URL)
    token = client.cookies["csrftoken"].value
    response = client.post(URL, {**valid_data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_empty_post_lists_every_required_field(client, clinic):
    response = client.post(URL, {})
    assert response.status_code == 200
    html = response.content.decode()
    for field in ["name", "email", "phone", "contact_method", "patient_type", "service", "consent"]:
        assert f'id="id_{field}_error"' in html
    assert Enquiry.objects.count() == 0


def test_ten_thousand_character_fields_are_refused_politely(client, valid_data):
    long = "x" * 10_000
    data = {**valid_data, "name": long, "email": long + "@example.com", "phone": long}
    data["message"] = long
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 120 characters" in html
    assert "Ensure this value has at most 2000 characters" in html
    assert Enquiry.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["Zoë Ångström-Nguyễn", "محمد الأحمد", "שרה כהן", "李小龙", "Dr O’Brien 👩‍⚕️"]
)
def test_unicode_and_right_to_left_names_are_stored_as_typed(client, valid_data, name):
    response = client.post(URL, {**valid_data, "name": name})
    assert response.status_code == 302
    assert Enquiry.objects.get().name == name


def test_html_and_sql_looking_text_is_stored_and_shown_as_text(
    client, valid_data, admin_client_logged_in
):
    name = "<script>alert(1)</script>"
    message = "'; DROP TABLE booking_enquiry; -- <b>bold</b>"
    assert client.post(URL, {**valid_data, "name": name, "message": message}).status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.name == name and enquiry.message == message
    html = admin_client_logged_in.get(f"/admin/booking/enquiry/{enquiry.pk}/change/").content
    html = html.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_typed_into_a_form_with_errors_comes_back_escaped(client, valid_data):
    html = client.post(URL, {**valid_data, "name": '"><script>x()</script>', "email": ""})
    html = html.content.decode()
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service", "no-such-service"),
        ("service", "999"),
        ("practitioner", "ghost"),
        ("practitioner", "1"),
    ],
)
def test_unknown_service_or_practitioner_is_a_field_error(client, valid_data, field, value):
    response = client.post(URL, {**valid_data, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Select a valid choice" in html
    assert Enquiry.objects.count() == 0


def test_inactive_service_cannot_be_chosen(client, valid_data, service):
    service.is_active = False
    service.save()
    response = client.post(URL, valid_data)
    assert response.status_code == 200 and Enquiry.objects.count() == 0


def test_unknown_choice_values_are_field_errors(client, valid_data):
    data = {**valid_data, "contact_method": "pigeon", "preferred_days": ["funday"]}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_contact_method_error"' in html and 'id="id_preferred_days_error"' in html


def test_get_to_the_post_endpoint_shows_the_form(client, clinic):
    response = client.get(URL)
    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()


def test_other_methods_are_refused(client, clinic):
    assert client.put(URL, {}).status_code == 405
    assert client.delete(URL).status_code == 405


def test_garbage_query_strings_do_not_break_the_page(client, clinic):
    response = client.get(URL + "?service=%00%ff&practitioner=" + "x" * 5000)
    assert response.status_code == 200
    response = client.get("/book/thanks/?service=" + "%00" * 10)
    assert response.status_code == 200


def test_null_bytes_are_refused_not_crashed(client, valid_data):
    response = client.post(URL, {**valid_data, "name": "Alex\x00Citizen"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_non_utf8_body_gets_an_answer(client, clinic):
    response = client.generic(
        "POST", URL, b"name=\xff\xfe&email=%ZZ", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {200, 400}


def test_spam_with_nul_bytes_is_kept_without_them(client, valid_data):
    # PostgreSQL refuses NUL bytes outright: spam is stored raw, so they must go first.
    response = client.post(
        URL, {**valid_data, "website": "x", "name": "A\x00B", "message": "hi\x00there"}
    )

    assert response.status_code == 302
    spam = Enquiry.objects.get()
    assert spam.status == Enquiry.Status.SPAM
    assert (spam.name, spam.message) == ("AB", "hithere")


def test_a_repeated_checkbox_counts_once(client, valid_data):
    response = client.post(
        URL,
        {
            **valid_data,
            "preferred_days": ["mon"] * 16 + ["tue"],
            "preferred_times": ["evening"] * 9,
        },
    )

    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.preferred_days, enquiry.preferred_times) == ("mon,tue", "evening")


def test_a_queue_failure_after_saving_still_thanks_the_patient(
    client, valid_data, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_queue(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("booking.services.queue_notifications", broken_queue)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, valid_data)

    assert len(callbacks) == 1
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    # Saved with both emails waiting: the hourly send_pending_notifications picks them up.
    assert enquiry.notifications.count() == 2
    assert not enquiry.notifications.filter(status="sent").exists()


def test_an_email_address_with_a_quoted_comma_is_refused_clearly(client, valid_data):
    response = client.post(URL, {**valid_data, "email": '"a,b"@example.com'})

    assert response.status_code == 200
    assert "without a comma" in response.content.decode()
    assert not Enquiry.objects.exists()
