import functools
import os
import shutil
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import chain
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from clinic.models import Clinic, Practitioner, Service

# tests/cluster/ runs against live servers that `make test-cluster` starts (scripts/cluster.sh).
collect_ignore = [] if os.environ.get("CLUSTER_SERVERS") else ["cluster"]


def pytest_runtest_setup(item):
    """Under `--dist loadgroup` (make test), pytest-xdist keeps an xdist_group on one worker by
    adding the group to each test's node id. pytest 9.2.0 silently broke that (pytest-xdist#1386):
    every worker then built every group's shared fixtures. Fail rather than run slowly."""
    grouped = getattr(item.config.option, "loadgroup", False)  # set on xdist's workers only
    if grouped and item.get_closest_marker("xdist_group"):
        if "@" not in item.nodeid.rpartition("]")[2]:
            pytest.fail(
                "pytest-xdist did not keep this xdist_group test's group: this pytest and"
                " pytest-xdist do not work together (see requirements-dev.in).",
                pytrace=False,
            )


@pytest.fixture(scope="session", autouse=True)
def uploads_folder(tmp_path_factory):
    """Uploads go to a folder of this test process's own (one per pytest-xdist worker), never
    to var/: parallel workers cannot delete each other's files, and no run sees an earlier's."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@dataclass(frozen=True)
class DemoSnapshot:
    """The demo content as a loaddata fixture (every row load_demo_content adds) and its uploads."""

    fixture: Path
    media: Path

    def load(self):
        """Into the test's database and settings.MEDIA_ROOT: the demo as `make run` loads it."""
        call_command("loaddata", self.fixture, verbosity=0)
        link_missing_files(self.media, Path(settings.MEDIA_ROOT))


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """load_demo_content run once per session (it draws and resizes images: seconds), kept as a
    fixture and a folder of uploads, then rolled back; tests load the snapshot in milliseconds."""
    folder = tmp_path_factory.mktemp("demo")
    snapshot = DemoSnapshot(folder / "demo.json", folder / "media")
    models = [model for model in apps.get_models() if not model._meta.proxy]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=snapshot.media),
        transaction.atomic(),
    ):
        before = {model: model._default_manager.count() for model in models}
        call_command("load_demo_content", stdout=open(os.devnull, "w"))
        changed = [model for model in models if model._default_manager.count() != before[model]]
        with snapshot.fixture.open("w") as stream:
            serializers.serialize(
                "json",
                chain.from_iterable(model._default_manager.order_by("pk") for model in changed),
                stream=stream,
            )
        transaction.set_rollback(True)
    return snapshot


def link_missing_files(source, target):
    """Hard-link every file under `source` into `target` where `target` lacks it (cheap, and
    the link keeps a file's data when the other name is deleted); a copy across file systems."""
    for file in source.rglob("*"):
        copy = target / file.relative_to(source)
        if file.is_file() and not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(file, copy)
            except OSError:
                shutil.copy2(file, copy)


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo content, as `make run` loads it."""
    demo_snapshot.load()
    return Clinic.objects.get()


@pytest.fixture
def demo_made_now(db):
    """The demo content made by load_demo_content at the test's moment, so its "last updated"
    dates are then (`demo`'s are the session's start)."""
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    return Clinic.objects.get()


@pytest.fixture
def clinic(db):
    return Clinic.objects.create(
        name="Westside Sports Chiro",
        tagline="Test tagline",
        phone="02 5550 1234",
        email="clinic@example.com",
        street_address="1 Example Street",
        suburb="Parramatta",
        postcode="2150",
    )


@pytest.fixture
def practitioner(db):
    return Practitioner.objects.create(
        name="Jason Lee", slug="jason-lee", role="Chiropractor", qualifications="M.Chiro"
    )


@pytest.fixture
def service(db):
    return Service.objects.create(
        name="Running assessment", slug="running-assessment", summary="We watch you run."
    )


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="correct-horse-battery", is_staff=True
    )


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (test settings turn it off), in a fresh in-memory cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        },
        "page_cache_version": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-version-tests",
        },
    }
    settings.PAGE_CACHE_SECONDS = 600
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def run_worker(django_capture_on_commit_callbacks, monkeypatch):
    """Run `manage.py db_worker --batch`: every task that is due, then stop."""
    # The worker closes "obsolete" connections between tasks; inside a test's transaction that
    # would close the test's own connection on PostgreSQL (SQLite's in-memory one ignores it).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    return run


@pytest.fixture
def image_server(tmp_path):
    """A local web server for images an import fetches (no test reaches beyond 127.0.0.1): its
    base URL; files written to `image_server.folder` are served."""
    folder = tmp_path / "served"
    folder.mkdir()

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", folder=folder)
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class Moment:
    """An instant a date-dependent test runs at, and the date it is then in Sydney."""

    utc: datetime
    sydney_date: date


# Sydney is 10 or 11 hours ahead of UTC, so for half of every UTC day it is already tomorrow there.
MOMENTS = {
    "0130-sydney": Moment(datetime(2026, 11, 30, 14, 30, tzinfo=UTC), date(2026, 12, 1)),
    "1030-sydney": Moment(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 12, 1)),
    # 03:30 AEDT, half an hour after 02:00 became 03:00 when daylight saving started.
    "dst-starts": Moment(datetime(2026, 10, 3, 16, 30, tzinfo=UTC), date(2026, 10, 4)),
    # 02:30 AEST, the hour that happens twice when daylight saving ends.
    "dst-ends": Moment(datetime(2027, 4, 3, 16, 30, tzinfo=UTC), date(2027, 4, 4)),
}


@pytest.fixture(params=list(MOMENTS.values()), ids=list(MOMENTS))
def moment(request, time_machine):
    """Runs the test once at each of MOMENTS, the clock ticking on from there. Name it first
    among the test's fixtures (or in `usefixtures`) so their data is made at that moment too."""
    time_machine.move_to(request.param.utc, tick=True)
    return request.param


@pytest.fixture
def editor(db, django_user_model):
    """A member of the Editors group (staff_groups gives the group its permissions)."""
    user = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
