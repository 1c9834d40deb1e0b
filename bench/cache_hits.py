"""Page-cache hit rate on a large site: with 10,000 articles, crawl 2,000 distinct articles,
then read them again, then again with tracking parameters (utm_*, fbclid), as links from a
newsletter or social site carry them.

    .venv/bin/python bench/cache_hits.py              # the default file cache, then Redis
    .venv/bin/python bench/cache_hits.py --no-redis   # only the file cache

Serves the site as `make run` does (gunicorn, 2 workers) from a temporary DATA_DIR with the large
data set (bench/large_data.py). Redis is Debian's redis-server, started by this script on a free
loopback port in the temporary directory (no persistence, `maxmemory-policy volatile-lru` as
README advises) and stopped at the end. Every read counts the X-Page-Cache header; a set-up passes
when at least 95% of the re-reads are hits.
"""

import argparse
import http.client
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gunicorn_server import HOST, Server, free_port, site_environment  # noqa: E402
from load import ROOT, prepare_data  # noqa: E402

ARTICLES = 2_000
PASS_RATE = 0.95
ACCEPT_ENCODING = "gzip, deflate, br"


def public_article_paths(data_dir, count):
    with sqlite3.connect(Path(data_dir) / "db.sqlite3") as db:
        slugs = [
            row[0]
            for row in db.execute(
                "SELECT slug FROM blog_post WHERE status = 'published'"
                " AND published_at <= datetime('now') ORDER BY id"
            )
        ]
    print(f"{len(slugs):,} public articles; reading {count:,} of them, spread at random")
    return [f"/blog/{slug}/" for slug in random.Random(12).sample(slugs, count)]


def read_all(port, paths, query=lambda n: ""):
    """GET each path once on a kept-alive connection: {"hit": n, "miss": n, ...}, ms per read."""
    counts = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    for n, path in enumerate(paths):
        connection.request("GET", path + query(n), headers={"Accept-Encoding": ACCEPT_ENCODING})
        response = connection.getresponse()
        response.read()
        state = response.getheader("X-Page-Cache", "none") if response.status == 200 else "error"
        counts[state] = counts.get(state, 0) + 1
    connection.close()
    return counts, (time.perf_counter() - started) * 1000 / len(paths)


class Redis:
    """Debian's redis-server on a free loopback port, in `directory`, without persistence."""

    def __init__(self, directory):
        binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("redis-server is needed: sudo apt-get install redis-server (or --no-redis)")
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--bind", HOST, "--port", str(self.port), "--dir", str(directory),
                "--save", "", "--appendonly", "no",
                "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        sys.exit("redis-server did not start")

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    def keys(self):
        import redis

        return redis.Redis(host=HOST, port=self.port).dbsize()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def run(name, env, paths, stored_count):
    site = Server("site", "clinic.wsgi", env, ROOT)
    try:
        site.wait_ready("/healthz")
        crawl, crawl_ms = read_all(site.port, paths)
        again, again_ms = read_all(site.port, paths)
        tracked, tracked_ms = read_all(
            site.port, paths, lambda n: f"?utm_source=newsletter&utm_medium=email&fbclid=f{n}"
        )
    finally:
        site.stop()
    rate = again.get("hit", 0) / len(paths)
    tracked_rate = tracked.get("hit", 0) / len(paths)
    print(f"\n{name}")
    print(f"  crawl    {len(paths):,} articles: {crawl}, {crawl_ms:.1f} ms per read")
    print(f"  re-read  {rate:6.1%} hits {again}, {again_ms:.1f} ms per read")
    print(f"  + utm_*  {tracked_rate:6.1%} hits {tracked}, {tracked_ms:.1f} ms per read")
    print(f"  entries in the cache afterwards: {stored_count():,}")
    passed = min(rate, tracked_rate) >= PASS_RATE
    print(f"  {'PASS' if passed else 'FAIL'} (at least {PASS_RATE:.0%} hits on re-reading)")
    return passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=ARTICLES, help="distinct articles read")
    parser.add_argument("--no-redis", action="store_true", help="only the default file cache")
    parser.add_argument("--no-file-cache", action="store_true", help="only Redis")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()
    # Stopped from outside: still stop gunicorn and redis-server and remove the data dir.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))

    data_dir = tempfile.mkdtemp(prefix="clinic-bench-cache-")
    # Pages live a day here, so that a slow crawl measures eviction, not PAGE_CACHE_SECONDS.
    env = site_environment(
        DATA_DIR=data_dir, DJANGO_DEBUG="false", PYTHONUNBUFFERED="1", PAGE_CACHE_SECONDS="86400"
    )
    redis = None
    results = []
    try:
        prepare_data(env, large=True)
        paths = public_article_paths(data_dir, args.articles)
        cache_dir = Path(data_dir) / "cache"
        if not args.no_file_cache:
            results.append(
                run(
                    "Default set-up (file cache)",
                    env,
                    paths,
                    lambda: len(list(cache_dir.glob("*.djcache"))),
                )
            )
        if not args.no_redis:
            redis = Redis(data_dir)
            results.append(run("Redis", {**env, "CACHE_URL": redis.url}, paths, redis.keys))
    finally:
        if redis is not None:
            redis.stop()
        if args.keep:
            print(f"Kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
