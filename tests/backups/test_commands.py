"""`manage.py backup` and `restore` (and their make targets) as an operator runs them: every row
and upload comes back, and a damaged, altered, unreadable or unsafe archive changes nothing.

Round trips run in subprocesses on real DATA_DIRs, as cron or an operator runs them. Refusals run
the same commands in-process (call_command, a subprocess adds only seconds) over the test's own
database and uploads holding the demo content: even forced over them, a refused archive must
leave every row and file as it was."""

import hashlib
import io
import json
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clinic.backups import encryption
from tests.backups.support import (
    ROOT,
    current_site_state,
    manage,
    site_env,
    sqlite_rows,
    upload_hashes,
)

AGE_MAGIC = b"age-encryption.org/v1\n"

# pytest-xdist: one worker runs every backup test, so the demo DATA_DIR is made once.
pytestmark = pytest.mark.xdist_group("backups")


def restore(archive, data_dir, *args, **env):
    return manage("restore", str(archive), *args, data_dir=data_dir, check=False, **env)


def refused(command, *args, **options):
    """Run a command in-process, expecting it to refuse: its message. Every row of the test
    database and every upload must be as it was before."""
    before = current_site_state()
    with pytest.raises(CommandError) as refusal:
        call_command(
            command, *map(str, args), stdout=io.StringIO(), stderr=io.StringIO(), **options
        )
    assert current_site_state() == before
    return str(refusal.value)


def forced_restore_is_refused(archive):
    """`restore --force` of `archive` over the demo content: its message, which must say that
    nothing was changed."""
    message = refused("restore", archive, force=True)
    assert "Nothing was changed." in message
    return message


