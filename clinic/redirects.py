"""Old addresses that answer 301 to the current page: a moved post's old slug, an imported site's
links, any address staff add in the admin.

This site's own model rather than django.contrib.redirects: that one is keyed by Site (one more
app and a SITE_ID for a single-site clinic), records no "last used", matches no query string
(WordPress's `/?p=123`), and lets chains and loops be saved. Here an address always points
straight at the current page: saving A → B rewrites every X → A to X → B, B's own redirect is
followed so A never points at another redirect, and A → … → A is refused.

Served by `clinic.redirect_middleware.RedirectMiddleware` when a page is not found; the 301 is
stored with the pages (clinic.page_cache) and, being a clinic model, saving one empties them.
"""

from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

# "Last used" is written at most this often per redirect, with update() (no signal, so no page
# cache bump), and only when the 301 is not already stored with the pages.
LAST_USED_PRECISION = timedelta(hours=1)
# WordPress's plain links are the site root with one of these (/?p=123, /?page_id=7): the home
# page is stored in the page cache apart for each of their values.
ROOT_QUERY_PARAMETERS = ("p", "page_id")
MAX_CHAIN = 20


def normalise_address(address):
    """A local address as Django's request.path sees it (decoded), with its query string if any:
    "https://old.example/post/A%C3%A9?x=1#top" → "/post/Aé?x=1"."""
    parts = urlsplit((address or "").strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{parts.query}" if parts.query else path


def _is_root_plain_link(address):
    query = parse_qs(address.removeprefix("/?"), keep_blank_values=True)
    return (
        len(query) == 1
        and len(next(iter(query.values()))) == 1
        and (next(iter(query)) in ROOT_QUERY_PARAMETERS)
    )


def _is_local(address):
    return address.startswith("/") and not address.startswith("//")


class RedirectQuerySet(models.QuerySet):
    def matching(self, path, query_string=""):
        """The redirect for a request: its exact address (with the query string, if any), else
        the path with or without its trailing slash."""
        if "\x00" in path or "\x00" in query_string:
            return None  # never an address (and PostgreSQL refuses NUL in a query)
        candidates = []
        if query_string:
            candidates.append(f"{path}?{query_string}")
        candidates.append(path)
        if path != "/":
            candidates.append(path.rstrip("/") if path.endswith("/") else path + "/")
        found = {r.old_path: r for r in self.filter(old_path__in=candidates)}
        return next((found[c] for c in candidates if c in found), None)


class Redirect(models.Model):
    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="The address that no longer exists on this site, e.g. /post/running-tips or "
        "/?p=123 (a full link to the old site works too: only its path is kept).",
    )
    new_path = models.CharField(
        "new address",
        max_length=500,
        help_text="Where visitors go instead: an address on this site, e.g. /blog/running-tips/, "
        "or a full https:// link.",
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Why it exists, e.g. “Imported from WordPress”."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Accurate to about an hour."
    )

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(old_path=models.F("new_path")),
                name="redirect_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        self.old_path = normalise_address(self.old_path)
        if self.old_path == "/":
            raise ValidationError(
                {"old_path": "The home page is this site's own; give the old page's address."}
            )
        if self.old_path.startswith("/?") and not _is_root_plain_link(self.old_path):
            names = " or ".join(f"/?{name}=123" for name in ROOT_QUERY_PARAMETERS)
            raise ValidationError(
                {"old_path": f"At the site root only WordPress's plain links redirect: {names}."}
            )
        new = (self.new_path or "").strip()
        if new.startswith(("http://", "https://")):
            self.new_path = new
        elif _is_local(new):
            self.new_path = normalise_address(new)
        else:
            raise ValidationError(
                {"new_path": "Give an address on this site (starting with /) or an https:// link."}
            )
        self.new_path = self.final_target()
        if self.new_path == self.old_path:
            raise ValidationError(
                {
                    "new_path": f"This would loop: {self.old_path} would end up redirecting to "
                    "itself. Point it at the page's current address instead."
                }
            )

    def final_target(self):
        """Where new_path ends up once the other redirects are followed (no chains are stored)."""
        target, seen = self.new_path, {self.old_path}
        for _ in range(MAX_CHAIN):
            if target in seen or not _is_local(target):
                return target
            seen.add(target)
            onward = Redirect.objects.exclude(pk=self.pk).filter(old_path=target).first()
            if onward is None:
                return target
            target = onward.new_path
        return target

    def save(self, *args, **kwargs):
        with transaction.atomic():
            # The page lives at new_path, so a redirect from there back here is obsolete.
            Redirect.objects.filter(old_path=self.new_path, new_path=self.old_path).delete()
            super().save(*args, **kwargs)
            # Whatever pointed at this old address now points straight at its new one.
            Redirect.objects.filter(new_path=self.old_path).exclude(pk=self.pk).update(
                new_path=self.new_path
            )

    def mark_used(self):
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= LAST_USED_PRECISION:
            Redirect.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now


def redirect_moved_page(old_path, new_path, *, note):
    """A page moved from `old_path` to `new_path` (a slug change, an import): the old address
    answers 301 straight to the new one. Returns (redirect, created, changed).

    The page lives at `new_path` now, so a redirect *from* there (the page moved back) goes."""
    old_path, new_path = normalise_address(old_path), normalise_address(new_path)
    if old_path == new_path:
        return None, False, False
    with transaction.atomic():
        Redirect.objects.filter(old_path=new_path).delete()
        redirect = Redirect.objects.filter(old_path=old_path).first()
        if redirect is not None and redirect.new_path == new_path:
            return redirect, False, False
        created = redirect is None
        if created:
            redirect = Redirect(old_path=old_path, note=note)
        redirect.new_path = new_path
        redirect.save()
    return redirect, created, True
