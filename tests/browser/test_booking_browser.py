"""The booking form in a real browser: with JavaScript, without it, and by keyboard alone."""

import pytest
from playwright.sync_api import expect

from booking.models import Enquiry
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.browser.test_accessibility import violations


@pytest.fixture(autouse=True)
def no_fill_time(settings):
    # The live server runs in this process: let a fast robot-like browser through the timer.
    settings.FORM_MIN_SECONDS_TO_FILL = 0


def fill_in(page):
    page.get_by_role("textbox", name="Your name").fill("Robin Tester")
    page.get_by_role("textbox", name="Email").fill("robin@example.com")
    page.get_by_role("textbox", name="Phone").fill("0412 345 678")
    page.get_by_label("By phone").check()
    page.get_by_label("New patient").check()
    page.get_by_label("Service").select_option(label="Running assessment")
    page.get_by_label("Tuesday").check()
    page.get_by_label("Anything we should know?").fill("Shin splints <b>again</b>")
    page.get_by_label("I agree to the clinic").check()


def assert_no_axe_violations(page):
    found = violations(page, page.url)
    assert not found, "\n" + "\n".join(found)


def test_with_javascript_the_form_is_sent_in_place(site, page_factory, artifacts_dir):
    page = page_factory(DESKTOP)
    # The form as it loads is checked with axe by test_accessibility's pass over every page.
    page.goto(site + "/book/")
    fill_in(page)
    page.get_by_role("button", name="Send enquiry").click()
    status = page.get_by_role("status")
    status.wait_for()
    assert "Thank you! Your submission has been received!" in status.inner_text()
    assert page.url == site + "/book/"  # no reload
    assert page.evaluate("document.activeElement.id") == "form-outcome"
    page.screenshot(path=artifacts_dir / "booking-js-sent-1280.jpg", full_page=True)
    enquiry = Enquiry.objects.get()
    assert enquiry.name == "Robin Tester" and enquiry.preferred_days == "tue"
    assert enquiry.message == "Shin splints <b>again</b>"
    assert page.console_errors == [] and page.failed_requests == []


def test_with_javascript_errors_appear_in_place_and_take_focus(site, page_factory, artifacts_dir):
    page = page_factory(PHONE)
    page.goto(site + "/book/")
    page.get_by_label("Your name").fill("Robin Tester")
    page.get_by_role("textbox", name="Email").fill("robin@")
    page.get_by_role("button", name="Send enquiry").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Oops! Something went wrong while submitting the form." in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "form-outcome"
    assert page.get_by_label("Your name").input_value() == "Robin Tester"
    assert page.get_by_role("textbox", name="Email").get_attribute("aria-invalid") == "true"
    page.screenshot(path=artifacts_dir / "booking-js-errors-390.jpg", full_page=True)
    assert_no_axe_violations(page)
    # Fixing the mistakes and sending again works from the swapped-in form.
    fill_in(page)
    page.get_by_role("button", name="Send enquiry").click()
    page.get_by_role("status").wait_for()
    assert Enquiry.objects.count() == 1


def test_errors_are_read_with_their_fields_and_groups(site, page_factory):
    page = page_factory(PHONE)
    page.goto(site + "/book/")
    page.get_by_role("textbox", name="Phone").fill("12345")
    page.get_by_role("button", name="Send enquiry").click()
    page.get_by_role("alert").wait_for()
    # What the browser's accessibility tree gives a screen reader for each control and group.
    expect(page.get_by_role("textbox", name="Phone")).to_have_value("12345")
    expect(page.get_by_role("textbox", name="Phone")).to_have_accessible_description(
        "An Australian mobile or landline, e.g. 0412 345 678. "
        "Enter an Australian phone number, e.g. 0412 345 678 or (02) 9876 5432."
    )
    expect(
        page.get_by_role("group", name="Have you been to the clinic before?")
    ).to_have_accessible_description("Please tell us if you have been to the clinic before.")
    expect(page.get_by_role("radio", name="New patient")).to_have_attribute("aria-invalid", "true")
    expect(
        page.get_by_role("checkbox", name="I agree to the clinic")
    ).to_have_accessible_description("Please tick the box so we may use your details to reply.")
    assert_no_axe_violations(page)


def test_with_javascript_a_server_failure_shows_the_phone_fallback(site, page_factory):
    page = page_factory(DESKTOP)
    page.goto(site + "/book/")
    fill_in(page)
    page.route("**/book/", lambda route: route.fulfill(status=502, body="Bad gateway"))
    page.get_by_role("button", name="Send enquiry").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Oops! Something went wrong while submitting the form." in alert.inner_text()
    assert "02" in alert.inner_text() or "call us" in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "form-outcome"
    assert page.get_by_label("Your name").input_value() == "Robin Tester"


