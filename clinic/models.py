from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from clinic import phones
from clinic.images import validate_image
from clinic.redirects import Redirect  # noqa: F401 (a model of this app, in its own module)
from clinic.renditions import RenditionImageField, Renditions

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
SCHEMA_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class ClinicQuerySet(models.QuerySet):
    def for_pages(self):
        return self.prefetch_related("opening_hours")


class Clinic(models.Model):
    """The clinic's own facts: one record, edited in the admin, shown on every page."""

    SINGLETON_ID = 1

    name = models.CharField(max_length=120, default="Westside Sports Chiro")
    tagline = models.CharField(max_length=200, blank=True)
    intro = models.TextField(
        "about the clinic", blank=True, help_text="A few paragraphs for the About page."
    )
    phone = models.CharField(
        max_length=30, help_text="As patients should dial it, e.g. 02 9000 0000."
    )
    email = models.EmailField()
    street_address = models.CharField(max_length=200)
    suburb = models.CharField(max_length=100)
    state = models.CharField(max_length=50, default="NSW")
    postcode = models.CharField(
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", "An Australian postcode has 4 digits.")],
    )
    country = models.CharField(max_length=2, default="AU", help_text="Two-letter country code.")
    map_url = models.URLField("map link", blank=True)
    booking_url = models.URLField(
        "online booking link",
        blank=True,
        help_text="The clinic's online booking system, offered after an enquiry is sent.",
    )
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    linkedin_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    privacy_policy = models.TextField(
        blank=True,
        help_text="Plain text; a blank line starts a new paragraph. Linked from the booking form.",
    )
    privacy_updated = models.DateField("privacy policy last updated", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClinicQuerySet.as_manager()

    class Meta:
        verbose_name = "clinic details"
        verbose_name_plural = "clinic details"
        # Where patients' replies and staff notices go (the email is the Reply-To of every
        # confirmation), where they call and book: only the owner may change these.
        permissions = [
            ("change_clinic_contact", "Can change the clinic's email, phone and booking link"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="clinic_single_record"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.phone:  # a missing number is the field's own error
            try:
                phones.validate_business_number(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error}) from None

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The clinic record, or an unsaved blank one before the demo content is loaded."""
        clinic = cls.objects.for_pages().filter(pk=cls.SINGLETON_ID).first()
        return clinic or cls(pk=cls.SINGLETON_ID)

    def get_absolute_url(self):
        return reverse("clinic:about")

    @property
    def address_line(self):
        parts = [self.street_address, f"{self.suburb} {self.state} {self.postcode}".strip()]
        return ", ".join(part for part in parts if part)

    @property
    def phone_uri(self):
        return phones.tel_uri(self.phone)

    @property
    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]


class OpeningHours(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="hours_close_after_open"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_valid"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def schema_day(self):
        return SCHEMA_WEEKDAYS[self.weekday]


class PractitionerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


registration_validator = RegexValidator(
    r"^[A-Z]{3}\d{10}$",
    "An Ahpra registration number is three capital letters and ten digits, e.g. CHI0001234567.",
)


class Practitioner(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    role = models.CharField(max_length=120, help_text="e.g. Chiropractor, Principal Chiropractor.")
    registration_number = models.CharField(
        "Ahpra registration number",
        max_length=13,
        blank=True,
        validators=[registration_validator],
    )
    qualifications = models.CharField(
        max_length=250, blank=True, help_text="e.g. B.Sc (Chiropractic), M.Chiro."
    )
    bio = models.TextField(blank=True, help_text="Plain text; a blank line starts a new paragraph.")
    photo = RenditionImageField(
        upload_to="practitioners/",
        renditions_field="photo_renditions",
        rendition_widths=(160, 320, 480, 720),
        blank=True,
        validators=[validate_image],
        help_text="JPEG, PNG, WebP or GIF, at most 5 MB; a square portrait 720 px wide is best.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="Describe the photo for people who cannot see it. Required with a photo.",
    )
    # Resized copies of the photo (clinic.renditions): {"webp": [[width, name], ...], "jpeg": ...}
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("shown on the site", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="practitioner_photo_has_alt"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "order", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clinic:practitioner", kwargs={"slug": self.slug})

    @property
    def portrait(self):
        """The photo's renditions: `.srcset("webp")`, `.url(largest=True)`."""
        return Renditions(self.photo, self.photo_renditions)

    @property
    def photo_srcset_webp(self):
        return self.portrait.srcset("webp")

    @property
    def photo_srcset_jpeg(self):
        return self.portrait.srcset("jpeg")

    @property
    def photo_url(self):
        """The largest JPEG rendition: for structured data and sharing."""
        return self.portrait.url(largest=True)

    @property
    def photo_thumbnail_url(self):
        return self.portrait.url(largest=False)

    def clean(self):
        if self.photo and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": "Describe the photo for people who cannot see it."})


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Service(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences for lists and search results."
    )
    description = models.TextField(
        blank=True, help_text="Plain text; a blank line starts a new paragraph."
    )
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)", null=True, blank=True)
    booking_url = models.URLField(
        "online booking link",
        blank=True,
        help_text="Overrides the clinic's online booking link for this service.",
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("shown on the site", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="service_duration_positive",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "order", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clinic:service", kwargs={"slug": self.slug})


class RateLimitHit(models.Model):
    """One submission of a public form, counted by `clinic.spam.RateLimit` (no raw IP stored)."""

    scope = models.CharField(max_length=40)
    client_key = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["scope", "client_key", "created_at"]),
            models.Index(fields=["scope", "created_at"]),
        ]

    def __str__(self):
        return f"{self.scope} at {self.created_at:%Y-%m-%d %H:%M}"


class ImportedItem(models.Model):
    """What an import (blog/management/commands/import_*) made of one item of another site, so a
    second run updates it instead of adding a copy, and leaves it alone when nothing changed."""

    source = models.CharField(max_length=40, help_text="e.g. webflow-post, wordpress-post.")
    item_id = models.CharField(max_length=100, help_text="The item's ID on the old site.")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # A hash of what was imported: an unchanged item is skipped, so staff edits since survive.
    digest = models.CharField(max_length=64)
    image_url = models.URLField(max_length=1000, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "item_id"], name="imported_item_unique"),
        ]

    def __str__(self):
        return f"{self.source} {self.item_id}"
