"""Sending the two emails about an enquiry, with retries and backoff.

Each email is a `Notification` row created with the enquiry. `deliver()` handles one row: it claims
it (a lease, so two workers never send the same email), sends, and records the outcome. A failed
send gets a `next_attempt_at` with exponential backoff, up to BOOKING_NOTIFICATION_MAX_ATTEMPTS;
the task in booking.tasks queues itself again for that moment. The state is on the row for the
admin to show.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from booking.models import Notification
from clinic.models import Clinic

logger = logging.getLogger(__name__)

# How long a claimed notification is left alone before it counts as abandoned (a worker died).
SEND_LEASE = timedelta(minutes=10)
# The errors a mail server or network can cause; anything else is a bug and should surface.
MAIL_ERRORS = (smtplib.SMTPException, OSError, ValueError)


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failure: base, 2×base, 4×base … capped."""
    base = settings.BOOKING_NOTIFICATION_RETRY_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.BOOKING_NOTIFICATION_RETRY_MAX_SECONDS)


def build_message(notification):
    enquiry = notification.enquiry
    clinic = Clinic.load()
    context = {
        "clinic": clinic,
        "enquiry": enquiry,
        "admin_url": settings.SITE_URL + enquiry.get_admin_url(),
        "booking_url": (enquiry.service.booking_url if enquiry.service else "")
        or clinic.booking_url,
    }
    if notification.kind == Notification.Kind.STAFF:
        subject = f"New booking enquiry #{enquiry.pk}"
        template = "booking/email/staff_notice.txt"
        reply_to = None
    else:
        subject = f"We have your enquiry: {clinic.name}"
        template = "booking/email/patient_confirmation.txt"
        reply_to = [clinic.email] if clinic.email else None
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=notification.recipient_list,
        reply_to=reply_to,
    )


def _claim(notification_id, now):
    """Mark the notification as being sent by us, or None if it is not ours to send now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("enquiry__service")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status in {
            Notification.Status.SENT,
            Notification.Status.FAILED,
        }:
            return None
        # A duplicate task (e.g. after "retry now") finds the row leased or not yet due.
        if notification.next_attempt_at and notification.next_attempt_at > now:
            return None
        notification.status = Notification.Status.SENDING
        notification.attempts += 1
        notification.next_attempt_at = now + SEND_LEASE
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    return notification


@dataclass(frozen=True)
class Delivery:
    """What one attempt came to: the row's status afterwards, and when to try again if at all."""

    status: str
    retry_at: datetime | None = None


def deliver(notification_id: int) -> Delivery:
    """Send one notification if it is due and record the outcome on its row.

    Queueing the next attempt is the caller's job (booking.tasks): this module only sends and
    records, so it needs nothing from the task queue.
    """
    now = timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return Delivery("skipped")

    error = None
    if not notification.recipient_list:
        error = "No recipient address: set STAFF_NOTIFICATION_EMAILS or the clinic's email."
    else:
        try:
            build_message(notification).send()
        except MAIL_ERRORS as exc:
            # The class and the server's words, never the message itself (it names the patient).
            error = f"{type(exc).__name__}: {exc}"[:300]

    if error is None:
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        return Delivery(notification.status)

    notification.last_error = error
    if notification.attempts >= settings.BOOKING_NOTIFICATION_MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        notification.next_attempt_at = None
        logger.error(
            "Gave up on notification %s (%s) after %s attempts: %s",
            notification.pk,
            notification.kind,
            notification.attempts,
            error.split(":")[0],
        )
    else:
        notification.status = Notification.Status.RETRYING
        notification.next_attempt_at = timezone.now() + timedelta(
            seconds=retry_delay(notification.attempts)
        )
        logger.warning(
            "Notification %s (%s) attempt %s failed; retrying at %s",
            notification.pk,
            notification.kind,
            notification.attempts,
            notification.next_attempt_at.isoformat(),
        )
    notification.save(update_fields=["status", "next_attempt_at", "last_error"])
    return Delivery(notification.status, retry_at=notification.next_attempt_at)


def due_ids(*, now=None, notifications=None) -> list[int]:
    """The notifications to queue a send for: every unsent one that is due (a task that was never
    queued, or whose worker died mid-send), or the chosen ones, which are made due now.
    """
    now = now or timezone.now()
    if notifications is not None:
        # Not what is sent, nor what a worker is sending right now.
        ids = list(
            notifications.exclude(status=Notification.Status.SENT)
            .exclude(status=Notification.Status.SENDING, next_attempt_at__gt=now)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.RETRYING, next_attempt_at=now
        )
        return ids
    ids = list(Notification.objects.due(now=now).values_list("pk", flat=True))
    ids += list(
        Notification.objects.filter(
            status=Notification.Status.SENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    return ids
