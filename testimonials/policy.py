"""The publication rule: which approved stories this site may show (`TESTIMONIALS_POLICY`)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AHPRA = "ahpra"
STANDARD = "standard"
POLICIES = {
    # Australia: section 133 of the National Law; Ahpra allows comments about service only.
    AHPRA: "approved, consented and non-clinical stories only (Ahpra, Australia)",
    STANDARD: "any approved, consented story (clinics outside Australia)",
}


def validate(value, setting_name="TESTIMONIALS_POLICY"):
    if value not in POLICIES:
        choices = " or ".join(repr(name) for name in POLICIES)
        raise ImproperlyConfigured(f"{setting_name} must be {choices}, not {value!r}.")
    return value


def current():
    """The policy in force, checked on every use so a test or a bad override cannot slip by."""
    return validate(getattr(settings, "TESTIMONIALS_POLICY", AHPRA))


def clinical_allowed():
    return current() == STANDARD
