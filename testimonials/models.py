from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from clinic.models import Practitioner
from testimonials import policy, screening


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Classification(models.TextChoices):
    UNCLASSIFIED = "unclassified", "Unclassified"
    CLINICAL = screening.CLINICAL, "Clinical"
    NON_CLINICAL = screening.NON_CLINICAL, "Non-clinical (about service)"


class Source(models.TextChoices):
    GOOGLE = "google", "Google review"
    IN_CLINIC = "in_clinic", "In clinic"
    EMAIL = "email", "Email"
    WEBSITE = "website", "Our website"


TEXT_MAX_LENGTH = 3000
LOCKED_TEXT_MESSAGE = (
    "This story has been published, so its text cannot be changed: a patient's words are shown "
    "exactly as given. Withdraw it instead."
)


def default_display_name(full_name):
    """First name and initial, the default way a patient is named: "Sarah Thompson" → "Sarah T."."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return f"{parts[0]} {parts[-1][0].upper()}."


class TestimonialQuerySet(models.QuerySet):
    def publishable(self):
        """The stories this site may show, under `settings.TESTIMONIALS_POLICY`."""
        stories = self.filter(status=Status.APPROVED, consent_to_publish=True, is_spam=False)
        if not policy.clinical_allowed():
            stories = stories.filter(classification=Classification.NON_CLINICAL)
        return stories

    def for_display(self):
        return self.only(
            "id", "display_name", "text", "source", "source_url", "received_on", "display_order"
        ).order_by("display_order", "-received_on", "-id")

    def featured(self):
        return self.filter(is_featured=True)

    def duplicates_of(self, story):
        return self.filter(normalised_hash=story.normalised_hash).exclude(pk=story.pk)

    def for_moderation(self):
        """The admin's queue: pending first, duplicates marked, in constant queries."""
        others = Testimonial.objects.filter(normalised_hash=OuterRef("normalised_hash")).exclude(
            pk=OuterRef("pk")
        )
        return self.annotate(
            queue_rank=Case(When(status=Status.PENDING, then=Value(0)), default=Value(1)),
            has_duplicate=Exists(others),
        )


