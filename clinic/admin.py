from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from clinic.admin_a11y import AccessibleTabularInline
from clinic.admin_base import ClinicModelAdmin
from clinic.admin_history import HistoryAdmin
from clinic.models import Clinic, OpeningHours, Practitioner, Redirect, Service


class OpeningHoursInline(AccessibleTabularInline):
    model = OpeningHours
    extra = 0


# Where patient mail, calls and bookings go: read-only without clinic.change_clinic_contact.
CONTACT_FIELDS = ["phone", "email", "booking_url"]


@admin.register(Clinic)
class ClinicAdmin(HistoryAdmin):
    """One record: the list page goes straight to it, and it can be neither added twice nor deleted.
    Editors may change it, except its contact details (CONTACT_FIELDS)."""

    inlines = [OpeningHoursInline]
    fieldsets = [
        (None, {"fields": ["name", "tagline", "intro"]}),
        ("Contact", {"fields": CONTACT_FIELDS}),
        (
            "Address",
            {"fields": ["street_address", "suburb", "state", "postcode", "country", "map_url"]},
        ),
        ("Social", {"fields": ["facebook_url", "instagram_url", "linkedin_url", "youtube_url"]}),
        ("Privacy policy", {"fields": ["privacy_policy", "privacy_updated"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("clinic.change_clinic_contact"):
            readonly += CONTACT_FIELDS
        return readonly

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Clinic.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        clinic = Clinic.objects.first()
        if clinic is None:
            return redirect(reverse("admin:clinic_clinic_add"))
        return redirect(reverse("admin:clinic_clinic_change", args=[clinic.pk]))


@admin.register(Practitioner)
class PractitionerAdmin(HistoryAdmin):
    list_display = ["name", "role", "registration_number", "order", "is_active", "thumbnail"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "role", "registration_number"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="Photo")
    def thumbnail(self, obj):
        if not obj.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="40" height="40">', obj.photo_thumbnail_url, obj.photo_alt
        )


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    list_display = ["name", "duration_minutes", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Redirect)
class RedirectAdmin(ClinicModelAdmin):
    list_display = ["old_path", "new_path", "note", "created_at", "last_used"]
    search_fields = ["old_path", "new_path", "note"]
    date_hierarchy = "created_at"
    fields = ["old_path", "new_path", "note", "created_at", "last_used"]
    readonly_fields = ["created_at", "last_used"]
