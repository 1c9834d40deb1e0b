"""The page cache on a real Redis: each process keeps the content version until Redis announces a
new one, so a stored page is served without a round trip, and a change still shows at once."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import caches

from clinic import resilient_cache
from clinic.models import Service
from clinic.page_cache import version
from clinic.page_cache.version import ANNOUNCEMENTS, VERSION_CACHE, VERSION_KEY


class RedisServer:
    """Debian's redis-server on a Unix socket in a throw-away folder (`make test` installs it)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="redis-", dir="/tmp"))
        self.url = f"unix://{self.folder / 'redis.sock'}"
        self.process = None

    def start(self):
        command = shutil.which("redis-server")
        assert command, "the page cache tests need redis-server: run `make test`"
        self.process = subprocess.Popen(
            [command, "--port", "0", "--unixsocket", str(self.folder / "redis.sock")]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.02)

    def stop(self, keep_data=False):
        """Stop the server; with keep_data, as a production Redis restarts: with what it held."""
        if keep_data:
            self.client().shutdown(save=True)
        else:
            self.process.terminate()
        self.process.wait(timeout=10)

    def client(self):
        return redis.Redis.from_url(self.url)

    def reads(self):
        """How many GET commands the server has answered."""
        return self.client().info("commandstats").get("cmdstat_get", {}).get("calls", 0)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture
def page_cache_on_redis(settings, redis_server, monkeypatch):
    # The cache backend's pause after Redis went away is per process: not into other tests.
    monkeypatch.setattr(resilient_cache, "_down_until", 0.0)
    cache = {"BACKEND": "clinic.resilient_cache.ResilientRedisCache", "LOCATION": redis_server.url}
    settings.CACHES = {"default": cache, "page_cache_version": cache}
    settings.PAGE_CACHE_SECONDS = 600
    # Long enough that only an announcement can make a process read the version again.
    settings.PAGE_CACHE_VERSION_RECHECK_SECONDS = 3600
    return redis_server


def test_a_stored_page_is_served_without_asking_redis(demo, client, page_cache_on_redis):
    assert client.get("/services/").headers["X-Page-Cache"] == "miss"
    assert client.get("/services/").headers["X-Page-Cache"] == "hit"
    reads = page_cache_on_redis.reads()

    for _ in range(5):
        assert client.get("/services/").headers["X-Page-Cache"] == "hit"

    assert page_cache_on_redis.reads() == reads


def test_a_committed_change_shows_on_the_next_request(
    demo, client, page_cache_on_redis, django_capture_on_commit_callbacks
):
    service = Service.objects.first()
    client.get("/services/")
    assert client.get("/services/").headers["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        service.summary = "Now announced through Redis."
        service.save()

    response = client.get("/services/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Now announced through Redis." in response.text


def test_a_version_changed_elsewhere_shows_once_announced(demo, client, page_cache_on_redis):
    """What another app server's change looks like from here: a new version, then its announcement."""
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    other_server = page_cache_on_redis.client()

    caches[VERSION_CACHE].set(VERSION_KEY, "changed-elsewhere", timeout=None)
    assert client.get("/").headers["X-Page-Cache"] == "hit"  # not announced: the version is kept
    other_server.publish(ANNOUNCEMENTS, "")

    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"


def test_without_redis_pages_are_rendered_and_nothing_stale_is_served(
    demo, client, page_cache_on_redis
):
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"

    page_cache_on_redis.stop()
    try:
        for _ in range(2):
            response = client.get("/")
            assert response.status_code == 200
            assert response.headers["X-Page-Cache"] == "miss"
            assert "Westside" in response.text
    finally:
        page_cache_on_redis.start()


def test_an_edit_made_while_redis_was_away_shows_once_it_is_back(
    demo, client, page_cache_on_redis, django_capture_on_commit_callbacks, monkeypatch
):
    # Retry Redis on the next request, not after the production pause.
    monkeypatch.setattr(resilient_cache, "RETRY_SECONDS", 0)
    monkeypatch.setattr(version, "RETRY_SECONDS", 0)
    service = Service.objects.first()
    client.get("/services/")
    assert client.get("/services/").headers["X-Page-Cache"] == "hit"

    page_cache_on_redis.stop(keep_data=True)  # back later with the old version and pages
    try:
        with django_capture_on_commit_callbacks(execute=True):
            service.summary = "Changed while Redis was away."
            service.save()
    finally:
        page_cache_on_redis.start()

    response = client.get("/services/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Changed while Redis was away." in response.text
    assert client.get("/services/").headers["X-Page-Cache"] == "hit"
