"""Helpers for the backup tests: real DATA_DIRs driven through manage.py in subprocesses, as an
operator (or cron) runs `make backup` / `make restore`, and their contents read back directly;
the test process's own database and uploads for the commands run in-process."""

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8171, 8180)


def site_env(data_dir, **extra):
    """The environment of a site in `data_dir`: the test settings (no collectstatic needed; the
    database, uploads and backup settings are the real ones), SQLite unless DATABASE_URL is set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BACKUP_", "DJANGO_", "DATABASE_URL", "CACHE_URL", "MEDIA_ROOT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="clinic.test_settings",
        DATA_DIR=str(data_dir),
        # Many enquiries from one client, each with both its notifications: no limits.
        BOOKING_RATE_LIMIT="0",
        BOOKING_CONFIRMATIONS_PER_CLIENT="0",
        BOOKING_CONFIRMATIONS_PER_ADDRESS="0",
        # Scripted patients send the form at once: no time trap to wait out.
        FORM_MIN_SECONDS_TO_FILL="0",
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(*args, data_dir, check=True, **env):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=site_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def backup(data_dir, **env):
    """Run `manage.py backup`; the archive's path, read from the last line of its output."""
    output = manage("backup", data_dir=data_dir, **env).stdout
    return Path(output.strip().splitlines()[-1])


def media_dir(data_dir):
    return Path(data_dir) / "test-media"  # clinic.test_settings.MEDIA_ROOT


def upload_hashes(data_dir):
    return file_hashes(media_dir(data_dir))


def file_hashes(folder):
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def current_site_state():
    """Every row of every table of the test process's database, and every upload's hash."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        rows = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows, file_hashes(settings.MEDIA_ROOT)


def sqlite_rows(data_dir):
    """{table: sorted rows} of every table of the site's SQLite database; {} when there is none."""
    path = Path(data_dir) / "db.sqlite3"
    if not path.exists():
        return {}
    with sqlite3.connect(path) as database:
        tables = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(database.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }


def free_port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS}.")


@contextmanager
def gunicorn(data_dir, **env):
    """The site served by gunicorn (2 workers, as `make run`) from `data_dir`; its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=site_env(data_dir, DJANGO_ALLOWED_HOSTS="127.0.0.1", **env),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
