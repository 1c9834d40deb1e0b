"""The patient confirmation cannot be used to send the clinic's mail to strangers (issue 12,
finding 7): it repeats nothing typed into the form, goes only to plain addresses, and only so
often to one address or for one client."""

import pytest

from booking.models import Enquiry
from tests.form_support import enquiry_data

URL = "/book/"
TYPED_NAME = "<script>alert(1)</script> Bob, click http://evil.example/pay"
TYPED_MESSAGE = "Your account is suspended: log in at http://evil.example"


@pytest.fixture
def post(client, clinic, service, django_capture_on_commit_callbacks, settings):
    settings.BOOKING_RATE_LIMIT = "0"

    def send(*, ip="203.0.113.10", **fields):
        data = enquiry_data(service, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, REMOTE_ADDR=ip)

    return send


def confirmations(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def test_the_confirmation_repeats_nothing_the_sender_typed(post, run_worker, mailoutbox, clinic):
    post(name=TYPED_NAME, email="victim@example.com", message=TYPED_MESSAGE)
    run_worker()

    [confirmation] = confirmations(mailoutbox, "victim@example.com")
    text = confirmation.subject + confirmation.body
    for typed in ["script", "Bob", "evil.example", "suspended"]:
        assert typed not in text
    assert confirmation.body.startswith("Hello,\n")
    assert "What happens next" in confirmation.body and clinic.phone in confirmation.body


@pytest.mark.parametrize(
    "address",
    [
        "=cmd|x@example.com",
        "x|calc@example.com",
        "+SUM@example.com",
        "-x@example.com",
        "{x}@example.com",
        "a!b@example.com",
        "a#b@example.com",
        "a*b@example.com",
        "a/b@example.com",
        '"quoted"@example.com',
    ],
)
def test_an_address_that_is_not_a_plain_mailbox_is_refused_clearly(
    post, run_worker, mailoutbox, address
):
    response = post(email=address)
    run_worker()

    assert response.status_code == 200
    assert "as your mail program shows it" in response.content.decode()
    assert not Enquiry.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    "address",
    [
        "jo.smith@example.com",
        "o'brien@example.com",
        "jo+clinic@example.com",
        "j_s-1%x@Mail.Example",
    ],
)
def test_real_addresses_are_accepted(post, address):
    response = post(email=address)

    assert response.status_code == 302
    assert Enquiry.objects.get().email.split("@")[0] == address.split("@")[0]


def test_one_address_gets_only_so_many_confirmations_a_day(post, run_worker, mailoutbox, settings):
    settings.BOOKING_CONFIRMATIONS_PER_ADDRESS = "3/86400"
    # Different clients, and the same mailbox written four ways.
    addresses = ["victim@gmail.com", "Victim@Gmail.com", "vic.tim@gmail.com", "victim+x@gmail.com"]
    for number, address in enumerate(addresses):
        assert post(email=address, ip=f"198.51.100.{number}").status_code == 302
    run_worker()

    patient_mail = [m for m in mailoutbox if "gmail.com" in m.to[0].lower()]
    assert len(patient_mail) == 3
    # Every enquiry is still taken and the front desk told about each.
    assert Enquiry.objects.count() == 4
    assert len(mailoutbox) == 4 + 3


def test_one_client_gets_only_so_many_confirmations_sent_a_day(
    post, run_worker, mailoutbox, settings
):
    settings.BOOKING_CONFIRMATIONS_PER_CLIENT = "2/86400"
    for number in range(3):
        assert post(email=f"stranger{number}@example.com").status_code == 302
    run_worker()

    assert [m.to for m in mailoutbox if m.to[0].startswith("stranger")] == [
        ["stranger0@example.com"],
        ["stranger1@example.com"],
    ]
    assert Enquiry.objects.count() == 3


def test_the_front_desk_sees_that_no_confirmation_was_sent(post, admin_client, settings):
    settings.BOOKING_CONFIRMATIONS_PER_ADDRESS = "1/86400"
    post(email="twice@example.com")
    post(email="twice@example.com")
    latest = Enquiry.objects.latest("pk")

    page = admin_client.get(f"/admin/booking/enquiry/{latest.pk}/change/").content.decode()

    assert "Not sent: this address or connection had its confirmations for the day." in page


def test_the_limits_are_checked_at_startup(db, settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.BOOKING_CONFIRMATIONS_PER_ADDRESS = "lots"

    with pytest.raises(SystemCheckError, match="BOOKING_CONFIRMATIONS_PER_ADDRESS"):
        call_command("check")