def test_without_javascript_it_posts_and_lands_on_the_thank_you_page(
    site, page_factory, artifacts_dir
):
    page = page_factory(PHONE, javascript=False)
    page.goto(site + "/book/?service=running-assessment")
    assert page.get_by_label("Service").input_value() == "running-assessment"
    # The page has loaded already, so a load state would not wait for the answer: wait for it.
    with page.expect_navigation():
        page.get_by_role("button", name="Send enquiry").click()
    assert "Oops! Something went wrong" in page.get_by_role("alert").inner_text()
    page.screenshot(path=artifacts_dir / "booking-nojs-errors-390.jpg", full_page=True)
    fill_in(page)
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_url("**/book/thanks/**")
    assert (
        "Thank you! Your submission has been received!" in page.get_by_role("status").inner_text()
    )
    page.screenshot(path=artifacts_dir / "booking-nojs-thanks-390.jpg", full_page=True)
    assert Enquiry.objects.count() == 1


def test_keyboard_alone_can_fill_and_send_the_form(site, page_factory):
    page = page_factory(DESKTOP)
    page.goto(site + "/book/")
    page.get_by_label("Your name").focus()
    keyboard = page.keyboard
    keyboard.type("Kim Keys")
    keyboard.press("Tab")
    keyboard.type("kim@example.com")
    keyboard.press("Tab")
    keyboard.type("(02) 9876 5432")
    keyboard.press("Tab")  # contact method: the checked radio of the group
    keyboard.press("ArrowUp")  # from "Either is fine" up to "By email"
    keyboard.press("Tab")  # patient type group
    keyboard.press("Space")  # "New patient"
    keyboard.press("Tab")  # service
    keyboard.press("ArrowDown")
    # Tab on to the consent box, counting stops so nothing is skipped or trapped.
    for _ in range(40):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_consent":
            break
    else:
        pytest.fail("The consent box cannot be reached with Tab.")
    keyboard.press("Space")
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    keyboard.press("Enter")
    page.get_by_role("status").wait_for()
    assert page.evaluate("document.activeElement.id") == "form-outcome"
    enquiry = Enquiry.objects.get()
    assert enquiry.phone == "+61298765432"
    assert enquiry.contact_method == "email" and enquiry.patient_type == "new"


def test_the_honeypot_is_never_reached_by_keyboard(site, page_factory):
    page = page_factory(DESKTOP)
    page.goto(site + "/book/")
    page.get_by_label("Your name").focus()
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.id"))
    assert "id_website" not in seen
    assert (
        not page.locator("#id_website").is_visible()
        or page.locator(".hp-field").bounding_box()["x"] < 0
    )


def test_pages_look_right_at_phone_and_desktop_widths(site, page_factory, artifacts_dir):
    for name, viewport in [("390", PHONE), ("1280", DESKTOP)]:
        page = page_factory(viewport)
        page.goto(site + "/book/")
        page.screenshot(path=artifacts_dir / f"booking-form-{name}.jpg", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "the page scrolls sideways"
        page.goto(site + "/book/thanks/")
        page.screenshot(path=artifacts_dir / f"booking-thanks-{name}.jpg", full_page=True)
        assert_no_axe_violations(page)


def test_front_desk_works_an_enquiry_in_the_admin(site, page_factory, django_user_model):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from clinic.staff_groups import sync_staff_groups

    # The live server's database is flushed between tests: put the staff groups back.
    sync_staff_groups(apps=apps)
    desk = django_user_model.objects.create_user("desk", password="desk-pass-4821", is_staff=True)
    desk.groups.add(Group.objects.get(name="Front desk"))
    enquiry = Enquiry.objects.create(
        name="Morgan Inbox", email="morgan@example.com", phone="+61412345678", consent=True
    )
    page = page_factory(DESKTOP)
    sign_in(page, site, "desk", "desk-pass-4821", "/admin/booking/enquiry/")
    page.get_by_role("link", name="Morgan Inbox").click()
    page.get_by_label("Status").select_option("contacted")
    page.get_by_label("Staff notes").fill("Called, left a message")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    enquiry.refresh_from_db()
    assert enquiry.status == "contacted" and enquiry.handled_by == desk
    assert enquiry.staff_notes == "Called, left a message"
