"""History, differences and restore for content edited in the admin, with django-reversion.

django-reversion rather than django-simple-history: it stores a version per admin save with the
user and a comment, and its restore puts the old values into the normal change form, so a
restore is saved through the form and the model's save() like any edit (the text is sanitised
again, the page cache emptied, the publishing rules checked) and becomes a new version itself.
Its companion django-reversion-compare renders diffs with inline styles, which the strict
Content-Security-Policy refuses, so the differences are made here with difflib, as plain text.
"""

import difflib
import re
from dataclasses import dataclass
from html import unescape

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from clinic.admin_base import ClinicModelAdmin

ID = re.compile(r"[0-9]{1,18}")  # a database id; anything else (or larger) is not one
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|div)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def as_lines(value):
    """A stored value as lines of text: rich text loses its markup, one block per line."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    text = str(value)
    if "<" in text and ">" in text:
        text = unescape(strip_tags(_BLOCK_END.sub("\n", text)))
    return [line.rstrip() for line in text.splitlines() if line.strip()]


@dataclass
class FieldChange:
    label: str
    lines: list  # [(kind, text)], kind "same", "removed" or "added"


def field_changes(model, older, newer):
    """What changed between two versions' field values, field by field, as lines of text."""
    changes = []
    fields = [f for f in model._meta.get_fields() if f.concrete and not f.auto_created]
    for field in fields:
        if not field.editable or isinstance(field, models.AutoField):
            continue
        name = field.attname if field.many_to_one else field.name
        before = as_lines(older.get(name, older.get(field.name)))
        after = as_lines(newer.get(name, newer.get(field.name)))
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before, after):
            code, text = line[:2], line[2:]
            if code == "- ":
                lines.append(("removed", text))
            elif code == "+ ":
                lines.append(("added", text))
            elif code == "  ":
                lines.append(("same", text))
        changes.append(FieldChange(capfirst(field.verbose_name), lines))
    return changes


class HistoryAdmin(VersionAdmin, ClinicModelAdmin):
    """Every admin save is a version (who, when, what changed); the history page lists them,
    compares any two, and restores one."""

    object_history_template = "admin/history/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def _versions(self, object_id):
        return (
            Version.objects.get_for_object_reference(self.model, object_id)
            .select_related("revision", "revision__user")
            .order_by("-revision__date_created", "-pk")
        )

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = [
            {
                "version": version,
                "restore_url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=[quote(version.object_id), version.pk],
                ),
            }
            for version in self._versions(unquote(object_id))
        ]
        context = {
            "versions": versions,
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                args=[object_id],
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("No such record.")
        opts = self.model._meta
        history_url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
            args=[quote(object_id)],
        )
        versions = self._versions(object_id)
        chosen = {}
        for key in ("older", "newer"):
            value = request.GET.get(key, "")
            version = versions.filter(pk=value).first() if ID.fullmatch(value) else None
            if version is None:
                messages.error(request, "Choose two versions of this record to compare.")
                return redirect(history_url)
            chosen[key] = version
        older, newer = chosen["older"], chosen["newer"]
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        try:
            changes = field_changes(self.model, older.field_dict, newer.field_dict)
        except RevertError:  # saved by an older shape of the model
            messages.error(request, "One of these versions can no longer be read.")
            return redirect(history_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "title": f"Differences in {obj}",
            "older": older,
            "newer": newer,
            "changes": changes,
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/history/compare.html", context)
