from django.apps import AppConfig
from django.conf import settings


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Patient stories"

    def ready(self):
        # Refuse to start with a bad value rather than fail on the first submission.
        from clinic import page_cache
        from clinic.spam import RateLimit
        from testimonials import policy
        from testimonials.models import Testimonial

        policy.validate(settings.TESTIMONIALS_POLICY)
        RateLimit.parse(settings.TESTIMONIALS_RATE_LIMIT, "TESTIMONIALS_RATE_LIMIT")
        # Pending, rejected and spam stories show nowhere: sending one changes no page.
        page_cache.register_public_rows(Testimonial, lambda: Testimonial.objects.publishable())
