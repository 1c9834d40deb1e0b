"""The inbox's CSV export: a date range ("everything from March") or the selected enquiries.

Every export is recorded in the audit trail (booking.audit) before the file is sent, and every
cell is made safe to open in a spreadsheet (csv_safe).
"""

import csv
import datetime
import re

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from booking import audit
from booking.models import Enquiry


class ExportForm(forms.Form):
    date_from = forms.DateField(
        label="From (received on or after)", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To (received on or before)", widget=forms.DateInput(attrs={"type": "date"})
    )
    include_spam = forms.BooleanField(label="Include spam", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date must be on or before the end date.")
        if end and end.year > 2999:
            raise forms.ValidationError("Choose an end date before the year 3000.")
        return cleaned

    def range(self):
        """Aware datetimes [start, end) covering whole days in the clinic's time zone."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.cleaned_data["date_from"], datetime.time(), tz)
        end = datetime.datetime.combine(
            self.cleaned_data["date_to"] + datetime.timedelta(days=1), datetime.time(), tz
        )
        return start, end


CSV_COLUMNS = [
    ("Number", lambda e: e.pk),
    ("Received", lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M")),
    ("Status", lambda e: e.get_status_display()),
    ("Name", lambda e: e.name),
    ("Email", lambda e: e.email),
    ("Phone", lambda e: e.phone_display),
    ("Preferred contact", lambda e: e.get_contact_method_display()),
    ("Patient", lambda e: e.get_patient_type_display()),
    ("Service", lambda e: e.service_name),
    ("Practitioner", lambda e: e.practitioner_name),
    ("Preferred days", lambda e: e.preferred_days_display),
    ("Preferred times", lambda e: e.preferred_times_display),
    ("Message", lambda e: e.message),
    ("Handled by", lambda e: e.handled_by.get_username() if e.handled_by else ""),
    ("Staff notes", lambda e: e.staff_notes),
]

# Where a spreadsheet may start reading a new cell: the start of this one, or a separator that
# some program splits on (the comma; the semicolon of European locales; tab, CR and LF when a
# cell is pasted or imported as text), optionally followed by spaces.
_FORMULA_START = re.compile(r"(^|[,;\t\r\n])( *)(?=[=+\-@\t\r\uff1d\uff0b\uff0d\uff20])")


def csv_safe(value):
    """Text no spreadsheet will run as a formula (CSV injection), whatever separator it splits on.

    A formula character (= + - @, their full-width forms, or a leading tab or CR) at the start of
    the cell or just after a separator gets an apostrophe before it: shown as typed, never run.
    """
    return _FORMULA_START.sub(r"\1\2'", str(value))


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset, filename):
    writer = csv.writer(_Echo())
    rows = (
        [csv_safe(value(enquiry)) for _, value in CSV_COLUMNS]
        for enquiry in queryset.select_related("handled_by").iterator(chunk_size=500)
    )

    def lines():
        yield "\ufeff"  # so Excel reads the UTF-8 names correctly
        yield writer.writerow([title for title, _ in CSV_COLUMNS])
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class EnquiryExportMixin:
    """For EnquiryAdmin: the "Export selected as CSV" action and the date-range export page."""

    def has_export_permission(self, request):
        return request.user.has_perm("booking.export_enquiry")

    @admin.action(description="Export selected as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        queryset = queryset.order_by("created_at", "pk")
        audit.record_selection_export(request, list(queryset.values_list("pk", flat=True)))
        return csv_response(queryset, "enquiries-selected.csv")

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="booking_enquiry_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if form.is_valid():
            data = form.cleaned_data
            start, end = form.range()
            queryset = Enquiry.objects.filter(created_at__gte=start, created_at__lt=end)
            if not data["include_spam"]:
                queryset = queryset.exclude(status=Enquiry.Status.SPAM)
            audit.record_range_export(
                request,
                date_from=data["date_from"],
                date_to=data["date_to"],
                include_spam=data["include_spam"],
                rows=queryset.count(),
            )
            name = f"enquiries-{data['date_from']}-to-{data['date_to']}.csv"
            return csv_response(queryset.order_by("created_at", "pk"), name)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Export enquiries as CSV",
        }
        return TemplateResponse(request, "admin/booking/enquiry/export.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "export_url": reverse("admin:booking_enquiry_export")
            if self.has_export_permission(request)
            else "",
        }
        return super().changelist_view(request, extra_context)
