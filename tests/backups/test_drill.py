"""The restore drill: back up while patients are sending enquiries to the running site (gunicorn,
as in production), restore into an empty DATA_DIR, and every row and upload is there; the
restored site serves its pages and photos. On PostgreSQL too when DATABASE_URL points at one
(`make test-postgres`)."""

import http.cookiejar
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager

import pytest

from tests.backups.support import backup, gunicorn, manage, sqlite_rows, upload_hashes

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="form_started" value="([^"]+)"')
SERVICE = re.compile(r'<option value="([a-z0-9-]+)">')
# Tables the enquiries being posted write to; every other table is the same before and after.
WRITTEN_BY_ENQUIRIES = {
    "booking_enquiry",
    "booking_notification",
    "django_tasks_database_dbtaskresult",
    # The confirmation limits (per address and per client) count each enquiry here.
    "clinic_ratelimithit",
}

# pytest-xdist: one worker runs every backup test, so the demo DATA_DIR is made once.
pytestmark = pytest.mark.xdist_group("backups")


class Patients:
    """Threads that each fill the booking form once, as a browser does, then send it again and
    again (a new patient each time) until stopped. Counts the answers."""

    def __init__(self, base, threads=2):
        self.base = base
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.failures = []
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def run(self):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        # The sites run with FORM_MIN_SECONDS_TO_FILL=0 (support.site_env): no time trap.
        page = opener.open(f"{self.base}/book/", timeout=30).read().decode()
        while not self.stop.is_set():
            number = uuid.uuid4().hex[:8]
            data = {
                "csrfmiddlewaretoken": TOKEN.search(page).group(1),
                "form_started": STARTED.search(page).group(1),
                "name": f"Drill Patient {number}",
                "email": f"drill-{number}@example.com",
                "phone": "0412 345 678",
                "contact_method": "either",
                "patient_type": "new",
                "service": SERVICE.search(page).group(1),
                "preferred_days": "mon",
                "message": f"Drill enquiry {number}",
                "consent": "on",
                "website": "",
            }
            request = urllib.request.Request(
                f"{self.base}/book/",
                data=urllib.parse.urlencode(data).encode(),
                headers={"Accept": "application/json", "Referer": f"{self.base}/book/"},
            )
            try:
                status = opener.open(request, timeout=30).status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = str(error)
            with self.lock:
                if status == 200:
                    self.sent += 1
                else:
                    self.failures.append(status)

    def wait_for(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while self.sent < count:
            assert time.monotonic() < deadline, f"only {self.sent} enquiries were accepted"
            assert not self.failures, self.failures
            time.sleep(0.1)
        return self.sent

    @contextmanager
    def posting(self):
        for thread in self.threads:
            thread.start()
        try:
            yield self
        finally:
            self.stop.set()
            for thread in self.threads:
                thread.join(timeout=60)


def drill(source, target, rows, **env):
    """Back up `source` while enquiries arrive, restore into `target`; (rows before, during and
    after the backup, restored rows, enquiries accepted before and after the backup)."""
    with gunicorn(source, **env) as base, Patients(base).posting() as patients:
        accepted_before = patients.wait_for(3)
        archive = backup(source, **env)
        accepted_after = patients.sent
        patients.wait_for(accepted_after + 2)  # still taking enquiries after the backup
    assert not patients.failures, f"enquiries refused while backing up: {patients.failures}"

    result = manage("restore", str(archive), data_dir=target, check=False, **env)
    assert result.returncode == 0, result.stderr
    return rows(source), rows(target), accepted_before, accepted_after


def assert_consistent_snapshot(source_rows, restored_rows, accepted_before, accepted_after):
    assert set(restored_rows) == set(source_rows)  # every table
    for table, rows in restored_rows.items():
        assert set(rows) <= set(source_rows[table]), f"{table}: restored rows that never existed"
        if table not in WRITTEN_BY_ENQUIRIES:
            assert rows == source_rows[table], f"{table}: rows missing after the restore"
    assert accepted_after > accepted_before, "no enquiry arrived while the backup ran"
    enquiries = restored_rows["booking_enquiry"]
    assert accepted_before <= len(enquiries) <= accepted_after
    # A snapshot, not a smear: the restored enquiries are exactly the first ones received, each
    # with both of its notifications (saved in the same transaction).
    ids = sorted(int(row[0]) for row in enquiries)
    assert ids == sorted(int(row[0]) for row in source_rows["booking_enquiry"])[: len(ids)]
    assert len(restored_rows["booking_notification"]) == 2 * len(enquiries)


def test_restore_drill_on_sqlite(source_site, tmp_path):
    target = tmp_path / "restored"
    source_rows, restored_rows, before, after = drill(source_site, target, sqlite_rows)

    assert_consistent_snapshot(source_rows, restored_rows, before, after)
    assert upload_hashes(target) == upload_hashes(source_site) != {}
    with gunicorn(target) as base:
        home = urllib.request.urlopen(f"{base}/", timeout=30).read().decode()
        assert "Westside Sports Chiro" in home
        photo = next(name for name in upload_hashes(target) if name.startswith("practitioners/"))
        assert urllib.request.urlopen(f"{base}/media/{photo}", timeout=30).status == 200


# PostgreSQL ---------------------------------------------------------------------------------


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextmanager
def postgres_database(server_url, name):
    import psycopg

    admin = urllib.parse.urlsplit(server_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_rows(url):
    import psycopg

    def rows(_data_dir):
        with psycopg.connect(url) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            return {
                table: sorted(
                    (
                        tuple(map(repr, row))
                        for row in connection.execute(f'SELECT * FROM "{table}"')
                    ),
                    key=repr,
                )
                for table in tables
            }

    return rows


@pytest.mark.skipif(
    not postgres_url(), reason="needs DATABASE_URL=postgres://… (make test-postgres)"
)
def test_restore_drill_on_postgresql(source_site, tmp_path):
    suffix = uuid.uuid4().hex[:8]
    with (
        postgres_database(postgres_url(), f"drill_source_{suffix}") as source_url,
        postgres_database(postgres_url(), f"drill_target_{suffix}") as target_url,
    ):
        manage("migrate", "--noinput", data_dir=source_site, DATABASE_URL=source_url)
        manage("load_demo_content", data_dir=source_site, DATABASE_URL=source_url)
        target = tmp_path / "restored"
        with gunicorn(source_site, DATABASE_URL=source_url) as base:
            with Patients(base).posting() as patients:
                before = patients.wait_for(3)
                archive = backup(source_site, DATABASE_URL=source_url)
                after = patients.sent
                patients.wait_for(after + 2)
        assert not patients.failures
        # Refused into a database that has tables; then into the empty one.
        refused = manage(
            "restore", str(archive), data_dir=target, check=False, DATABASE_URL=source_url
        )
        assert refused.returncode != 0 and "Refusing to restore" in refused.stderr
        restored = manage("restore", str(archive), data_dir=target, DATABASE_URL=target_url)
        assert "Restored" in restored.stdout

        assert_consistent_snapshot(
            postgres_rows(source_url)(None), postgres_rows(target_url)(None), before, after
        )
        assert upload_hashes(target) == upload_hashes(source_site) != {}