class Testimonial(models.Model):
    author_name = models.CharField(
        "name as given", max_length=120, help_text="As the patient gave it; not shown on the site."
    )
    display_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Shown on the site. Empty: first name and initial of the name as given.",
    )
    text = models.TextField(
        help_text="Exactly as the patient wrote it. Locked once published: withdraw, never rewrite."
    )
    normalised_hash = models.CharField(
        max_length=64,
        editable=False,
        db_index=True,
        help_text="Hash of the text without case, punctuation or spelling variants (duplicates).",
    )
    source = models.CharField(max_length=20, choices=Source, default=Source.WEBSITE)
    source_url = models.URLField("source link", blank=True, max_length=500)
    received_on = models.DateField(default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Out of 5, if the source had one. Never shown as stars."
    )
    practitioners = models.ManyToManyField(Practitioner, blank=True, related_name="testimonials")

    consent_to_publish = models.BooleanField(default=False)
    consent_date = models.DateField(null=True, blank=True)
    consent_note = models.CharField(
        max_length=250, blank=True, help_text="How consent was given, e.g. the form's checkbox."
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    classification = models.CharField(
        max_length=20, choices=Classification, default=Classification.UNCLASSIFIED
    )
    screening_terms = models.CharField(
        "clinical terms found",
        max_length=500,
        blank=True,
        editable=False,
        help_text="Clinical language the screening found in the text.",
    )
    is_flagged = models.BooleanField("flagged by screening", default=False, editable=False)
    classification_reason = models.TextField(
        "reason for non-clinical",
        blank=True,
        help_text="Required to classify a flagged story as non-clinical: why it is about service.",
    )
    is_spam = models.BooleanField(default=False)
    spam_reason = models.CharField(max_length=40, blank=True)

    is_featured = models.BooleanField("featured on the home page", default=False)
    display_order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")

    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="First approval; the text is locked since."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        verbose_name = "patient story"
        verbose_name_plural = "patient stories"
        ordering = ["display_order", "-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(classification=Classification.NON_CLINICAL)
                | Q(is_flagged=False)
                | ~Q(classification_reason=""),
                name="testimonial_flagged_non_clinical_has_reason",
                violation_error_message=(
                    "The screening flagged clinical language: record why this story is about "
                    "service before classifying it as non-clinical."
                ),
            ),
            models.CheckConstraint(
                condition=Q(consent_to_publish=False) | Q(consent_date__isnull=False),
                name="testimonial_consent_has_date",
                violation_error_message="Record the date consent was given.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="testimonial_rating_1_to_5",
                violation_error_message="A rating is between 1 and 5.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.APPROVED) | Q(published_at__isnull=False),
                name="testimonial_approved_has_published_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "consent_to_publish", "classification", "display_order"],
                name="testimonial_publishable",
            ),
        ]

    def __str__(self):
        return f"{self.display_name or self.author_name}: {self.text[:60]}"

    @property
    def text_locked(self):
        """Published once: the words stay as they were published, whatever the status now."""
        return self.published_at is not None

    def screening(self):
        return screening.screen(self.text)

    def clean(self):
        super().clean()
        errors = {}
        if self.pk and self.text_locked and self._stored_text() != self.text:
            errors["text"] = LOCKED_TEXT_MESSAGE
        if (
            self.classification == Classification.NON_CLINICAL
            and self.screening().flagged
            and not self.classification_reason.strip()
        ):
            errors["classification_reason"] = (
                f"The screening found clinical language ({self.screening()}). Record why this "
                "story is about service, or classify it as clinical."
            )
        if self.consent_to_publish and not self.consent_date:
            errors["consent_date"] = "Record the date consent was given."
        if errors:
            raise ValidationError(errors)

    def _stored_text(self):
        return type(self).objects.filter(pk=self.pk).values_list("text", flat=True).first()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        text_saved = update_fields is None or "text" in update_fields
        if self.pk and text_saved:
            stored = type(self).objects.filter(pk=self.pk).values_list("text", "published_at")
            stored_text, published_at = stored.first() or (None, None)
            if published_at is not None and stored_text != self.text:
                raise ValidationError({"text": LOCKED_TEXT_MESSAGE})
        # Derived from the text, so always in step with it (the text itself never changes once
        # published, so neither do these).
        result = self.screening()
        self.screening_terms = str(result)[:500]
        self.is_flagged = result.flagged
        self.normalised_hash = screening.normalised_hash(self.text)
        if not self.display_name.strip():
            self.display_name = default_display_name(self.author_name)
        if self.status == Status.APPROVED and self.published_at is None:
            self.published_at = timezone.now()
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {
                "screening_terms",
                "is_flagged",
                "normalised_hash",
                "display_name",
                "published_at",
            }
        super().save(*args, **kwargs)

    @property
    def is_publishable(self):
        if self.status != Status.APPROVED or not self.consent_to_publish or self.is_spam:
            return False
        return policy.clinical_allowed() or self.classification == Classification.NON_CLINICAL


class Decision(models.Model):
    """One moderation decision: who, when, and what the story became. Never edited or deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Received"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RETURNED = "pending", "Returned to pending"
        CLASSIFIED = "classified", "Classified"
        SPAM = "spam", "Rejected as spam"

    testimonial = models.ForeignKey(Testimonial, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=20, choices=Action)
    status = models.CharField("status after", max_length=20, choices=Status)
    classification = models.CharField("classification after", max_length=20, choices=Classification)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system: the website form, the spam check, the demo import.",
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = "decided_at"

    def __str__(self):
        who = self.decided_by or "system"
        return f"{self.get_action_display()} by {who} at {self.decided_at:%Y-%m-%d %H:%M}"
