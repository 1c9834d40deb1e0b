"""Writing what the readers found: posts, their images and old addresses, and patient stories.

One import is one transaction: the first problem that stops it (ImportFailed) leaves the
database as it was and removes the image files it had stored. An item imported before (matched
by its ID on the old site) is updated when it changed there and left alone when it did not, so
staff edits made here since survive a second run.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from blog.importing.cleaning import clean_body
from blog.importing.images import ImageUnavailable, fetch_image
from blog.importing.records import ImportFailed, Report
from blog.models import Post, Topic
from clinic.models import ImportedItem, Practitioner
from clinic.redirects import Redirect, redirect_moved_page
from clinic.renditions import rendition_names
from testimonials.models import Status, Testimonial
from testimonials.services import story_import_pending


class _DryRunDone(Exception):
    pass


class Importer:
    def __init__(self, *, default_author=None, dry_run=False, site_name):
        self.default_author = default_author
        self.dry_run = dry_run
        self.site_name = site_name  # "Webflow", "WordPress": for notes staff read
        self.report = Report()
        self._stored_files = []

    def run(self, *, posts=(), stories=()):
        try:
            with transaction.atomic():
                for record in posts:
                    self._post(record)
                for record in stories:
                    self._story(record)
                if self.dry_run:
                    raise _DryRunDone
        except _DryRunDone:
            pass
        except BaseException:
            for name in self._stored_files:
                default_storage.delete(name)
            raise
        return self.report

    # Posts

    def _post(self, record):
        imported = ImportedItem.objects.filter(source=record.source, item_id=record.item_id).first()
        post = imported and imported.content_object
        if imported and post is None:
            self.report.count("posts", "skipped")
            self.report.warn(record.label, "deleted on this site since it was imported; left out")
            return
        if imported and imported.digest == record.digest():
            self.report.count("posts", "unchanged")
            self._item("unchanged", post)
            self._redirects(record, post)
            return
        created = post is None
        post = post or Post()
        cleaned = clean_body(record.body)
        for note in cleaned.notes:
            self.report.warn(record.label, note)
        self._fill(post, record, cleaned)
        image_url, image_alt = self._main_image(record, post, cleaned)
        stored_image = imported.image_url if imported else ""
        if (
            image_url
            and image_url != stored_image
            and self._hero_image(record, post, image_url, image_alt)
        ):
            stored_image = image_url
        try:
            post.full_clean(exclude=["slug", "author"], validate_unique=False)
        except ValidationError as error:
            raise ImportFailed(f"{record.label}: {'; '.join(error.messages)}") from None
        post.save()
        post.topics.set([self._topic(name, slug) for name, slug in record.topics])
        self._remember(record, post, image_url=stored_image)
        self.report.count("posts", "created" if created else "updated")
        self._item("created" if created else "updated", post)
        self._redirects(record, post)

    def _fill(self, post, record, cleaned):
        post.title = Truncator(record.title.strip() or f"Untitled ({record.item_id})").chars(200)
        post.slug = self._free_slug(record, post)
        post.summary = self._summary(record, cleaned.html)
        post.body = cleaned.html
        post.author = self._author(record)
        post.status = Post.Status.PUBLISHED if record.is_published else Post.Status.DRAFT
        post.published_at = record.published_at

    def _main_image(self, record, post, cleaned):
        """The main image's (url, alt): the export's, else the first inline image (the editor
        holds none, so it is not lost). The other inline images are reported."""
        image_url, image_alt = record.image_url, record.image_alt
        if not image_url and cleaned.images and not post.hero_image:
            image_url, image_alt = cleaned.images[0]
            self.report.warn(
                record.label, f"its first inline image became the main image ({image_url})"
            )
        inline = [image for image in cleaned.images if image[0] != image_url]
        if inline:
            listed = "; ".join(f"{src} (alt “{alt}”)" if alt else src for src, alt in inline)
            self.report.warn(
                record.label,
                f"inline images the editor cannot hold, add them by hand if needed: {listed}",
            )
        return image_url, image_alt

    def _item(self, outcome, post):
        address, state = post.get_absolute_url(), post.state.lower()
        self.report.item(f"{outcome}: post “{post.title}” at {address} ({state})")

    def _free_slug(self, record, post):
        base = slugify(record.slug)[:190] or slugify(record.title)[:190] or f"post-{record.item_id}"
        slug, n = base, 2
        while Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        if slug != base:
            self.report.warn(
                record.label, f"the slug “{base}” is taken here; this post's is “{slug}”"
            )
        return slug

    @staticmethod
    def _summary(record, body_html):
        text = " ".join(strip_tags(record.summary or "").split())
        if not text:
            text = " ".join(strip_tags(body_html.replace("<", " <")).split())
        return Truncator(text or record.title).chars(300)

    def _author(self, record):
        if record.author:
            found = Practitioner.objects.filter(name__iexact=record.author.strip()).first()
            found = found or Practitioner.objects.filter(slug=record.author.strip()).first()
            if found:
                return found
        if self.default_author is None:
            who = f"“{record.author}”" if record.author else "no author"
            raise ImportFailed(
                f"{record.label}: {who} is not a practitioner here. Add them in the admin "
                "(Practitioners) with the same name, or pass --author SLUG for posts without one."
            )
        return self.default_author

    def _hero_image(self, record, post, url, alt):
        """Fetch and store the main image; False if it could not be (reported)."""
        if self.dry_run:
            self.report.count("images", "created")
            return False
        try:
            file = fetch_image(url)
        except ImageUnavailable as problem:
            self.report.count("images", "skipped")
            self.report.warn(record.label, f"image {url} {problem}; imported without it")
            return False
        # Stored re-encoded, with its renditions (clinic.renditions).
        post.hero_image.save(file.name, file, save=False)
        self._stored_files += [post.hero_image.name, *rendition_names(post.hero_renditions)]
        post.hero_image_alt = Truncator(alt.strip() or post.title).chars(250)
        self.report.count("images", "created" if post.pk is None else "updated")
        return True

    @staticmethod
    def _topic(name, slug):
        slug = slugify(slug or name)[:90] or "topic"
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.filter(name=name).first()
        return topic or Topic.objects.create(name=name[:80], slug=slug)

    def _remember(self, record, obj, *, image_url=""):
        ImportedItem.objects.update_or_create(
            source=record.source,
            item_id=record.item_id,
            defaults={
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "digest": record.digest(),
                "image_url": image_url,
            },
        )

    def _redirects(self, record, post):
        if post.status != Post.Status.PUBLISHED:
            return  # a draft's old address was never public
        note = f"Imported from {self.site_name}."
        for address in record.old_addresses:
            if len(address) > Redirect._meta.get_field("old_path").max_length:
                self.report.count("redirects", "skipped")
                self.report.warn(record.label, f"its old address is too long to keep: {address}")
                continue
            redirect, created, changed = redirect_moved_page(
                address, post.get_absolute_url(), note=note
            )
            outcome = "skipped" if redirect is None else "created" if created else "updated"
            self.report.count("redirects", outcome if changed or redirect is None else "unchanged")

    # Stories

    def _story(self, record):
        text = record.text.strip()
        if not text:
            self.report.count("stories", "skipped")
            self.report.warn(record.label, "no text; left out")
            return
        imported = ImportedItem.objects.filter(source=record.source, item_id=record.item_id).first()
        story = imported and imported.content_object
        if imported and story is None:
            self.report.count("stories", "skipped")
            self.report.warn(record.label, "deleted on this site since it was imported; left out")
        elif imported and imported.digest == record.digest():
            self.report.count("stories", "unchanged")
        elif imported:
            if story.status != Status.PENDING or story.text_locked:
                self.report.count("stories", "skipped")
                self.report.warn(
                    record.label,
                    "changed on the old site but already moderated here; left as it is",
                )
                return
            story.author_name, story.text = record.reviewer[:120], text
            story.save()
            self._remember(record, story)
            self.report.count("stories", "updated")
        else:
            story = story_import_pending(
                author_name=record.reviewer.strip(),
                text=text,
                received_on=record.received_on.date() if record.received_on else None,
                note=f"Imported from {self.site_name} ({record.label}); consent not yet confirmed.",
            )
            self._remember(record, story)
            self.report.count("stories", "created")
            self.report.item(f"created: pending story from “{story.display_name}”")
            if Testimonial.objects.duplicates_of(story).exists():
                self.report.warn(
                    record.label,
                    "the same text as another story: marked as a duplicate in the admin",
                )
