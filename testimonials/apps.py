from django.apps import AppConfig


class TestimonialsConfig(AppConfig):
    name = "testimonials"
    verbose_name = "Patient stories"

    def ready(self):
        from clinic import page_cache
        from testimonials import checks  # noqa: F401  (registers the settings check)
        from testimonials.models import Testimonial

        # Pending, rejected and spam stories show nowhere: sending one changes no page.
        page_cache.register_public_rows(Testimonial, lambda: Testimonial.objects.publishable())
