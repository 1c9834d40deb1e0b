"""Which pages bring enquiries: enquiries per article, service and practitioner page per month,
from the page each enquiry was started from (clinic.attribution). Counts only: no patient detail
is in the report or its CSV."""

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from booking.models import Enquiry
from clinic import attribution


@dataclass(frozen=True)
class Row:
    month: date
    kind: str
    title: str
    url: str
    enquiries: int


def monthly_rows():
    """Newest month first, then the page with most enquiries. Spam is not counted. One query for
    the counts and one per kind of page for the titles, however many enquiries or pages."""
    counts = (
        Enquiry.objects.exclude(status=Enquiry.Status.SPAM)
        .filter(source_type__isnull=False, source_id__isnull=False)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "source_type", "source_id")
        .annotate(enquiries=Count("pk"))
        .order_by("-month", "-enquiries", "source_type", "source_id")
    )
    counts = list(counts)
    ids_by_type = defaultdict(set)
    for row in counts:
        ids_by_type[row["source_type"]].add(row["source_id"])
    pages = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for page in model._base_manager.filter(pk__in=ids) if model else []:
            pages[type_id, page.pk] = page
    rows = []
    for row in counts:
        page = pages.get((row["source_type"], row["source_id"]))
        rows.append(
            Row(
                month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
                kind=attribution.kind_label(page) if page else "Removed page",
                title=str(page) if page else f"(removed, #{row['source_id']})",
                url=page.get_absolute_url() if page else "",
                enquiries=row["enquiries"],
            )
        )
    return rows


def csv_response(rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="enquiries-by-page.csv"'
    response.write("\ufeff")  # so Excel reads the UTF-8 titles correctly
    writer = csv.writer(response)
    writer.writerow(["Month", "Kind of page", "Page", "Address", "Enquiries"])
    for row in rows:
        title = "'" + row.title if row.title[:1] in {"=", "+", "-", "@"} else row.title
        writer.writerow([f"{row.month:%Y-%m}", row.kind, title, row.url, row.enquiries])
    response["Cache-Control"] = "no-store"
    return response


class SourcePageAdminMixin:
    """For EnquiryAdmin: the page an enquiry was started from, and the monthly report."""

    @admin.display(description="Started from")
    def started_from(self, obj):
        page = obj.source_page
        if page is None:
            return "—" if obj.source_type_id is None else "A page that has since been removed."
        return format_html(
            '{}: <a href="{}">{}</a>', attribution.kind_label(page), page.get_absolute_url(), page
        )

    def get_urls(self):
        return [
            path(
                "sources/",
                self.admin_site.admin_view(self.source_report_view),
                name="booking_enquiry_sources",
            ),
            *super().get_urls(),
        ]

    def source_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = monthly_rows()
        if request.GET.get("format") == "csv":
            return csv_response(rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "rows": rows,
            "title": "Which pages bring enquiries",
            "csv_url": reverse("admin:booking_enquiry_sources") + "?format=csv",
        }
        return TemplateResponse(request, "admin/booking/enquiry/sources.html", context)
