"""The publication rule: which approved stories this site may show (`TESTIMONIALS_POLICY`)."""

from django.conf import settings

AHPRA = "ahpra"
STANDARD = "standard"
POLICIES = {
    # Australia: section 133 of the National Law; Ahpra allows comments about service only.
    AHPRA: "approved, consented and non-clinical stories only (Ahpra, Australia)",
    STANDARD: "any approved, consented story (clinics outside Australia)",
}


def current():
    """The policy in force; `testimonials.checks` refuses a value that is not one of POLICIES."""
    return settings.TESTIMONIALS_POLICY


def clinical_allowed():
    # Only the explicit "standard" rule allows clinical stories: anything else is the strict one.
    return current() == STANDARD
