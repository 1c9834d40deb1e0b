import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic import page_cache
from clinic.backups import BackupError, archive, database, encryption, media


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and upload storage, after checking "
        "the whole archive (manifest hashes, and age authentication when encrypted)."
    )
    # The system checks connect to the database, and a fresh DATA_DIR may not even exist yet.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "path", metavar="archive", help="The archive that `manage.py backup` wrote."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and uploads that are not empty (their contents are lost).",
        )
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Check the archive completely, then stop: change nothing.",
        )

    def handle(self, *args, path, force=False, check_only=False, **options):
        self.writing = False
        try:
            self.restore(Path(path), force=force, check_only=check_only)
        except (BackupError, OSError) as error:
            if self.writing:
                raise CommandError(
                    f"{error} The restore stopped part-way: fix the cause and restore again "
                    "with FORCE=1."
                ) from None
            raise CommandError(f"{error} Nothing was changed.") from None

    def restore(self, path: Path, *, force, check_only):
        if not path.is_file():
            raise BackupError(f"There is no archive at {path}.")
        if not check_only and not force:
            self.refuse_unless_empty()
        with tempfile.TemporaryDirectory(prefix="westside-restore-") as staging:
            staging = Path(staging)
            verified = self.verify(path, staging)
            database.check_dump(verified.database_dump, verified.database_vendor)
            uploads = list(verified.uploads())
            self.stdout.write(
                f"{path.name} is complete and intact: {verified.database_vendor} database and "
                f"{len(uploads)} uploads, written {verified.manifest['created']}."
            )
            if check_only:
                return
            self.writing = True
            database.prepare()
            database.restore(verified.database_dump, replace=force)
            for alias, name, unpacked in uploads:
                with open(unpacked, "rb") as file:
                    media.write_file(alias, name, file)
        page_cache.bump()
        self.stdout.write(
            "Restored. Next: `manage.py migrate` (if the archive is older than this code), then "
            "start the site."
        )

    def refuse_unless_empty(self):
        tables = database.table_count()
        files = media.stored_files()
        if tables or files:
            raise BackupError(
                f"Refusing to restore over existing data: the database has {tables} tables and "
                f"the upload storage {len(files)} files. Restore into an empty DATA_DIR (and an "
                "empty database), or pass --force (make restore ... FORCE=1) to replace them."
            )

    def verify(self, path: Path, staging: Path):
        if encryption.is_encrypted(path):
            plain = staging / "archive.tar.gz"
            encryption.decrypt(path, plain, settings.BACKUP_KEY)
        else:
            if settings.BACKUP_KEY:
                self.stderr.write(
                    "Note: this archive is not encrypted: its manifest catches damage, but not "
                    "a deliberate change."
                )
            plain = path
        return archive.unpack_verified(plain, staging / "members")
