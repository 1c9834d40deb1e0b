from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from booking import audit
from booking.admin_export import EnquiryExportMixin
from booking.models import AccessRecord, Enquiry, Notification
from booking.source_report import SourcePageAdminMixin
from booking.tasks import requeue_due
from clinic import phones
from clinic.admin_base import ClinicModelAdmin


class NotificationStateFilter(admin.SimpleListFilter):
    title = "emails"
    parameter_name = "emails"

    def lookups(self, request, model_admin):
        return [("problem", "Not delivered yet"), ("failed", "Gave up")]

    def queryset(self, request, queryset):
        if self.value() == "problem":
            return queryset.filter(
                notifications__status__in=[
                    Notification.Status.PENDING,
                    Notification.Status.SENDING,
                    Notification.Status.RETRYING,
                    Notification.Status.FAILED,
                ]
            ).distinct()
        if self.value() == "failed":
            return queryset.filter(notifications__status=Notification.Status.FAILED).distinct()
        return queryset


def notification_count(condition):
    """How many of an enquiry's notifications match `condition`, as an annotation."""
    matching = (
        Notification.objects.filter(condition, enquiry=OuterRef("pk"))
        .order_by()
        .values("enquiry")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(matching), 0)


@admin.register(Enquiry)
class EnquiryAdmin(SourcePageAdminMixin, EnquiryExportMixin, ClinicModelAdmin):
    list_display = [
        "number",
        "created_at",
        "name",
        "service_label",
        "status",
        "handled_by",
        "email_state",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        "status",
        "patient_type",
        "contact_method",
        NotificationStateFilter,
        ("service", admin.RelatedOnlyFieldListFilter),
        ("handled_by", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email", "phone", "staff_notes"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = [
        "mark_contacted",
        "mark_booked",
        "mark_closed",
        "mark_spam",
        "export_csv",
        "send_emails_now",
    ]
    fieldsets = [
        (
            "Patient",
            {"fields": ["name", "email", "phone_display", "contact_method", "patient_type"]},
        ),
        (
            "Appointment",
            {
                "fields": [
                    "service_name",
                    "practitioner_name",
                    "preferred_days_display",
                    "preferred_times_display",
                    "message",
                    "started_from",
                ]
            },
        ),
        ("Front desk", {"fields": ["status", "handled_by", "staff_notes"]}),
        ("Emails", {"fields": ["email_delivery"]}),
        ("Record", {"fields": ["created_at", "updated_at", "consented_at", "spam_reason"]}),
    ]
    readonly_fields = [
        "name",
        "email",
        "phone_display",
        "contact_method",
        "patient_type",
        "service_name",
        "practitioner_name",
        "preferred_days_display",
        "preferred_times_display",
        "message",
        "created_at",
        "updated_at",
        "consented_at",
        "spam_reason",
        "email_delivery",
        "started_from",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("handled_by", "source_type")
            # Correlated subqueries rather than Count() over a join: a join would GROUP BY every
            # enquiry before the page is cut, which takes seconds with 100,000 of them.
            .annotate(
                undelivered=notification_count(~Q(status=Notification.Status.SENT)),
                gave_up=notification_count(Q(status=Notification.Status.FAILED)),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # Phones are stored as +61…; let "0412 345 678" typed at the desk find them too.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            phone = phones.normalise(search_term)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(phone=phone), may_have_duplicates

    def has_add_permission(self, request):
        # Enquiries come from patients through the form, never typed in.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handled_by":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="No.", ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="Service", ordering="service_name")
    def service_label(self, obj):
        return obj.service_name or "—"

    @admin.display(description="Emails")
    def email_state(self, obj):
        if obj.status == Enquiry.Status.SPAM:
            return "—"
        if obj.gave_up:
            return format_html('<strong class="errornote">{}</strong>', "Not delivered")
        if obj.undelivered:
            return "Pending"
        return "Sent"

    @admin.display(description="Delivery")
    def email_delivery(self, obj):
        """Each email's state, so a mail outage is visible where the front desk looks."""
        notifications = list(obj.notifications.all())
        if not notifications:
            return "No emails (spam is never mailed)." if obj.status == "spam" else "None"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    n.get_kind_display(),
                    n.get_status_display(),
                    n.attempts,
                    date_format(timezone.localtime(n.sent_at or n.next_attempt_at), "j M Y, H:i")
                    if (n.sent_at or n.next_attempt_at)
                    else "—",
                    n.last_error or "—",
                )
                for n in notifications
            ),
        )
        # Taken with a staff notice only: the confirmation limits (booking.services) were reached.
        if not any(n.kind == Notification.Kind.PATIENT for n in notifications):
            rows += format_html(
                "<tr><td>{}</td><td colspan=4>{}</td></tr>",
                Notification.Kind.PATIENT.label,
                "Not sent: this address or connection had its confirmations for the day.",
            )
        if not notifications:
            return "No emails (spam is never mailed)." if obj.status == "spam" else "None"
        return format_html(
            "<table><thead><tr><th>Email</th><th>State</th><th>Attempts</th>"
            "<th>Sent / next attempt</th><th>Last error</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Phone")
    def phone_display(self, obj):
        return obj.phone_display

    @admin.display(description="Preferred days")
    def preferred_days_display(self, obj):
        return obj.preferred_days_display or "Any"

    @admin.display(description="Preferred times")
    def preferred_times_display(self, obj):
        return obj.preferred_times_display or "Any"

    def save_model(self, request, obj, form, change):
        # Whoever moves an enquiry on from "new" is the one handling it, unless someone else is set.
        if change and "status" in form.changed_data and not obj.handled_by_id:
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        pks = list(queryset.values_list("pk", flat=True))
        updated = Enquiry.objects.filter(pk__in=pks).update(
            status=status, updated_at=timezone.now()
        )
        Enquiry.objects.filter(pk__in=pks, handled_by__isnull=True).update(handled_by=request.user)
        label = Enquiry.Status(status).label.lower()
        noun = "enquiry" if updated == 1 else "enquiries"
        self.message_user(request, f"{updated} {noun} marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._set_status(request, queryset, Enquiry.Status.CONTACTED)

    @admin.action(description="Mark selected as booked", permissions=["change"])
    def mark_booked(self, request, queryset):
        self._set_status(request, queryset, Enquiry.Status.BOOKED)

    @admin.action(description="Mark selected as closed", permissions=["change"])
    def mark_closed(self, request, queryset):
        self._set_status(request, queryset, Enquiry.Status.CLOSED)

    @admin.action(description="Mark selected as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Enquiry.Status.SPAM)

    @admin.action(description="Send unsent emails of selected now", permissions=["change"])
    def send_emails_now(self, request, queryset):
        count = requeue_due(
            notifications=Notification.objects.filter(
                enquiry__in=queryset.exclude(status=Enquiry.Status.SPAM)
            )
        )
        self.message_user(request, f"{count} email(s) queued to send now.", messages.SUCCESS)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Reached only once the page is allowed and the enquiry found; a re-shown POST with errors
        # was recorded when the page was first opened.
        if obj is not None and request.method == "GET":
            audit.record_view(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Notification)
class NotificationAdmin(ClinicModelAdmin):
    list_display = [
        "enquiry",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["enquiry"]
    readonly_fields = [
        "enquiry",
        "kind",
        "recipients",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The email records go with their enquiry: whoever may delete one may delete them.
        return request.user.has_perm("booking.delete_enquiry")


@admin.register(AccessRecord)
class AccessRecordAdmin(ClinicModelAdmin):
    """The audit trail, for the owner: read-only, and not even they may delete from it here."""

    list_display = ["at", "username", "action", "enquiry_label", "date_from", "date_to", "rows"]
    list_filter = ["action", "username"]
    search_fields = ["username", "=enquiry_number"]
    date_hierarchy = "at"
    fields = list_display[:3] + ["enquiry_number", "date_from", "date_to", "detail", "rows"]
    readonly_fields = fields

    @admin.display(description="Enquiry", ordering="enquiry_number")
    def enquiry_label(self, obj):
        return f"#{obj.enquiry_number}" if obj.enquiry_number else obj.detail or "—"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
