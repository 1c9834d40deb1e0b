"""`manage.py backup` and `restore` (and their make targets) as an operator runs them: every row
and upload comes back, and a damaged, altered, unreadable or unsafe archive changes nothing."""

import hashlib
import io
import json
import sqlite3
import subprocess
import tarfile

import pytest

from clinic.backups import encryption
from tests.backups.support import ROOT, backup, manage, site_env, sqlite_rows, upload_hashes

AGE_MAGIC = b"age-encryption.org/v1\n"

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "www.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "DJANGO_SETTINGS_MODULE": "clinic.settings",
}


def restore(archive, data_dir, *args, **env):
    return manage("restore", str(archive), *args, data_dir=data_dir, check=False, **env)


def assert_restored_nothing(result, data_dir, message):
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sqlite_rows(data_dir) == {} and upload_hashes(data_dir) == {}


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
    source_site, tmp_path, age_keys
):
    secret, public = age_keys
    archive = backup(source_site, BACKUP_KEY=public)
    assert archive.name.endswith(".tar.gz.age")
    assert archive.read_bytes().startswith(AGE_MAGIC)
    target = tmp_path / "fresh"

    assert_restored_nothing(restore(archive, target), target, "set BACKUP_KEY")
    assert_restored_nothing(restore(archive, target, BACKUP_KEY=public), target, "can only encrypt")
    other_secret, _ = encryption.generate_key()
    assert_restored_nothing(
        restore(archive, target, BACKUP_KEY=other_secret), target, "does not open this archive"
    )

    result = restore(archive, target, BACKUP_KEY=secret)
    assert result.returncode == 0, result.stderr
    assert sqlite_rows(target) == sqlite_rows(source_site)
    assert upload_hashes(target) == upload_hashes(source_site)


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
def test_a_truncated_archive_restores_nothing(archives, demo_template, tmp_path, age_keys, kind):
    data = archives[kind].read_bytes()
    cut = tmp_path / archives[kind].name
    cut.write_bytes(data[: len(data) * 2 // 3])
    target = tmp_path / "fresh"

    result = restore(cut, target, BACKUP_KEY=age_keys[0])

    assert_restored_nothing(result, target, "cut short")
    assert "Nothing was changed." in result.stderr


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
@pytest.mark.parametrize("where", [0.5, 0.999], ids=["middle", "end"])
def test_an_archive_with_one_byte_flipped_restores_nothing(
    archives, tmp_path, age_keys, kind, where
):
    data = bytearray(archives[kind].read_bytes())
    data[int(len(data) * where)] ^= 0x01
    tampered = tmp_path / archives[kind].name
    tampered.write_bytes(bytes(data))
    target = tmp_path / "fresh"

    assert_restored_nothing(
        restore(tampered, target, BACKUP_KEY=age_keys[0]), target, "Nothing was changed."
    )


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


def test_a_member_whose_name_leaves_the_data_dir_is_refused(archives, tmp_path):
    archive = archives["plain"]

    def escape(members, manifest):
        members["uploads/default/../../../../escaped.txt"] = b"planted"

    target = tmp_path / "fresh"
    assert_restored_nothing(
        restore(rebuilt(archive, tmp_path, escape), target), target, "unsafe name"
    )
    assert not list(tmp_path.rglob("escaped.txt"))


def test_an_archive_of_another_database_engine_is_refused(archives, tmp_path):
    def as_postgres(members, manifest):
        members["database/db.pgdump"] = members.pop("database/db.sqlite3")
        manifest["database"] = {"vendor": "postgresql", "member": "database/db.pgdump"}

    target = tmp_path / "fresh"
    assert_restored_nothing(
        restore(rebuilt(archives["plain"], tmp_path, as_postgres), target),
        target,
        "holds a postgresql database, but this site uses sqlite",
    )


def test_a_member_missing_from_the_manifest_is_refused(archives, tmp_path):
    archive = archives["plain"]
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    path = tmp_path / "extra.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [("uploads/default/planted.jpg", b"x"), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = tmp_path / "fresh"

    assert_restored_nothing(restore(path, target), target, "not in the manifest")


def test_restore_refuses_a_data_dir_with_data_unless_forced(source_site, tmp_path):
    archive = backup(source_site)
    before = sqlite_rows(source_site)
    with sqlite3.connect(source_site / "db.sqlite3") as database:
        database.execute("UPDATE clinic_clinic SET phone = '02 9999 0000'")
    changed = sqlite_rows(source_site)

    refused = restore(archive, source_site)
    assert refused.returncode != 0 and "Refusing to restore over existing data" in refused.stderr
    assert "FORCE=1" in refused.stderr
    assert sqlite_rows(source_site) == changed

    forced = restore(archive, source_site, "--force")
    assert forced.returncode == 0, forced.stderr
    assert sqlite_rows(source_site) == before


def test_check_only_reads_the_whole_archive_and_changes_nothing(archives, tmp_path):
    archive = archives["plain"]
    target = tmp_path / "fresh"

    result = restore(archive, target, "--check-only")

    assert result.returncode == 0 and "complete and intact" in result.stdout
    assert not target.exists()


def test_production_refuses_to_back_up_without_a_key(source_site):
    result = manage("backup", data_dir=source_site, check=False, **PRODUCTION)
    assert result.returncode != 0
    assert "Refusing to write an unencrypted backup in production" in result.stderr
    assert not list((source_site / "backups").glob("westside-*"))


def test_a_malformed_key_is_refused_before_anything_is_written(source_site):
    result = manage("backup", data_dir=source_site, check=False, BACKUP_KEY="hunter2")

    assert result.returncode != 0 and "BACKUP_KEY is not an age key" in result.stderr
    assert not (source_site / "backups").exists()


def test_only_the_newest_backup_keep_archives_are_kept(source_site, tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    written = [backup(source_site, BACKUP_DIR=folder, BACKUP_KEEP=2) for _ in range(3)]

    assert sorted(folder.iterdir()) == sorted([folder / "notes.txt", *written[1:]])


def test_a_missing_archive_gets_a_clear_message(tmp_path):
    result = restore(tmp_path / "nothing-here.tar.gz", tmp_path / "fresh")

    assert result.returncode != 0 and "There is no archive at" in result.stderr


def test_check_deploy_warns_when_production_has_no_backup_key(tmp_path, age_keys):
    without = manage("check", "--deploy", data_dir=tmp_path, check=False, **PRODUCTION)
    with_key = manage(
        "check", "--deploy", data_dir=tmp_path, check=False, BACKUP_KEY=age_keys[1], **PRODUCTION
    )

    assert "backups.W001" in without.stderr + without.stdout
    assert "backups.W001" not in with_key.stderr + with_key.stdout


def test_a_malformed_backup_key_fails_the_system_checks(tmp_path):
    result = manage("check", data_dir=tmp_path, check=False, BACKUP_KEY="age1-not-a-key")

    assert result.returncode != 0 and "backups.E001" in result.stderr
    assert "BACKUP_KEY is not an age key" in result.stderr
