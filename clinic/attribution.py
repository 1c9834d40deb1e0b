"""Which page of this site an enquiry was started from, carried in the "Book now" link.

A page's token is "<kind>:<slug>" (e.g. "article:warming-up"), put in the link as `?from=`; the
booking form keeps it in a hidden field and stores the page it names. No cookie and no third
party: the link says where the visitor came from, and only a page that exists and is public
counts (anything else is ignored). Apps register their kinds of page (blog: articles), so the
booking app needs no import of them.
"""

import re
from dataclasses import dataclass

from django.apps import apps

TOKEN = re.compile(r"(?P<kind>[a-z]{1,20}):(?P<slug>[-a-zA-Z0-9_]{1,200})")


@dataclass(frozen=True)
class SourceKind:
    kind: str
    label: str
    model: str  # "app_label.ModelName"
    public: object  # function() -> the QuerySet of pages a visitor can see


KINDS = {}


def register(kind, *, label, model, public):
    KINDS[kind] = SourceKind(kind=kind, label=label, model=model, public=public)


def token_for(obj):
    """The token of a page, or "" when its kind is not registered."""
    label = obj._meta.label
    for source in KINDS.values():
        if source.model == label:
            return f"{source.kind}:{obj.slug}"
    return ""


def resolve(token):
    """The public page a token names, or None for anything else (unknown, malformed, hidden)."""
    match = TOKEN.fullmatch(token or "")
    source = KINDS.get(match["kind"]) if match else None
    if source is None:
        return None
    return source.public().filter(slug=match["slug"]).first()


def kind_label(obj):
    label = obj._meta.label
    return next((s.label for s in KINDS.values() if s.model == label), obj._meta.verbose_name)


def register_clinic_pages():
    Service = apps.get_model("clinic", "Service")
    Practitioner = apps.get_model("clinic", "Practitioner")
    register("service", label="Service", model="clinic.Service", public=Service.objects.active)
    register(
        "practitioner",
        label="Practitioner",
        model="clinic.Practitioner",
        public=Practitioner.objects.active,
    )
