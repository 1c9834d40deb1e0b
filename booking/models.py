from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from clinic import phones

DAY_CHOICES = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
]
TIME_CHOICES = [
    ("morning", "Morning (before 12)"),
    ("afternoon", "Afternoon (12 to 5)"),
    ("evening", "Evening (after 5)"),
]


def _labels(codes, choices):
    names = dict(choices)
    return ", ".join(names.get(code, code) for code in codes.split(",") if code)


# How far past a period's start the next period surely begins (re-truncated after the step).
PERIOD_STEPS = {"year": timedelta(days=366), "month": timedelta(days=32), "day": timedelta(days=1)}
# Beyond this many candidate periods one DISTINCT query beats many small ones.
MAX_PROBES = 400


def _period_start(moment, kind):
    """The local midnight that starts `moment`'s year, month or day, in `moment`'s time zone."""
    day = moment.date()
    if kind == "year":
        day = day.replace(month=1, day=1)
    elif kind == "month":
        day = day.replace(day=1)
    return datetime.combine(day, time.min, tzinfo=moment.tzinfo)


class EnquiryQuerySet(models.QuerySet):
    def for_inbox(self):
        return self.select_related("service", "practitioner", "handled_by").prefetch_related(
            "notifications"
        )

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The admin's date drill-down (date_hierarchy) on created_at, by index range probes.

        Django's own query runs DISTINCT over a per-row date function that SQLite evaluates in
        Python (0.6 s for 100,000 enquiries). Asking the created_at index whether each candidate
        year, month or day has a row gives the same list in milliseconds, on any database.
        """
        if field_name != "created_at" or kind not in PERIOD_STEPS:
            return super().datetimes(field_name, kind, order, tzinfo)
        zone = tzinfo or timezone.get_current_timezone()
        bounds = self.aggregate(first=Min("created_at"), last=Max("created_at"))
        if bounds["first"] is None:
            return []
        start = _period_start(bounds["first"].astimezone(zone), kind)
        last = bounds["last"].astimezone(zone)
        if (last - start) / PERIOD_STEPS[kind] > MAX_PROBES:
            return super().datetimes(field_name, kind, order, tzinfo)
        found = []
        while start <= last:
            end = _period_start(start + PERIOD_STEPS[kind], kind)
            if self.filter(created_at__gte=start, created_at__lt=end).exists():
                found.append(start)
            start = end
        return found[::-1] if order == "DESC" else found

    def purgeable(self, *, older_than):
        """Closed and spam enquiries received before `older_than` (a datetime)."""
        return self.filter(
            status__in=[Enquiry.Status.CLOSED, Enquiry.Status.SPAM], created_at__lt=older_than
        )


class Enquiry(models.Model):
    """A booking request sent through the public form: patient details, kept in the admin only."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        BOOKED = "booked", "Booked"
        CLOSED = "closed", "Closed"
        SPAM = "spam", "Spam"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "By phone"
        EMAIL = "email", "By email"
        EITHER = "either", "Either is fine"

    class PatientType(models.TextChoices):
        NEW = "new", "New patient"
        RETURNING = "returning", "Returning patient"

    created_at = models.DateTimeField("received", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    phone = models.CharField(
        max_length=40, help_text="Stored in international form, e.g. +61412345678."
    )
    contact_method = models.CharField(
        "preferred contact", max_length=10, choices=ContactMethod, default=ContactMethod.EITHER
    )
    patient_type = models.CharField(max_length=10, choices=PatientType, default=PatientType.NEW)
    # SET_NULL with a copy of the name: the enquiry stays readable if a service is removed.
    service = models.ForeignKey(
        "clinic.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_name = models.CharField(max_length=120, blank=True)
    practitioner = models.ForeignKey(
        "clinic.Practitioner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    practitioner_name = models.CharField(max_length=120, blank=True)
    preferred_days = models.CharField(max_length=60, blank=True)
    preferred_times = models.CharField(max_length=60, blank=True)
    message = models.TextField(blank=True, max_length=2000)
    # The page of this site whose "Book now" was followed (clinic.attribution), if any.
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source_page = GenericForeignKey("source_type", "source_id")
    consent = models.BooleanField(default=False)
    consented_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status, default=Status.NEW, db_index=True)
    spam_reason = models.CharField(max_length=20, blank=True)
    staff_notes = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_enquiries",
    )

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "enquiries"
        permissions = [("export_enquiry", "Can export enquiries as CSV")]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="enquiry_newest_first"),
            models.Index(fields=["status", "-created_at"], name="enquiry_status_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "contacted", "booked", "closed", "spam"]),
                name="enquiry_status_valid",
            ),
            # Nothing reaches the inbox as a real enquiry without the patient's consent (APP 3).
            models.CheckConstraint(
                condition=Q(consent=True) | Q(status="spam"), name="enquiry_consent_unless_spam"
            ),
        ]

    def __str__(self):
        # No name, email or message: this string ends up in admin messages and logs.
        when = (
            timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
            if self.created_at
            else "unsaved"
        )
        return f"Enquiry #{self.pk} ({when})"

    def get_admin_url(self):
        return reverse("admin:booking_enquiry_change", args=[self.pk])

    @property
    def preferred_days_display(self):
        return _labels(self.preferred_days, DAY_CHOICES)

    @property
    def preferred_times_display(self):
        return _labels(self.preferred_times, TIME_CHOICES)

    @property
    def phone_display(self):
        """+61412345678 as a person reads it: 0412 345 678, or (02) 9876 5432."""
        return phones.display(self.phone)


class NotificationQuerySet(models.QuerySet):
    def due(self, *, now):
        """Unsent notifications whose next attempt is due (also ones a lost task left behind)."""
        return self.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.RETRYING],
            next_attempt_at__lte=now,
        )


class Notification(models.Model):
    """One email about one enquiry and its delivery state, shown in the admin."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff notice"
        PATIENT = "patient", "Patient confirmation"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed, will retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind)
    recipients = models.TextField(help_text="Comma-separated addresses.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["enquiry", "kind"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]
        constraints = [
            models.UniqueConstraint(fields=["enquiry", "kind"], name="notification_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["staff", "patient"]), name="notification_kind_valid"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} for enquiry #{self.enquiry_id}: {self.get_status_display()}"
        )

    @property
    def recipient_list(self):
        return [address.strip() for address in self.recipients.split(",") if address.strip()]


class AccessRecord(models.Model):
    """One look at patient data in the admin: a CSV export or the opening of an enquiry.

    Kept for the owner (superusers) only, never changed or deleted through the admin. The enquiry
    is a number rather than a foreign key, so the record outlives the enquiry's deletion.
    """

    class Action(models.TextChoices):
        EXPORT = "export", "Exported as CSV"
        VIEW = "view", "Opened an enquiry"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name as it was, should the account be renamed or deleted later.
    username = models.CharField("who", max_length=150)
    action = models.CharField(max_length=10, choices=Action)
    enquiry_number = models.PositiveBigIntegerField(null=True, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField("enquiries", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access record"
        # No add/change/delete/view permissions to grant a group by mistake: the admin shows the
        # records to superusers only.
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["export", "view"]), name="accessrecord_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.username}"
