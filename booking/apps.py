from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking enquiries"

    def ready(self):
        from booking import checks  # noqa: F401  (registers the settings check)
