from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from clinic.spam import RateLimit


@register()
def booking_settings(app_configs, **kwargs):
    """Refuse to start with a rate limit or retry policy that would fail at the first enquiry."""
    errors = []
    for name in [
        "BOOKING_RATE_LIMIT",
        "BOOKING_CONFIRMATIONS_PER_ADDRESS",
        "BOOKING_CONFIRMATIONS_PER_CLIENT",
    ]:
        try:
            RateLimit.parse(getattr(settings, name), setting_name=name)
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="booking.E001"))
    for name in [
        "BOOKING_RETENTION_DAYS",
        "BOOKING_NOTIFICATION_MAX_ATTEMPTS",
        "BOOKING_NOTIFICATION_RETRY_SECONDS",
    ]:
        if getattr(settings, name) < 1:
            errors.append(Error(f"{name} must be at least 1.", id="booking.E002"))
    return errors
