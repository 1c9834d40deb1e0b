from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from clinic import page_cache
        from clinic.backups import checks  # noqa: F401  (registers the backup settings' checks)

        page_cache.connect_signals()
