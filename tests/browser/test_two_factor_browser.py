"""Two-factor enrolment as a staff member does it in Chromium: password, scan the QR code (an SVG
data image the strict CSP allows), confirm with a code, keep the recovery codes, reach the admin;
then sign in again with a recovery code."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.test_accessibility import DJANGO_ADMIN_KNOWN, violations


@pytest.fixture
def required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_a_new_staff_member_enrols_and_reaches_the_inbox(
    required, live_server, transactional_db, django_user_model, page_factory
):
    django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-owner-123")
    page = page_factory()

    page.goto(f"{live_server.url}/admin/booking/enquiry/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("pw-owner-123")
    page.get_by_role("button", name="Log in").click()

    # The URL changes before the page has loaded: wait for its load (the QR image, axe's DOM).
    page.wait_for_url(re.compile(r"/admin/two-factor/setup/"))
    qr_code = page.get_by_alt_text("QR code that adds this account to an authenticator app")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 100")
    found = violations(page, "setup", known=DJANGO_ADMIN_KNOWN)
    page.get_by_label("Code").fill(current_code(TOTPDevice.objects.get()))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()

    expect(page.locator(".recovery-codes code")).to_have_count(10)
    codes = page.locator(".recovery-codes code").all_inner_texts()
    found += violations(page, "recovery codes", known=DJANGO_ADMIN_KNOWN)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/booking/enquiry/$"))
    assert page.get_by_role("heading", level=1).inner_text().lower().startswith("select enquiry")

    # Next sign-in, phone left at home: a recovery code instead.
    # Sign-out is a POST: a goto() before its answer would cancel it.
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("pw-owner-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
    found += violations(page, "verify", known=DJANGO_ADMIN_KNOWN)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("Recovery code used: 9 left.")).to_be_visible()
    assert not found, "\n" + "\n".join(found)
