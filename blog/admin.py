import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from blog import content_checks, publishing
from blog.models import Post, PublishDecision, Topic
from blog.sanitise import sanitise_body
from clinic.admin_base import ClinicModelAdmin
from clinic.admin_history import ID, HistoryAdmin
from clinic.redirects import Redirect

# django-prose-editor loads its ES modules through an import map, which can only be an inline
# <script>. The admin's templates already put the request's nonce on form media, so the post
# editor's pages alone allow that nonce; every other page keeps the plain 'self' policy.
# Tiptap (inside the editor) also injects one fixed <style> block of base editor CSS: allowed by
# its hash, which changes only with a new django-prose-editor release (the admin browser test
# fails on any CSP error, so an upgrade that changes it is caught).
TIPTAP_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
EDITOR_CSP = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP["script-src"], CSP.NONCE],
    "style-src": [*settings.SECURE_CSP["style-src"], TIPTAP_STYLE_HASH],
}


@admin.register(Topic)
class TopicAdmin(ClinicModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Post.Status.PUBLISHED)
        match self.value():
            case "draft":
                return queryset.filter(status=Post.Status.DRAFT)
            case "scheduled":
                return queryset.filter(published, published_at__gt=now)
            case "published":
                return queryset.filter(published, published_at__lte=now)
        return queryset


class ClinicalReviewFilter(admin.SimpleListFilter):
    title = "clinical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        months = settings.CLINICAL_REVIEW_MONTHS
        return [("due", f"Due for clinical review (none, or over {months} months ago)")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        return queryset


# Versions of a post are the post alone: its publication log is never rolled back by a restore.
reversion.register(Post)


@admin.register(Post)
class PostAdmin(HistoryAdmin):
    list_display = [
        "thumbnail",
        "title",
        "state",
        "flagged",
        "author",
        "published_at",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [StateFilter, ClinicalReviewFilter, "is_flagged", "topics", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "reviewed_by", "topics"]
    readonly_fields = [
        "preview_link",
        "checklist",
        "publication_log",
        "reading_minutes",
        "updated_at",
    ]
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["css/blog-admin.css"]}
        js = ["js/blog-admin.js", "js/content-checks.js"]

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "preview_link"]}),
        ("Checks before publishing", {"fields": ["checklist"]}),
        ("Image", {"fields": ["hero_image", "hero_image_alt"]}),
        (
            "Search and sharing",
            {"fields": ["seo_description", "social_image", "social_image_alt"]},
        ),
        ("People", {"fields": ["author", "reviewed_by", "last_reviewed"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "publish_reason",
                    "publication_log",
                    "topics",
                    "updated_at",
                ]
            },
        ),
        ("Trust", {"fields": ["references", "disclaimer", "reading_minutes"]}),
    ]

    @admin.display(description="Flagged words")
    def flagged(self, obj):
        return obj.advertising_terms or "—"

    @admin.display(description="Published with flagged words")
    def publication_log(self, obj):
        """Who published the article despite the advertising check, when, and why."""
        decisions = obj.publish_decisions.select_related("decided_by") if obj.pk else []
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(d.decided_at), "j M Y, H:i"),
                    d.decided_by.get_username() if d.decided_by else "—",
                    d.flagged_terms,
                    d.reason,
                    d.get_via_display(),
                )
                for d in decisions
            ),
        )
        if not rows:
            return "Never."
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>Flagged words</th><th>Reason</th>"
            "<th>Through</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Content checks")
    def checklist(self, obj):
        report = content_checks.check_post(obj) if obj.pk else None
        return format_html(
            '<div class="content-checks" data-content-checks data-url="{}" aria-live="polite">{}'
            "</div>",
            reverse("admin:blog_post_checks"),
            render_to_string("admin/blog/post/_content_checks.html", {"report": report}),
        )

    def get_urls(self):
        return [
            path(
                "checks/",
                self.admin_site.admin_view(self.checks_view),
                name="blog_post_checks",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def checks_view(self, request):
        """The checklist for the form as typed (static/js/content-checks.js posts it here)."""
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        data = request.POST
        object_id = data.get("object_id", "")
        stored = self.get_object(request, object_id) if ID.fullmatch(object_id) else None
        report = content_checks.check_article(
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            body=sanitise_body(data.get("body", "")),
            seo_description=data.get("seo_description", ""),
            images=[
                (bool(stored and stored.hero_image), data.get("hero_image_alt", "")),
                (bool(stored and stored.social_image), data.get("social_image_alt", "")),
            ],
            reviewed_by=data.get("reviewed_by"),
            last_reviewed=data.get("last_reviewed_0") or data.get("last_reviewed"),
        )
        html = render_to_string("admin/blog/post/_content_checks.html", {"report": report})
        return JsonResponse({"html": html, "flagged": report.flagged})

    @admin.display(description="State")
    def state(self, obj):
        return obj.state

    @admin.display(description="Image")
    def thumbnail(self, obj):
        if not obj.hero_image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="80" height="{}">',
            obj.hero_thumbnail_url,
            obj.hero_image_alt,
            round(80 * (obj.hero_height or 9) / (obj.hero_width or 16)),
        )

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save the post to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview this post as visitors see it</a>'
            " (new tab; save first to see your latest changes)",
            obj.get_preview_url(),
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else obj.get_preview_url()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        publishing.record_decision(obj, by=request.user, via=PublishDecision.Via.FORM)
        if change and "slug" in form.changed_data:
            old = reverse("blog:post_detail", kwargs={"slug": form.initial["slug"]})
            if Redirect.objects.filter(old_path=old, new_path=obj.get_absolute_url()).exists():
                messages.info(request, f"The old address {old} now leads here (a 301 redirect).")

    @method_decorator(csp_override(EDITOR_CSP))
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        # What {% csp_nonce_attr media %} reads (Django's csp context processor, for this page).
        context["csp_nonce"] = request._csp_nonce
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.action(description="Publish the selected posts now (or at their scheduled time)")
    def publish(self, request, queryset):
        published, refused = publishing.publish(queryset, by=request.user)
        for post in refused:
            self.message_user(
                request,
                f"Not published: “{post}”. {post.publication_problem()} Open it to do so.",
                messages.ERROR,
            )
        if published or not refused:
            self.message_user(request, f"{len(published)} post(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected posts (back to draft)")
    def unpublish(self, request, queryset):
        count = publishing.unpublish(queryset)
        self.message_user(request, f"{count} post(s) moved back to draft.", messages.SUCCESS)
