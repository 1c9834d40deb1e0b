import calendar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from blog import content_checks
from blog.rendering import render_body
from blog.sanitise import EDITOR_EXTENSIONS, sanitise_body
from clinic.images import validate_image
from clinic.models import Practitioner
from clinic.redirects import redirect_moved_page
from clinic.renditions import RenditionImageField, Renditions

DEFAULT_DISCLAIMER = (
    "This article is general information, not medical advice. Everyone is different: see your own "
    "health practitioner about your situation."
)


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One or two sentences for the topic's page."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:topic", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        stored = Topic.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if stored and stored != self.slug:
                old = reverse("blog:topic", kwargs={"slug": stored})
                redirect_moved_page(old, self.get_absolute_url(), note="The slug changed.")


class PostQuerySet(models.QuerySet):
    def published(self):
        """Public now: published, with a publish time that has come (scheduled posts appear by
        themselves at their time, no job needed)."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_list(self):
        return self.select_related("author").prefetch_related("topics")

    def for_detail(self):
        return self.select_related("author", "reviewed_by").prefetch_related("topics")

    def due_for_review(self, *, today=None):
        """Published or scheduled posts whose clinical review is missing or older than
        settings.CLINICAL_REVIEW_MONTHS."""
        today = today or timezone.localdate()
        months = today.year * 12 + today.month - 1 - settings.CLINICAL_REVIEW_MONTHS
        year, month = divmod(months, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        cutoff = today.replace(year=year, month=month + 1, day=min(today.day, last_day))
        return self.filter(status=Post.Status.PUBLISHED).filter(
            Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)
        )

    def scheduled(self):
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def by_author(self, author):
        return self.filter(author=author)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def next_publish_time(self):
        """When the next scheduled post goes live, or None."""
        return (
            self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # A published post with a future publish time is "scheduled" until that time.
        PUBLISHED = "published", "Published (or scheduled, if the publish time is in the future)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of the article's address. Keep it once published.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences: shown in lists, search results and when shared.",
    )
    body = ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=sanitise_body, blank=True)
    hero_image = RenditionImageField(
        upload_to="blog/",
        renditions_field="hero_renditions",
        rendition_widths=(480, 800, 1200, 1600),
        blank=True,
        validators=[validate_image],
        width_field="hero_width",
        height_field="hero_height",
        help_text="JPEG, PNG, WebP or GIF, at most 5 MB and 40 megapixels; 1600 px wide is best.",
    )
    hero_image_alt = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="Describe the image for people who cannot see it. Required with an image.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=300,
        blank=True,
        help_text="Optional: shown under the title in search results and when shared (70 to 160 "
        "characters). Empty: the summary is used.",
    )
    social_image = RenditionImageField(
        upload_to="blog/",
        renditions_field="social_renditions",
        rendition_widths=(480, 800, 1200),
        blank=True,
        validators=[validate_image],
        help_text="Optional: the picture shown when the article is shared (1200 × 630 px is "
        "best). Empty: the main image is used.",
    )
    social_image_alt = models.CharField(
        "social image description",
        max_length=250,
        blank=True,
        help_text="Describe the social image. Required with a social image.",
    )
    social_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Resized copies (clinic.renditions): {"webp": [[width, name], ...], "jpeg": ...}
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    author = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="blog_posts")
    reviewed_by = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        related_name="reviewed_posts",
        null=True,
        blank=True,
        verbose_name="clinically reviewed by",
    )
    last_reviewed = models.DateField("last reviewed", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="A time in the future schedules the post: it appears by itself then.",
    )
    updated_at = models.DateTimeField("last updated", auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    references = models.TextField(
        blank=True,
        help_text="One source per line, e.g. a study or guideline with its link.",
    )
    disclaimer = models.CharField(max_length=300, blank=True, default=DEFAULT_DISCLAIMER)
    publish_reason = models.TextField(
        "reason to publish despite the advertising check",
        blank=True,
        help_text="Needed only when the advertising check flags words: why the article may be "
        "published as it is. Recorded with your name and the time.",
    )

    # Derived from the text on save (blog.content_checks), like a patient story's screening.
    advertising_terms = models.CharField(
        "words flagged by the advertising check", max_length=500, blank=True, editable=False
    )
    is_flagged = models.BooleanField(
        "flagged by the advertising check", default=False, editable=False
    )

    # Derived from the body on save (blog.rendering); never edited by hand.
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField("table of contents", default=list, blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="post_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="post_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_image_alt=""), name="post_image_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | Q(last_reviewed__isnull=False),
                name="post_review_has_date",
            ),
            models.CheckConstraint(
                condition=Q(social_image="") | ~Q(social_image_alt=""),
                name="post_social_image_has_alt",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(is_flagged=False) | ~Q(publish_reason=""),
                name="post_flagged_published_has_reason",
                violation_error_message="Flagged words need a reason to publish.",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:post_detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("blog:post_preview", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self):
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Published" if self.is_public else "Scheduled"

    @property
    def reference_list(self):
        return [line.strip() for line in self.references.splitlines() if line.strip()]

    @property
    def was_updated(self):
        """Worth showing "Updated": edited a day or more after publication."""
        return bool(self.published_at) and (self.updated_at - self.published_at).days >= 1

    def clean(self):
        errors = {}
        if self.hero_image and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = "Describe the image for people who cannot see it."
        if self.social_image and not self.social_image_alt.strip():
            errors["social_image_alt"] = "Describe the image for people who cannot see it."
        if self.reviewed_by_id and not self.last_reviewed:
            errors["last_reviewed"] = "Give the date of the clinical review."
        problem = self.publication_problem()
        if problem:
            errors["publish_reason"] = problem
        if errors:
            raise ValidationError(errors)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    def advertising_flags(self):
        return content_checks.check_post(self).flags

    def publication_problem(self):
        """Why this post may not be published (or scheduled) as it stands, or None: words the
        advertising check flags, without a recorded reason."""
        if self.status != self.Status.PUBLISHED or self.publish_reason.strip():
            return None
        flags = self.advertising_flags()
        if not flags:
            return None
        return (
            f"The advertising check flagged: {content_checks.flagged_terms(flags)}. Change the "
            "wording, or record here why the article may be published as it is."
        )

    def save(self, *args, **kwargs):
        # Derived fields only: nothing unsafe is ever stored, however the post was written.
        self.body = sanitise_body(self.body)
        flags = self.advertising_flags()
        self.advertising_terms = content_checks.flagged_terms(flags)[:500]
        self.is_flagged = bool(flags)
        rendered = render_body(self.body, video_title=self.title)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "toc", "reading_minutes"}
        if update_fields is not None and {"title", "summary", "body", "seo_description"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "advertising_terms",
                "is_flagged",
            }
        moved_from = None
        if update_fields is None or "slug" in update_fields:
            moved_from = self._published_address_before()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved_from and moved_from != self.get_absolute_url():
                redirect_moved_page(moved_from, self.get_absolute_url(), note="The slug changed.")

    def _published_address_before(self):
        """The address this post was published at, if it was (a draft's address was never public)."""
        if self.pk is None:
            return None
        stored = Post.objects.filter(pk=self.pk, status=Post.Status.PUBLISHED)
        slug = stored.values_list("slug", flat=True).first()
        return reverse("blog:post_detail", kwargs={"slug": slug}) if slug else None

    # Responsive hero image (clinic.renditions).
    @property
    def hero(self):
        return Renditions(self.hero_image, self.hero_renditions)

    @property
    def hero_srcset_webp(self):
        return self.hero.srcset("webp")

    @property
    def hero_srcset_jpeg(self):
        return self.hero.srcset("jpeg")

    @property
    def share_image_url(self):
        """The picture sharing sites show: the social image's largest JPEG, else the hero's."""
        if self.social_image:
            return Renditions(self.social_image, self.social_renditions).url(largest=True)
        return self.hero_fallback_url

    @property
    def share_image_alt(self):
        return self.social_image_alt if self.social_image else self.hero_image_alt

    @property
    def hero_fallback_url(self):
        """The largest JPEG rendition (also the Open Graph image)."""
        return self.hero.url(largest=True)

    @property
    def hero_thumbnail_url(self):
        return self.hero.url(largest=False)


class PublishDecision(models.Model):
    """A flagged article published or scheduled with a reason: who, when, what the advertising
    check flagged, and why it went out. Never edited or deleted (the admin shows them read-only)."""

    class Via(models.TextChoices):
        FORM = "form", "Article form"
        BULK = "bulk", "“Publish” action on the list"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publish_decisions")
    flagged_terms = models.CharField("flagged words", max_length=500)
    reason = models.TextField()
    via = models.CharField(max_length=10, choices=Via)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "publication with flagged words"
        verbose_name_plural = "publications with flagged words (who, when, why)"

    def __str__(self):
        who = self.decided_by or "system"
        return f"Published with “{self.flagged_terms}” by {who} at {self.decided_at:%Y-%m-%d %H:%M}"
