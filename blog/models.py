from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

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
        if self.reviewed_by_id and not self.last_reviewed:
            errors["last_reviewed"] = "Give the date of the clinical review."
        if errors:
            raise ValidationError(errors)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()

    def save(self, *args, **kwargs):
        # Derived fields only: nothing unsafe is ever stored, however the post was written.
        self.body = sanitise_body(self.body)
        rendered = render_body(self.body, video_title=self.title)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "toc", "reading_minutes"}
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
    def hero_fallback_url(self):
        """The largest JPEG rendition (also the Open Graph image)."""
        return self.hero.url(largest=True)

    @property
    def hero_thumbnail_url(self):
        return self.hero.url(largest=False)
