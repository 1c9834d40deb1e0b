"""The archive format: a gzipped tar of the database dump and every upload, plus a manifest.

    database/db.sqlite3 or database/db.pgdump    the dump (SQLite file, or pg_dump custom format)
    uploads/<storage alias>/<name>               each upload, under its storage's name for it
    manifest.json                                last: format, version, creation time, database
                                                 vendor, and the size and SHA-256 of every member

Reading never trusts the archive: members are unpacked one by one into a staging folder under
names checked here (no absolute paths, no "..", no links), hashed on the way, and the result must
equal the manifest exactly before anyone uses it. A cut-off or altered archive fails there (or
earlier, in gzip's own checks), so a restore stops before it changes anything.
"""

import gzip
import hashlib
import io
import json
import re
import tarfile
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from clinic.backups import BackupError

FORMAT = "westside-sports-chiro-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FOLDER = "database"
UPLOADS_FOLDER = "uploads"
NAME = re.compile(r"^westside-\d{8}T\d{12}Z\.tar\.gz(\.age)?$")
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def new_archive_name(now=None):
    """westside-20261201T183000123456Z.tar.gz: sorts by creation time, never collides."""
    now = now or datetime.now(UTC)
    return f"westside-{now:%Y%m%dT%H%M%S%f}Z.tar.gz"


def is_archive_name(name):
    return bool(NAME.match(name))


class _HashingReader:
    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Add members, then `close(database_vendor=...)` writes the manifest last."""

    def __init__(self, path: Path):
        self.path = path
        self.members = {}
        self.tar = tarfile.open(path, "w:gz", compresslevel=6)

    def add(self, name, file, size):
        if name in self.members:
            raise BackupError(f"Two members of the archive would both be called {name!r}.")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(time.time())
        reader = _HashingReader(file)
        self.tar.addfile(info, reader)
        self.members[name] = {"size": reader.size, "sha256": reader.sha256.hexdigest()}

    def add_path(self, name, path: Path):
        with open(path, "rb") as file:
            self.add(name, file, path.stat().st_size)

    def close(self, *, database_vendor, database_member):
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.now(UTC).isoformat(),
            "database": {"vendor": database_vendor, "member": database_member},
            "members": self.members,
        }
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = int(time.time())
        self.tar.addfile(info, io.BytesIO(data))
        self.tar.close()

    def abort(self):
        self.tar.close()


@dataclass
class VerifiedArchive:
    """An unpacked archive whose every member matched the manifest."""

    folder: Path
    manifest: dict

    @property
    def database_vendor(self):
        return self.manifest["database"]["vendor"]

    @property
    def database_dump(self) -> Path:
        return self.folder / self.manifest["database"]["member"]

    def uploads(self):
        """(storage alias, name, path of the unpacked file) of every upload."""
        for member in sorted(self.manifest["members"]):
            parts = PurePosixPath(member).parts
            if parts[0] == UPLOADS_FOLDER:
                yield parts[1], "/".join(parts[2:]), self.folder.joinpath(*parts)


def _member_path(folder: Path, name):
    """Where a member is unpacked, or an error when its name could escape the staging folder."""
    path = PurePosixPath(name)
    parts = path.parts
    if (
        path.is_absolute()
        or not parts
        or any(part in {"", ".", ".."} for part in parts)
        or parts[0] not in {DATABASE_FOLDER, UPLOADS_FOLDER}
        or (parts[0] == UPLOADS_FOLDER and len(parts) < 3)
        or "\\" in name
        or "\x00" in name
    ):
        raise BackupError(f"The archive holds a member with an unsafe name ({name!r}): refused.")
    return folder.joinpath(*parts)


def _unpack_member(tar, member, target: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tar.extractfile(member) as source, open(target, "xb") as output:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            output.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _parse_manifest(data):
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError("The archive's manifest is not valid JSON: refused.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a Westside Sports Chiro backup (unknown manifest).")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('version')!r}; this code reads "
            f"version {VERSION}. Restore it with the version of the site that wrote it."
        )
    return manifest


def _compare(manifest, found):
    expected = manifest.get("members")
    database = manifest.get("database")
    if not isinstance(expected, dict) or not isinstance(database, dict):
        raise BackupError("The archive's manifest lacks its list of members: refused.")
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(expected) & set(found) if expected[name] != found[name])
    problems = []
    if missing:
        problems.append(f"{len(missing)} missing (first: {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} not in the manifest (first: {extra[0]})")
    if changed:
        problems.append(f"{len(changed)} whose size or SHA-256 differs (first: {changed[0]})")
    if problems:
        raise BackupError(
            "The archive does not match its manifest: " + "; ".join(problems) + ". It was altered "
            "or is incomplete."
        )
    if database.get("member") not in found:
        raise BackupError("The archive holds no database dump: refused.")


def unpack_verified(archive: Path, folder: Path) -> VerifiedArchive:
    """Unpack `archive` (a plain .tar.gz) into `folder` and check it; raise BackupError if bad."""
    found, manifest = {}, None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name in found or (member.name == MANIFEST and manifest is not None):
                    raise BackupError(f"The archive holds {member.name!r} twice: refused.")
                if not member.isreg():
                    raise BackupError(
                        f"The archive holds a link or device ({member.name!r}): refused."
                    )
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BackupError("The archive's manifest is implausibly large: refused.")
                    with tar.extractfile(member) as source:
                        manifest = source.read()
                else:
                    found[member.name] = _unpack_member(
                        tar, member, _member_path(folder, member.name)
                    )
            # Read to the very end, so gzip checks its CRC before the manifest is trusted.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(f"The archive is damaged or cut short ({error}).") from None
    if manifest is None:
        raise BackupError("The archive has no manifest: it is cut short or not a backup.")
    manifest = _parse_manifest(manifest)
    _compare(manifest, found)
    return VerifiedArchive(folder, manifest)
