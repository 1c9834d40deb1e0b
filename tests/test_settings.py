"""The settings module under the environments it must serve: local, production, broken."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "test-only-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "westsidesportschiro.example",
    "EMAIL_HOST": "smtp.example.com",
    # An age public key (README "Backups"): production backs up only encrypted.
    "BACKUP_KEY": "age1xaq9fyxpapax98k90wwsdseas30gw42c67zx9j3znathqfncds8qg9ahyl",
}


def run_manage(*args, env=None, tmp_path=None):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_", "CACHE_URL"))
    }
    environment["DJANGO_SETTINGS_MODULE"] = "clinic.settings"
    if tmp_path is not None:
        environment["DATA_DIR"] = str(tmp_path)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_refuses_to_start_naming_it(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_ALLOWED_HOSTS", "EMAIL_HOST"])
def test_production_names_each_missing_required_variable(tmp_path, missing):
    env = {**PRODUCTION_ENV, missing: ""}

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert f"{missing} is required" in result.stderr


def test_check_deploy_is_clean_under_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_bad_database_url_gives_a_clear_message_without_the_password(tmp_path):
    result = run_manage(
        "check", env={"DATABASE_URL": "postgres://user:s3cret@host:notaport/db"}, tmp_path=tmp_path
    )

    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database URL" in result.stderr
    assert "s3cret" not in result.stderr


def test_an_unknown_database_scheme_is_refused(tmp_path):
    result = run_manage("check", env={"DATABASE_URL": "nosuchdb://host/db"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_sqlite_runs_with_wal_immediate_transactions_and_a_busy_timeout(tmp_path):
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print('journal', c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print('busy', c.fetchone()[0])\n"
        "    c.execute('PRAGMA foreign_keys'); print('fk', c.fetchone()[0])\n"
        "print('mode', connection.transaction_mode)\n"
    )

    result = run_manage("shell", "--no-imports", "-c", script, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["journal"] == "wal"
    assert int(lines["busy"]) >= 5000
    assert lines["fk"] == "1"
    assert lines["mode"] == "IMMEDIATE"


def test_local_defaults_use_console_email_and_a_shared_file_cache(settings):
    from clinic import settings as real

    assert real.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert real.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    assert real.TIME_ZONE == "Australia/Sydney"
    assert real.LANGUAGE_CODE == "en-au"
    assert real.DEBUG is False


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_bad_boolean_variable_is_named(tmp_path):
    result = run_manage("check", env={"DJANGO_DEBUG": "maybe"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_database_url_selects_postgresql(tmp_path):
    script = (
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'])\n"
    )

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env={"DATABASE_URL": "postgres://clinic:pw@db.internal:5433/westside"},
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "westside",
        "db.internal",
        "5433",
    ]
