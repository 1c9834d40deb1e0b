from django.apps import AppConfig
from django.conf import settings


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Patient stories"

    def ready(self):
        # Refuse to start with a bad value rather than fail on the first submission.
        from clinic.spam import RateLimit
        from testimonials import policy

        policy.validate(settings.TESTIMONIALS_POLICY)
        RateLimit.parse(settings.TESTIMONIALS_RATE_LIMIT, "TESTIMONIALS_RATE_LIMIT")
