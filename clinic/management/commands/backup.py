import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.backups import BackupError, archive, database, encryption, media


class Command(BaseCommand):
    help = (
        "Write one archive of the database and every upload to BACKUP_DIR (encrypted with "
        "BACKUP_KEY), keep the newest BACKUP_KEEP, and print the archive's path on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate-key",
            action="store_true",
            help="Print a new age key pair for BACKUP_KEY and exit; back nothing up.",
        )

    def handle(self, *args, generate_key=False, **options):
        if generate_key:
            secret, public = encryption.generate_key()
            self.stdout.write(
                f"Secret key (restores; keep it off this server, in a safe place):\n{secret}"
            )
            self.stdout.write(f"Public key (enough to write backups):\n{public}")
            return
        try:
            path = self.back_up()
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:  # a full disk, a folder it may not write to
            raise CommandError(f"Could not write the backup: {error}") from None
        self.stdout.write(str(path))

    def back_up(self):
        key = settings.BACKUP_KEY
        if not key and settings.PRODUCTION:
            raise BackupError(
                "Refusing to write an unencrypted backup in production: the archive holds health "
                "information. Set BACKUP_KEY (see `manage.py backup --generate-key`)."
            )
        if key:
            encryption.check_key(key)
        folder = Path(settings.BACKUP_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = archive.new_archive_name() + (encryption.SUFFIX if key else "")
        # Built in a private folder beside the archives (same disk, so the final rename is
        # atomic): a failed run never leaves anything that looks like a backup.
        with tempfile.TemporaryDirectory(prefix=".partial-", dir=folder) as staging:
            staging = Path(staging)
            built = self.build(staging)
            if key:
                encrypted = staging / "archive.age"
                encryption.encrypt(built, encrypted, key)
                built = encrypted
            os.chmod(built, 0o600)
            final = folder / name
            os.replace(built, final)
        self.stdout.write(f"Wrote {final.name}: {self.summary}, {final.stat().st_size:,} bytes.")
        self.prune(folder, keep=settings.BACKUP_KEEP)
        return final

    def build(self, staging: Path) -> Path:
        dump_member = f"{archive.DATABASE_FOLDER}/{database.dump_name()}"
        dump = staging / "database"
        # The database first: every upload saved before the snapshot is in storage by then. A file
        # the admin replaces meanwhile is deleted after its save commits, so it may be gone when
        # read: that is reported (the next backup has the new file and the row pointing to it).
        database.dump(dump)
        built = staging / "archive.tar.gz"
        writer = archive.ArchiveWriter(built)
        try:
            writer.add_path(dump_member, dump)
            dump.unlink()
            uploads = vanished = 0
            for alias, storage in media.upload_storages().items():
                for name in media.iter_files(storage):
                    try:
                        file = storage.open(name, "rb")
                    except FileNotFoundError:  # deleted since it was listed
                        vanished += 1
                        continue
                    with file:
                        writer.add(f"{archive.UPLOADS_FOLDER}/{alias}/{name}", file, file.size)
                    uploads += 1
        except BaseException:
            writer.abort()
            raise
        writer.close(database_vendor=database.vendor(), database_member=dump_member)
        self.summary = f"{database.vendor()} database and {uploads} uploads"
        if vanished:
            self.summary += f" ({vanished} deleted while backing up, left out)"
        return built

    def prune(self, folder: Path, *, keep):
        if not keep:
            return
        archives = sorted(path for path in folder.iterdir() if archive.is_archive_name(path.name))
        for old in archives[:-keep]:
            old.unlink()
            self.stdout.write(f"Removed {old.name} (BACKUP_KEEP={keep}).")
        # Leftovers of a run that was killed half-way.
        for partial in folder.glob(".partial-*"):
            if partial.is_dir() and partial.stat().st_mtime < time.time() - 24 * 3600:
                shutil.rmtree(partial, ignore_errors=True)
