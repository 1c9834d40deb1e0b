"""Every admin change page of the current content, and a change form's data as a browser sends it.

Shared by the test-client and the browser tests that save every record unchanged: the records are
found from `admin.site`'s registry, so a newly registered model is covered without a test edit.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from clinic.models import Practitioner, Service
from tests import crawl
from tests.form_support import enquiry_data

# Demo content is small; this only keeps a model with many rows (e.g. login records) quick.
RECORDS_PER_MODEL = 20
# Buttons other than the one pressed are not sent; a file input the person left alone sends
# nothing the server reads as a file (the test client cannot send an empty file part).
NOT_SENT = {"submit", "button", "reset", "image", "file"}


@dataclass(frozen=True)
class ChangePage:
    label: str
    url: str
    model_admin: admin.ModelAdmin
    obj: object


def send_an_enquiry():
    """An enquiry (and its notification records) sent through the booking form by a patient: the
    demo content has none, and the inbox is what the front desk saves most."""
    service, practitioner = Service.objects.active().first(), Practitioner.objects.first()
    response = Client().post("/book/", enquiry_data(service, practitioner))
    assert response.status_code == 302, response.content


def change_pages(user, limit=RECORDS_PER_MODEL):
    """(pages the user may change, {label: reason} for records whose admin refuses a change)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages, skipped = [], {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for obj in model_admin.get_queryset(request).order_by("pk")[:limit]:
            label = f"{opts.app_label}.{opts.model_name} {obj.pk} ({obj})"
            if not model_admin.has_change_permission(request, obj):
                skipped[label] = f"{type(model_admin).__name__}.has_change_permission is False"
                continue
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            pages.append(ChangePage(label, url, model_admin, obj))
    return pages, skipped


def form_shape(html):
    """The controls of a change page, without their values: the name, tag and type of each (an
    inline's row number left out). Records of one model whose pages have the same shape are edited
    through the same widgets and scripts; what differs between them is data."""
    page = crawl.Page.parse("", 200, html)
    return frozenset(
        (element.tag, element.attrs.get("type", ""), re.sub(r"-\d+-", "-#-", element.attrs["name"]))
        for element in page.elements
        if element.tag in {"input", "select", "textarea", "button"} and "name" in element.attrs
    )


def one_page_per_form_shape(pages, client):
    """The first of `pages` for each model and form shape, read through `client` (signed in)."""
    chosen = {}
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, f"{page.label}: HTTP {response.status_code}"
        chosen.setdefault((type(page.obj), form_shape(response.text)), page)
    return list(chosen.values())


class _FormReader(HTMLParser):
    """The successful controls of one <form id=...>, in document order (HTML's form submission
    rules, minus the parts the admin's forms never use)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.pairs = []
        self.select = None  # (name, multiple, chosen values, first option value)
        self.option = None  # (value or None, selected, text parts)
        self.textarea = None  # (name, text parts)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in NOT_SENT or (kind in {"checkbox", "radio"} and "checked" not in attrs):
                return
            self.pairs.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select:
            self.option = (attrs.get("value"), "selected" in attrs, [])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)
        elif self.option:
            self.option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            name, parts = self.textarea
            # A newline right after <textarea> is not part of its value.
            self.pairs.append((name, "".join(parts).removeprefix("\n")))
            self.textarea = None
        elif tag == "option" and self.option:
            self._end_option()
        elif tag == "select" and self.select:
            self._end_option()
            name, multiple, chosen, first = self.select
            if not multiple and not chosen and first:
                chosen = first[:1]  # a single select sends its first option when none is chosen
            self.pairs.extend((name, value) for value in chosen[-1:] if not multiple)
            self.pairs.extend((name, value) for value in chosen if multiple)
            self.select = None

    def _end_option(self):
        if self.option is None:
            return
        value, selected, text = self.option
        value = "".join(text).strip() if value is None else value
        self.select[3].append(value)
        if selected:
            self.select[2].append(value)
        self.option = None


def form_data(html, form_id):
    """What a browser would send for the form with this id, left as rendered: {name: [values]}."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    data = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data
