import json

from django import template
from django.utils.safestring import mark_safe

from clinic import structured_data

register = template.Library()

# What json_script escapes, so no text in the data can close the script element or open a comment.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


@register.simple_tag
def jsonld(data):
    """A JSON-LD block. The data is escaped as json_script does, so text cannot close the tag."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE_JSON)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def clinic_jsonld(context):
    return jsonld(structured_data.clinic_jsonld(context["clinic"], context["request"]))


@register.simple_tag(takes_context=True)
def practitioner_jsonld(context, practitioner):
    return jsonld(structured_data.practitioner_jsonld(practitioner, context["request"]))


@register.filter
def source_token(page):
    """The page's token for "Book now" links (`?from=`): which page an enquiry started from."""
    from clinic import attribution

    return attribution.token_for(page)


@register.simple_tag(takes_context=True)
def attention_rows(context):
    """The staff front page's rows for the user viewing it (clinic.dashboard)."""
    from clinic import dashboard

    return dashboard.rows_for(context["request"].user)
