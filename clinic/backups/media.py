"""Uploads, read and written only through Django's storage API.

`upload_storages()` is the one place that says where uploads live: every storage in STORAGES but
the static files (which `collectstatic` rebuilds from the code). A switch to S3-compatible storage,
or a separate private storage for original images, is picked up here without other changes.
"""

import posixpath
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages

from clinic.backups import BackupError

NOT_UPLOADS = {"staticfiles"}


def upload_storages():
    """{alias: storage} of every storage holding uploads."""
    return {alias: storages[alias] for alias in settings.STORAGES if alias not in NOT_UPLOADS}


def _inside(path, folder):
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def _is_backup_data(storage, name):
    """A media folder set to DATA_DIR itself would hold the backups and the database too."""
    try:
        path = storage.path(name)
    except NotImplementedError:  # remote storage: it cannot hold local files
        return False
    database = settings.DATABASES["default"]
    database_dir = (
        Path(database["NAME"]).parent
        if database["ENGINE"] == "django.db.backends.sqlite3"
        else None
    )
    return _inside(path, settings.BACKUP_DIR) or (
        database_dir is not None
        and _inside(path, database_dir)
        and Path(path).name.startswith(Path(database["NAME"]).name)
    )


def iter_files(storage, folder=""):
    """Every file name in the storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet: the folder was never created
        return
    for name in sorted(files):
        path = posixpath.join(folder, name) if folder else name
        if not _is_backup_data(storage, path):
            yield path
    for name in sorted(directories):
        yield from iter_files(storage, posixpath.join(folder, name) if folder else name)


def stored_files():
    """(alias, name) of every upload there is: restore refuses to overwrite them unasked."""
    return [
        (alias, name)
        for alias, storage in upload_storages().items()
        for name in iter_files(storage)
    ]


def write_file(alias, name, content):
    """Put `content` (a file object) at exactly `name`, replacing a file already there."""
    all_storages = upload_storages()
    if alias not in all_storages:
        raise BackupError(
            f"The archive holds uploads for a storage named {alias!r}, which STORAGES does not "
            "define: add it, then restore again."
        )
    storage = all_storages[alias]
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, content)
    if saved != name:
        raise BackupError(f"The storage {alias!r} saved {name!r} as {saved!r}.")
