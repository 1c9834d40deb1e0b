from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.csp import csp_override

from blog.models import Post, Topic
from clinic import page_cache
from clinic.admin_base import ClinicModelAdmin
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


@admin.register(Post)
class PostAdmin(ClinicModelAdmin):
    list_display = ["thumbnail", "title", "state", "author", "published_at", "updated_at"]
    list_display_links = ["title"]
    list_filter = [StateFilter, "topics", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "reviewed_by", "topics"]
    readonly_fields = ["preview_link", "reading_minutes", "updated_at"]
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["css/blog-admin.css"]}
        js = ["js/blog-admin.js"]

    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "preview_link"]}),
        ("Image", {"fields": ["hero_image", "hero_image_alt"]}),
        ("People", {"fields": ["author", "reviewed_by", "last_reviewed"]}),
        ("Publishing", {"fields": ["status", "published_at", "topics", "updated_at"]}),
        ("Trust", {"fields": ["references", "disclaimer", "reading_minutes"]}),
    ]

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
        now = timezone.now()
        queryset.filter(published_at__isnull=True).update(published_at=now)
        count = queryset.exclude(status=Post.Status.PUBLISHED).update(
            status=Post.Status.PUBLISHED, updated_at=now
        )
        page_cache.bump()  # update() sends no signal
        self.message_user(request, f"{count} post(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected posts (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.exclude(status=Post.Status.DRAFT).update(
            status=Post.Status.DRAFT, updated_at=timezone.now()
        )
        page_cache.bump()  # update() sends no signal
        self.message_user(request, f"{count} post(s) moved back to draft.", messages.SUCCESS)
