"""Helpers shared by the tests/test_testimonials_*.py modules (not a test module itself)."""

import re
from datetime import date

from testimonials.models import Classification, Source, Status, Testimonial
from tests.form_support import started

CLINICAL_TEXT = "Jason is great: my knee pain went from 90% to 10% after one session."
SERVICE_TEXT = "Friendly reception, always on time, and everything was explained clearly."
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def make_story(**fields):
    values = {
        "author_name": "Pat Example",
        "display_name": "Pat E.",
        "text": SERVICE_TEXT,
        "source": Source.GOOGLE,
        "received_on": date(2026, 2, 1),
        "consent_to_publish": True,
        "consent_date": date(2026, 2, 1),
        "status": Status.APPROVED,
        "classification": Classification.NON_CLINICAL,
    }
    values.update(fields)
    return Testimonial.objects.create(**values)


def share_data(**overrides):
    data = {
        "name": "Sam Citizen",
        "text": "The front desk was welcoming and Jason explained every step.",
        "practitioner": "",
        "consent": "on",
        "website": "",
        "form_started": started(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_no_inline_code(html):
    """The strict CSP allows no inline script, style attribute or event handler."""
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/ld+json"' in script, script
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)


def admin_form_data(response):
    """The POST data the admin change form would send unchanged, from its GET response."""
    data = {}

    def add(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        elif value is None:
            return
        else:
            data[key] = str(getattr(value, "pk", value))

    form = response.context["adminform"].form
    for name in form.fields:
        add(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            add(formset.management_form, name)
        for inline_form in formset.forms:
            for name in inline_form.fields:
                add(inline_form, name)
    return data
