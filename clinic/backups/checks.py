"""System checks for the backup settings: a bad key is found at deploy time, not at 2 a.m."""

from django.conf import settings
from django.core import checks

from clinic.backups import BackupError, encryption


@checks.register()
def backup_key_is_an_age_key(app_configs=None, **kwargs):
    if not settings.BACKUP_KEY:
        return []
    try:
        encryption.check_key(settings.BACKUP_KEY)
    except BackupError as error:
        return [checks.Error(str(error), id="backups.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def production_backups_are_encrypted(app_configs=None, **kwargs):
    if settings.PRODUCTION and not settings.BACKUP_KEY:
        return [
            checks.Warning(
                "BACKUP_KEY is not set: `manage.py backup` refuses to write unencrypted archives "
                "in production, so no backup is being made.",
                hint="Set BACKUP_KEY to an age public key (`manage.py backup --generate-key`).",
                id="backups.W001",
            )
        ]
    return []
