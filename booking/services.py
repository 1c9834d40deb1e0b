"""Business operations of the booking app: taking in an enquiry."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.forms import EnquiryForm
from booking.models import Enquiry, Notification
from booking.tasks import queue_notifications
from clinic.models import Clinic
from clinic.spam import RateLimit, RateLimited, submitted_text

logger = logging.getLogger(__name__)

RATE_LIMIT_SCOPE = "booking"
CONFIRMATION_ADDRESS_SCOPE = "booking-confirmation-address"
CONFIRMATION_CLIENT_SCOPE = "booking-confirmation-client"


def booking_rate_limit() -> RateLimit:
    return RateLimit.parse(settings.BOOKING_RATE_LIMIT, setting_name="BOOKING_RATE_LIMIT")


def counted_address(email: str) -> str:
    """The mailbox an address reaches, for counting: case, a "+tag" and Gmail's dots do not make
    another recipient."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def may_confirm(*, email: str, client_ip: str) -> bool:
    """Whether this enquiry may send a confirmation: within the limits per recipient address and
    per client, so the form cannot be used to send the clinic's mail to strangers in bulk."""
    per_address = RateLimit.parse(
        settings.BOOKING_CONFIRMATIONS_PER_ADDRESS, "BOOKING_CONFIRMATIONS_PER_ADDRESS"
    )
    per_client = RateLimit.parse(
        settings.BOOKING_CONFIRMATIONS_PER_CLIENT, "BOOKING_CONFIRMATIONS_PER_CLIENT"
    )
    return per_address.allow_for(
        scope=CONFIRMATION_ADDRESS_SCOPE, identity=counted_address(email)
    ) and per_client.allow(scope=CONFIRMATION_CLIENT_SCOPE, ip_address=client_ip)


def staff_recipients() -> list[str]:
    return settings.STAFF_NOTIFICATION_EMAILS or [
        email for email in [Clinic.objects.values_list("email", flat=True).first()] if email
    ]


def _spam_fields(form: EnquiryForm) -> dict:
    """What a spam post said, cut to fit: kept so staff can check it, never mailed."""
    cleaned = getattr(form, "cleaned_data", {})
    return {
        "name": submitted_text(form, "name", 120),
        "email": submitted_text(form, "email", 254),
        "phone": submitted_text(form, "phone", 40),
        "message": submitted_text(form, "message", 2000),
        "service": cleaned.get("service"),
        "practitioner": cleaned.get("practitioner"),
        "consent": bool(cleaned.get("consent")),
    }


def enquiry_submit(*, form: EnquiryForm, client_ip: str) -> Enquiry | None:
    """Validate a bound `EnquiryForm` and store what it carries, all in one transaction.

    Returns the stored Enquiry (status "new", or "spam" when the spam checks caught it), or None
    when the form has errors (they are on `form.errors`, nothing was stored). Raises RateLimited,
    storing nothing, when the client is over BOOKING_RATE_LIMIT.

    A real enquiry is saved with its notification rows (staff notice, and patient confirmation
    unless the address or the client is over its confirmation limit) before anything else
    happens; the email tasks are queued only once that has committed, so a mail outage, or a
    worker that is down, can delay the emails but never lose the enquiry.
    """
    valid = form.is_valid()
    spam_reason = form.spam_reason
    # A filled honeypot is a robot whatever else it sent; otherwise errors come first, so a person
    # with an old page (an expired timestamp) and a typo sees the typo rather than being filed as
    # spam with half their details.
    if spam_reason != "honeypot" and not valid:
        form.refresh_timestamp()
        return None

    with transaction.atomic():
        if not booking_rate_limit().allow(scope=RATE_LIMIT_SCOPE, ip_address=client_ip):
            raise RateLimited(booking_rate_limit())
        if spam_reason:
            enquiry = Enquiry.objects.create(
                status=Enquiry.Status.SPAM, spam_reason=spam_reason, **_spam_fields(form)
            )
            return enquiry

        data = form.cleaned_data
        service, practitioner = data["service"], data.get("practitioner")
        enquiry = Enquiry.objects.create(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            contact_method=data["contact_method"],
            patient_type=data["patient_type"],
            service=service,
            service_name=service.name if service else "",
            practitioner=practitioner,
            practitioner_name=practitioner.name if practitioner else "",
            preferred_days=",".join(data.get("preferred_days") or []),
            preferred_times=",".join(data.get("preferred_times") or []),
            message=data.get("message", ""),
            source_page=data.get("started_from"),
            consent=True,
            consented_at=timezone.now(),
        )
        now = timezone.now()
        notifications = [
            Notification(
                enquiry=enquiry,
                kind=Notification.Kind.STAFF,
                recipients=",".join(staff_recipients()),
                next_attempt_at=now,
            )
        ]
        if may_confirm(email=enquiry.email, client_ip=client_ip):
            notifications.append(
                Notification(
                    enquiry=enquiry,
                    kind=Notification.Kind.PATIENT,
                    recipients=enquiry.email,
                    next_attempt_at=now,
                )
            )
        else:
            logger.warning("Enquiry %s: over the confirmation limit, none sent", enquiry.pk)
        notifications = Notification.objects.bulk_create(notifications)
        ids = [notification.pk for notification in notifications]
        # robust: the enquiry is committed by now, so a queue failure must not turn the patient's
        # answer into an error (they would send it again); send_pending_notifications, run from
        # cron, queues what was left without a task.
        transaction.on_commit(lambda: queue_notifications(ids), robust=True)
    return enquiry