def test_make_backup_and_make_restore_bring_back_every_row_and_upload(source_site, tmp_path):
    env = site_env(source_site)
    made = subprocess.run(
        ["make", "-s", "backup"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    archive = ROOT / made.stdout.strip().splitlines()[-1]
    assert archive.parent == source_site / "backups"
    assert archive.name.endswith(".tar.gz") and archive.stat().st_mode & 0o777 == 0o600

    target = tmp_path / "fresh"
    restored = subprocess.run(
        ["make", "-s", "restore", f"BACKUP={archive}"],
        cwd=ROOT,
        env=site_env(target),
        capture_output=True,
        text=True,
    )

    assert restored.returncode == 0, restored.stderr
    assert "complete and intact" in restored.stdout
    assert sqlite_rows(target) == sqlite_rows(source_site)
    assert upload_hashes(target) == upload_hashes(source_site)
    assert len(upload_hashes(target)) >= 2  # the demo's photos and article images


def test_a_backup_written_with_the_public_key_restores_only_with_the_secret_key(
    demo, backup_settings, archives, demo_template, tmp_path, age_keys
):
    secret, public = age_keys
    archive = archives["public"]
    assert archive.name.endswith(".tar.gz.age")
    assert archive.read_bytes().startswith(AGE_MAGIC)

    assert "set BACKUP_KEY" in forced_restore_is_refused(archive)
    backup_settings.BACKUP_KEY = public
    assert "can only encrypt" in forced_restore_is_refused(archive)
    backup_settings.BACKUP_KEY = encryption.generate_key()[0]
    assert "does not open this archive" in forced_restore_is_refused(archive)

    target = tmp_path / "fresh"
    result = restore(archive, target, BACKUP_KEY=secret)
    assert result.returncode == 0, result.stderr
    assert sqlite_rows(target) == sqlite_rows(demo_template)
    assert upload_hashes(target) == upload_hashes(demo_template)


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
def test_a_truncated_archive_restores_nothing(
    demo, backup_settings, archives, tmp_path, age_keys, kind
):
    data = archives[kind].read_bytes()
    cut = tmp_path / archives[kind].name
    cut.write_bytes(data[: len(data) * 2 // 3])
    backup_settings.BACKUP_KEY = age_keys[0]

    assert "cut short" in forced_restore_is_refused(cut)


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
@pytest.mark.parametrize("where", [0.5, 0.999], ids=["middle", "end"])
def test_an_archive_with_one_byte_flipped_restores_nothing(
    demo, backup_settings, archives, tmp_path, age_keys, kind, where
):
    data = bytearray(archives[kind].read_bytes())
    data[int(len(data) * where)] ^= 0x01
    tampered = tmp_path / archives[kind].name
    tampered.write_bytes(bytes(data))
    backup_settings.BACKUP_KEY = age_keys[0]

    forced_restore_is_refused(tampered)


def rebuilt(archive, tmp_path, change):
    """The archive unpacked, changed by `change(members, manifest)` (members: name -> bytes), the
    manifest's hashes recomputed as a forger would, and packed again."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    manifest["members"] = {
        name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in members.items()
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "forged.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_member_whose_name_leaves_the_data_dir_is_refused(
    demo, backup_settings, archives, tmp_path
):
    def escape(members, manifest):
        members["uploads/default/../../../../escaped.txt"] = b"planted"

    archive = rebuilt(archives["plain"], tmp_path, escape)

    assert "unsafe name" in forced_restore_is_refused(archive)
    assert not list(tmp_path.rglob("escaped.txt"))


def test_an_archive_of_another_database_engine_is_refused(
    demo, backup_settings, archives, tmp_path
):
    # The archives hold SQLite databases; on SQLite, one claiming to hold PostgreSQL's dump.
    def as_postgres(members, manifest):
        members["database/db.pgdump"] = members.pop("database/db.sqlite3")
        manifest["database"] = {"vendor": "postgresql", "member": "database/db.pgdump"}

    if connection.vendor == "sqlite":
        archive, held = rebuilt(archives["plain"], tmp_path, as_postgres), "postgresql"
    else:
        archive, held = archives["plain"], "sqlite"

    message = forced_restore_is_refused(archive)
    assert f"holds a {held} database, but this site uses {connection.vendor}" in message


def test_a_member_missing_from_the_manifest_is_refused(demo, backup_settings, archives, tmp_path):
    with tarfile.open(archives["plain"], "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    path = tmp_path / "extra.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [("uploads/default/planted.jpg", b"x"), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

    assert "not in the manifest" in forced_restore_is_refused(path)


def test_restore_refuses_a_database_with_data_unless_forced(demo, backup_settings, archives):
    message = refused("restore", archives["plain"])

    assert "Refusing to restore over existing data" in message and "FORCE=1" in message


def test_a_forced_restore_replaces_what_is_there(source_site, demo_template, archives):
    with sqlite3.connect(source_site / "db.sqlite3") as database:
        database.execute("UPDATE clinic_clinic SET phone = '02 9999 0000'")
    assert sqlite_rows(source_site) != sqlite_rows(demo_template)

    forced = restore(archives["plain"], source_site, "--force")

    assert forced.returncode == 0, forced.stderr
    assert sqlite_rows(source_site) == sqlite_rows(demo_template)
    assert upload_hashes(source_site) == upload_hashes(demo_template)


# Committed: SQLite cannot copy a database out from under the test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_check_only_reads_the_whole_archive_and_changes_nothing(demo, backup_settings):
    call_command("backup", stdout=io.StringIO())
    (archive,) = backup_settings.BACKUP_DIR.glob("westside-*")
    before = current_site_state()
    output = io.StringIO()

    call_command("restore", str(archive), check_only=True, stdout=output)

    assert "complete and intact" in output.getvalue()
    assert current_site_state() == before


def test_production_refuses_to_back_up_without_a_key(demo, backup_settings):
    backup_settings.PRODUCTION = True

    message = refused("backup")

    assert "Refusing to write an unencrypted backup in production" in message
    assert not backup_settings.BACKUP_DIR.exists()


def test_a_malformed_key_is_refused_before_anything_is_written(demo, backup_settings):
    backup_settings.BACKUP_KEY = "hunter2"

    assert "BACKUP_KEY is not an age key" in refused("backup")
    assert not backup_settings.BACKUP_DIR.exists()


# Committed: SQLite cannot copy a database out from under the test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_only_the_newest_backup_keep_archives_are_kept(demo, backup_settings):
    folder = backup_settings.BACKUP_DIR
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    backup_settings.BACKUP_KEEP = 2
    written = []
    for _ in range(3):
        output = io.StringIO()
        call_command("backup", stdout=output)
        written.append(Path(output.getvalue().strip().splitlines()[-1]))

    assert sorted(folder.iterdir()) == sorted([folder / "notes.txt", *written[1:]])


def test_a_missing_archive_gets_a_clear_message(demo, backup_settings, tmp_path):
    assert "There is no archive at" in refused("restore", tmp_path / "nothing-here.tar.gz")


def test_check_deploy_warns_when_production_has_no_backup_key(db, backup_settings, age_keys):
    backup_settings.PRODUCTION = True
    without = {message.id for message in checks.run_checks(include_deployment_checks=True)}
    backup_settings.BACKUP_KEY = age_keys[1]
    with_key = {message.id for message in checks.run_checks(include_deployment_checks=True)}

    assert "backups.W001" in without
    assert "backups.W001" not in with_key


def test_a_malformed_backup_key_fails_the_system_checks(db, backup_settings):
    backup_settings.BACKUP_KEY = "age1-not-a-key"

    errors = [message for message in checks.run_checks() if message.id == "backups.E001"]

    assert errors and "BACKUP_KEY is not an age key" in errors[0].msg
