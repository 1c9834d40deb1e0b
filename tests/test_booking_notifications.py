"""The two emails about an enquiry: what they say, and that a mail outage loses nothing."""

import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import Enquiry, Notification
from tests.form_support import enquiry_data

URL = "/book/"
SECRET_MESSAGE = "Lower back pain since my fall, taking ibuprofen"


@pytest.fixture
def valid_data(clinic, service):
    return enquiry_data(
        service,
        name="Priya Example",
        email="priya@example.com",
        phone="+61 412 345 678",
        contact_method="phone",
        message=SECRET_MESSAGE,
    )


@pytest.fixture
def submit(client, valid_data, django_capture_on_commit_callbacks):
    def run(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {**valid_data, **changes})
        assert response.status_code == 302
        return Enquiry.objects.latest("pk")

    return run


class Sink:
    """A local SMTP server that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_settings(port):
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


def test_worker_sends_both_emails_and_records_it(submit, run_worker, mailoutbox, clinic):
    enquiry = submit()
    run_worker()
    assert len(mailoutbox) == 2
    assert set(enquiry.notifications.values_list("status", flat=True)) == {"sent"}
    assert all(n.sent_at and n.attempts == 1 for n in enquiry.notifications.all())


@override_settings(
    SITE_URL="https://clinic.example", STAFF_NOTIFICATION_EMAILS=["desk@example.com"]
)
def test_staff_email_links_to_the_admin_and_holds_no_patient_detail(submit, run_worker, mailoutbox):
    enquiry = submit()
    run_worker()
    staff = next(m for m in mailoutbox if m.to == ["desk@example.com"])
    assert f"https://clinic.example/admin/booking/enquiry/{enquiry.pk}/change/" in staff.body
    assert "new booking enquiry" in staff.body.lower()
    text = staff.subject + staff.body
    for detail in [SECRET_MESSAGE, "Priya", "priya@example.com", "412 345 678", "412345678"]:
        assert detail not in text


def test_staff_email_goes_to_the_clinic_address_when_no_list_is_set(
    submit, run_worker, mailoutbox, clinic, settings
):
    settings.STAFF_NOTIFICATION_EMAILS = []
    submit()
    run_worker()
    assert any(m.to == [clinic.email] for m in mailoutbox)


def test_patient_confirmation_thanks_says_what_happens_next_and_gives_the_phone(
    submit, run_worker, mailoutbox, clinic
):
    submit()
    run_worker()
    patient = next(m for m in mailoutbox if m.to == ["priya@example.com"])
    assert "Thank you" in patient.body
    assert "What happens next" in patient.body and "by phone" in patient.body
    assert clinic.phone in patient.body
    assert SECRET_MESSAGE not in patient.body
    assert patient.reply_to == [clinic.email]


def test_mail_server_refusing_connections_loses_nothing_and_delivery_follows_recovery(
    submit, run_worker, settings, time_machine
):
    port = free_port()
    settings.MAILERS = smtp_settings(port)
    settings.BOOKING_NOTIFICATION_RETRY_SECONDS = 1
    settings.STAFF_NOTIFICATION_EMAILS = ["desk@example.com"]

    # Nothing listens on the port: every send is refused.
    enquiry = submit()
    run_worker()
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW
    notifications = list(enquiry.notifications.all())
    assert [n.status for n in notifications] == ["retrying", "retrying"]
    assert all(n.attempts == 1 for n in notifications)
    assert all("ConnectionRefusedError" in n.last_error for n in notifications)
    assert all(n.next_attempt_at > timezone.now() for n in notifications)
    # The retries wait in the queue with their backoff.
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 2
    assert all(task.run_after > timezone.now() for task in waiting)

    # The server comes back; once the backoff has passed, the worker delivers.
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        time_machine.move_to(timezone.now() + timedelta(seconds=2), tick=True)  # past the backoff
        run_worker()
    finally:
        controller.stop()
    assert sorted(rcpt[0] for rcpt, _ in sink.messages) == ["desk@example.com", "priya@example.com"]
    staff_message = next(msg for rcpt, msg in sink.messages if rcpt == ["desk@example.com"])
    assert SECRET_MESSAGE not in staff_message.as_string()
    assert f"/admin/booking/enquiry/{enquiry.pk}/change/" in staff_message.get_payload()
    for notification in enquiry.notifications.all():
        assert notification.status == "sent" and notification.attempts == 2
        assert notification.last_error == ""

    # Running the worker again sends nothing twice.
    run_worker()
    assert len(sink.messages) == 2


def test_backoff_doubles_and_the_worker_gives_up_visibly(submit, run_worker, settings):
    settings.MAILERS = smtp_settings(free_port())
    settings.BOOKING_NOTIFICATION_RETRY_SECONDS = 60
    settings.BOOKING_NOTIFICATION_MAX_ATTEMPTS = 3
    enquiry = submit()
    staff = enquiry.notifications.get(kind="staff")
    delays = []
    for _ in range(3):
        before = timezone.now()
        # Pretend the backoff has passed: make every waiting task and notification due now.
        DBTaskResult.objects.filter(status="READY").update(run_after=before)
        Notification.objects.exclude(status="failed").update(next_attempt_at=before)
        run_worker()
        staff.refresh_from_db()
        if staff.next_attempt_at:
            delays.append((staff.next_attempt_at - before).total_seconds())
    assert [round(d / 60) for d in delays] == [1, 2]
    assert staff.status == "failed" and staff.attempts == 3 and staff.next_attempt_at is None
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_pending_email_without_a_task_is_picked_up_by_the_sweep(
    client, valid_data, run_worker, mailoutbox, django_capture_on_commit_callbacks
):
    # The process died right after the enquiry committed: no task was ever queued.
    client.post(URL, valid_data)
    assert DBTaskResult.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_notifications", stdout=open("/dev/null", "w"))
    run_worker()
    assert len(mailoutbox) == 2


def test_duplicate_tasks_never_send_twice(
    submit, run_worker, mailoutbox, django_capture_on_commit_callbacks
):
    enquiry = submit()
    from booking.tasks import queue_notifications

    with django_capture_on_commit_callbacks(execute=True):
        queue_notifications(list(enquiry.notifications.values_list("pk", flat=True)))
    run_worker()
    assert len(mailoutbox) == 2


def test_deleted_enquiry_leaves_nothing_to_send(submit, run_worker, mailoutbox):
    enquiry = submit()
    enquiry.delete()
    run_worker()
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_missing_recipient_is_recorded_not_crashed(submit, run_worker, settings, clinic):
    settings.STAFF_NOTIFICATION_EMAILS = []
    clinic.email = ""
    clinic.save()
    enquiry = submit()
    run_worker()
    staff = enquiry.notifications.get(kind="staff")
    assert staff.status == "retrying" and "No recipient address" in staff.last_error
    assert timedelta(0) < staff.next_attempt_at - timezone.now() <= timedelta(minutes=1)
