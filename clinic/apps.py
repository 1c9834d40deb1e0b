from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from clinic import (  # noqa: F401 (staff_groups, staff_sessions: signal receivers)
            attribution,
            dashboard,
            page_cache,
            staff_groups,
            staff_sessions,
        )
        from clinic.backups import checks  # noqa: F401  (registers the backup settings' checks)

        page_cache.connect_signals()
        post_migrate.connect(
            staff_groups.sync_after_migrate, sender=self, dispatch_uid="clinic.staff_groups"
        )
        attribution.register_clinic_pages()
        dashboard.autodiscover()
