from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from clinic.spam import RateLimit
from testimonials.policy import POLICIES


@register()
def testimonials_settings(app_configs, **kwargs):
    """Refuse to start with a publication rule or rate limit that the stories pages cannot use."""
    errors = []
    if settings.TESTIMONIALS_POLICY not in POLICIES:
        choices = " or ".join(repr(name) for name in POLICIES)
        errors.append(
            Error(
                f"TESTIMONIALS_POLICY must be {choices}, not {settings.TESTIMONIALS_POLICY!r}.",
                id="testimonials.E001",
            )
        )
    try:
        RateLimit.parse(settings.TESTIMONIALS_RATE_LIMIT, setting_name="TESTIMONIALS_RATE_LIMIT")
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="testimonials.E002"))
    return errors
