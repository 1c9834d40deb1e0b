"""Two-factor sign-in for staff: enrolment from the admin, codes from an app, recovery codes."""

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

INBOX = "/admin/booking/enquiry/"
VERIFY = "/admin/two-factor/verify/"
SETUP = "/admin/two-factor/setup/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def required(settings):
    """As in production (STAFF_TWO_FACTOR_REQUIRED = PRODUCTION in clinic/settings.py). Without
    django-otp's growing wait after a wrong code, so a test need not sleep it out."""
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def owner(db, django_user_model):
    return django_user_model.objects.create_superuser("owner", "owner@example.com", PASSWORD)


def signed_in(user):
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device):
    near = {code_for(device, offset) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def test_without_a_device_staff_are_sent_to_enrol_and_never_reach_the_inbox(required, owner):
    client = signed_in(owner)

    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    for url in [INBOX, "/admin/", f"{INBOX}export/", "/admin/auth/user/"]:
        assert client.get(url).status_code == 302
    assert client.post(INBOX, {"action": "mark_spam"}).status_code == 302


def test_enrolment_shows_a_qr_code_then_recovery_codes_and_opens_the_admin(required, owner):
    client = signed_in(owner)

    page = client.get(f"{SETUP}?next={INBOX}")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;[^"]+" width="\d+" height="\d+" alt="QR', html)
    assert "<script" not in html.split("</head>")[1]
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert client.get(SETUP).context["secret"].replace(" ", "") in device.config_url

    wrong = client.post(SETUP, {"code": wrong_code_for(device), "next": INBOX})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(INBOX).status_code == 302

    done = client.post(SETUP, {"code": code_for(device), "next": INBOX})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=owner).count() == 10
    assert client.get(INBOX).status_code == 200


def test_with_a_device_the_right_code_signs_in_and_a_wrong_one_does_not(required, owner):
    device = enrolled(owner)
    client = signed_in(owner)
    assert client.get(INBOX)["Location"] == f"{VERIFY}?next={INBOX}"

    wrong = client.post(VERIFY, {"code": wrong_code_for(device), "next": INBOX})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert client.get(INBOX).status_code == 302

    right = client.post(VERIFY, {"code": code_for(device), "next": INBOX})

    assert right.status_code == 302
    assert right["Location"] == INBOX
    assert client.get(INBOX).status_code == 200


def test_a_code_cannot_be_replayed(required, owner):
    device = enrolled(owner)
    code = code_for(device)
    assert signed_in(owner).post(VERIFY, {"code": code})["Location"] == "/admin/"

    replay = signed_in(owner).post(VERIFY, {"code": code})

    assert replay.status_code == 200


def enrol_through_setup(user):
    """What a staff member does: sign in, scan, confirm; returns the recovery codes shown."""
    client = signed_in(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(SETUP, {"code": code_for(device)})
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())


def test_a_recovery_code_works_once(required, owner):
    code = enrol_through_setup(owner)[0]
    client = signed_in(owner)

    first = client.post(VERIFY, {"code": code.upper(), "next": INBOX})
    assert first["Location"] == INBOX
    assert client.get(INBOX).status_code == 200

    again = signed_in(owner).post(VERIFY, {"code": code, "next": INBOX})
    assert again.status_code == 200
    assert "has been used" in again.content.decode()
    assert StaticToken.objects.filter(device__user=owner).count() == 9


def test_new_recovery_codes_replace_the_old_ones(required, owner):
    old = enrol_through_setup(owner)[0]
    client = signed_in(owner)
    client.post(VERIFY, {"code": enrol_code(owner, offset=1)})

    page = client.post("/admin/two-factor/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())

    assert len(new) == 10
    assert old not in new
    assert signed_in(owner).post(VERIFY, {"code": old}).status_code == 200


def enrol_code(user, offset=0):
    return code_for(TOTPDevice.objects.get(user=user), offset)


def test_locally_a_password_is_enough_until_someone_enrols(owner):
    client = signed_in(owner)
    assert client.get(INBOX).status_code == 200

    enrolled(owner)
    client = signed_in(owner)
    assert client.get(INBOX).status_code == 302


def test_guessing_is_slowed_down(settings, required, owner):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = enrolled(owner)
    client = signed_in(owner)
    client.post(VERIFY, {"code": wrong_code_for(device)})

    right_too_soon = client.post(VERIFY, {"code": code_for(device)})

    assert right_too_soon.status_code == 200
    assert client.get(INBOX).status_code == 302


def test_every_admin_page_links_to_the_two_factor_page(owner):
    client = signed_in(owner)
    assert 'href="/admin/two-factor/recovery-codes/"' in client.get("/admin/").content.decode()

    page = client.get("/admin/two-factor/recovery-codes/").content.decode()

    assert f'href="{SETUP}"' in page
