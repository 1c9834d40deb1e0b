"""Load benchmark: the clinic site beside the framework ceiling, in one run, on loopback.

    .venv/bin/python bench/load.py            # demo content (make bench)
    .venv/bin/python bench/load.py --large    # + 10,000 articles, 10,000 stories, 100,000 enquiries

Serves the site as `make run` does (gunicorn, 2 sync workers, DEBUG off, file cache) from a
temporary DATA_DIR, so the developer's database and cache are never touched, and beside it
bench/ceiling.py (one Django view returning a fixed 20 KB page) under the same gunicorn command.
wrk drives each page and the ceiling in turn, repeated and interleaved so that noise from other
work on the machine falls on both; the table gives medians and each page's ratio to the ceiling
measured in the same run. wrk runs at real-time priority where allowed (root), so that on a
2-core machine its own waits for a core are not counted as page latency (--no-realtime: not).
Then the memory check (a worker's RSS after 1,000 and 10,000 requests)
and, with --large, the admin enquiry list's time.
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
HOST = "127.0.0.1"
PAGES = [
    ("home", "/"),
    ("article list", "/blog/"),
    ("article", None),  # the first /blog/<slug>/ link on /blog/, if there is one
    ("stories", "/stories/"),
    ("services", "/services/"),
    ("booking", "/book/"),
]
ADMIN_USER, ADMIN_PASSWORD = "bench-admin", "bench-admin-password-1"

# wrk prints its numbers as one JSON line, latencies in microseconds.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %f, "p50": %d, "p99": %d, "errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn master serving `app`, started as `make run` starts the site."""

    def __init__(self, name, app, env, chdir, workers=2):
        self.name, self.port = name, free_port()
        self.log = open(Path(env["DATA_DIR"]) / f"{name}-gunicorn.log", "w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                app,
                "--chdir",
                str(chdir),
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--forwarded-allow-ips=127.0.0.1",
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    def wait_ready(self, path="/", timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name}: gunicorn exited; see {self.log.name}")
            try:
                status, _ = get(self.base + path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit(f"{self.name}: not answering after {timeout} s; see {self.log.name}")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_data(env, large):
    print(f"Data dir: {env['DATA_DIR']} (temporary)", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo_content")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if large:
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "python"), str(ROOT / "bench" / "large_data.py")], env=env, check=True
        )
        print(f"Large data set generated in {time.monotonic() - started:.0f} s", flush=True)


def find_pages(site):
    pages = []
    for label, path in PAGES:
        if path is None:
            status, html = get(site.base + "/blog/")
            match = status == 200 and re.search(r'href="(/blog/(?!feed|tag|topic)[\w-]+/)"', html)
            if not match:
                print(f"  skip {label}: no /blog/<slug>/ link on /blog/ yet")
                continue
            path = match.group(1)
        started = time.perf_counter()
        status, _ = get(site.base + path)
        first = (time.perf_counter() - started) * 1000
        if status != 200:
            print(f"  skip {label} ({path}): answers {status}")
            continue
        print(f"  {label:<14} {path:<40} first request (rendered, cache empty): {first:6.1f} ms")
        pages.append((label, path))
    return pages


# What every browser sends; the ceiling ignores it, the site's stored pages answer it with gzip.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"
ACCEPT_ENCODING = BROWSER_ACCEPT_ENCODING


# wrk shares the machine's cores with the two workers; when the scheduler puts it aside, every
# response waiting for it is timed late. Run at real-time priority (where allowed), it is never
# put aside, so p99 is the site's latency and not the load generator's.
REALTIME = ["chrt", "--fifo", "10"]
WRK_PREFIX = []


def realtime_allowed():
    try:
        return subprocess.run([*REALTIME, "true"], capture_output=True).returncode == 0
    except OSError:
        return False


def run_wrk(url, connections, seconds, script):
    headers = ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"] if ACCEPT_ENCODING else []
    result = subprocess.run(
        [
            *WRK_PREFIX,
            WRK,
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            *headers,
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    data["rps"] = data["requests"] / data["seconds"]
    return data


def measure(targets, connection_levels, seconds, repeats, script):
    """targets: [(label, url)]. Repeats are interleaved across targets; returns medians."""
    runs = {(label, c): [] for label, _ in targets for c in connection_levels}
    total = len(runs) * repeats
    done = 0
    for _ in range(repeats):
        for connections in connection_levels:
            for label, url in targets:
                runs[label, connections].append(run_wrk(url, connections, seconds, script))
                done += 1
                print(f"\r  {done}/{total} wrk runs", end="", flush=True)
    print()
    results = {}
    for key, samples in runs.items():
        results[key] = {
            "rps": statistics.median(s["rps"] for s in samples),
            "p50": statistics.median(s["p50"] for s in samples) / 1000,
            "p99": statistics.median(s["p99"] for s in samples) / 1000,
            "errors": sum(s["errors"] + s["non2xx"] for s in samples),
            "requests": sum(s["requests"] for s in samples),
        }
    return results


def print_table(title, pages, connection_levels, results):
    print(f"\n{title}")
    header = f"{'page':<14} {'path':<28} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
    print(header + f" {'errors':>6} {'x ceiling':>9}")
    print("-" * (len(header) + 17))
    for connections in connection_levels:
        ceiling = results["ceiling", connections]["rps"]
        for label, path in [("ceiling", "(20 KB Django view)"), *pages]:
            r = results[label, connections]
            print(
                f"{label:<14} {path[:28]:<28} {connections:>5} {r['rps']:>8.0f} {r['p50']:>7.1f}"
                f" {r['p99']:>7.1f} {r['errors']:>6} {r['rps'] / ceiling:>9.2f}"
            )


def memory_check(site, pages):
    """Each worker's RSS after 1,000 and after 10,000 requests to the site (two clients)."""
    urls = [site.base + path for _, path in pages]
    sent = 0
    lock = threading.Lock()

    def client(count, offset):
        nonlocal sent
        conn = http.client.HTTPConnection(HOST, site.port, timeout=30)
        for i in range(count):
            url = urllib.parse.urlsplit(urls[(i + offset) % len(urls)])
            try:
                conn.request("GET", url.path)
                conn.getresponse().read()
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection(HOST, site.port, timeout=30)
                conn.request("GET", url.path)
                conn.getresponse().read()
            with lock:
                sent += 1
        conn.close()

    def drive(total):
        threads = [threading.Thread(target=client, args=(total // 2, n)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    pids = site.worker_pids()
    drive(1_000)
    after_1k = {pid: rss_kb(pid) for pid in pids}
    drive(9_000)
    after_10k = {pid: rss_kb(pid) for pid in pids}
    print(f"\nMemory: worker RSS after {1000:,} and {sent:,} requests to the site (2 workers)")
    for pid in pids:
        growth = after_10k[pid] / after_1k[pid] - 1
        print(
            f"  worker {pid}: {after_1k[pid] / 1024:.1f} MB -> {after_10k[pid] / 1024:.1f} MB"
            f" ({growth:+.1%})"
        )
    return pids, after_10k


def served(url, encoding="gzip, br"):
    """Status, headers and body size of url as a browser gets it (compressed if offered)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, len(response.read())


def weight_check(site, pages):
    """Each page's HTML and its CSS/JS as served compressed; static caching headers."""
    print("\nPage weight as served (HTML + CSS + JS, compressed), blocking requests, cookies")
    asset_headers = {}
    for label, path in pages:
        _, html = get(site.base + path)
        head = html.split("</head>", 1)[0]
        css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", html)
        blocking = len(css) + sum(1 for src, rest in scripts if src in head and "defer" not in rest)
        _, headers, html_bytes = served(site.base + path)
        total = html_bytes
        for url in css + [src for src, _ in scripts]:
            _, asset, size = served(site.base + url)
            asset_headers[url] = asset
            total += size
        encoding = headers.get("Content-Encoding", "identity")
        cookie = "sets a cookie" if headers.get("Set-Cookie") else "no cookie"
        print(
            f"  {label:<14} HTML {html_bytes / 1024:5.1f} KB ({encoding}),"
            f" with CSS+JS {total / 1024:5.1f} KB; render-blocking: {blocking}; {cookie};"
            f" page cache: {headers.get('X-Page-Cache', '-')}"
        )
    for url, headers in list(asset_headers.items())[:2]:
        print(
            f"  {url}: Cache-Control: {headers.get('Cache-Control')};"
            f" Content-Encoding: {headers.get('Content-Encoding', 'identity')}"
        )


def admin_list_time(site, path="/admin/booking/enquiry/", repeats=5):
    """Median time of a logged-in GET of the admin enquiry list."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = site.base + "/admin/login/?next=" + urllib.parse.quote(path)
    opener.open(login).read()
    token = next((c.value for c in jar if c.name == "csrftoken"), "")
    form = urllib.parse.urlencode(
        {
            "username": ADMIN_USER,
            "password": ADMIN_PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": path,
        }
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})
    try:
        opener.open(request).read()
    except urllib.error.HTTPError as error:
        print(f"\nAdmin enquiry list: skipped ({path} answers {error.code})")
        return
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            with opener.open(site.base + path) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            print(f"\nAdmin enquiry list: skipped ({path} answers {error.code})")
            return
        times.append((time.perf_counter() - started) * 1000)
    rows = re.search(rb"(\d[\d,]*) (?:enquir|result)", body)
    print(
        f"\nAdmin enquiry list {path} (logged in, status {status}, "
        f"{rows.group(1).decode() if rows else '?'} rows):"
        f" median {statistics.median(times):.0f} ms,"
        f" max {max(times):.0f} ms over {repeats} requests"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="generate the large data set first")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per page and level (median)")
    parser.add_argument("--connections", default="8,32", help="comma-separated wrk levels")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument(
        "--app",
        default="clinic.wsgi",
        help="the WSGI application to serve (clinic.wsgi:django_application: no fast path)",
    )
    parser.add_argument("--pages", help="comma-separated page labels to drive (default: all)")
    parser.add_argument(
        "--no-realtime",
        action="store_true",
        help="run wrk at normal priority (its own scheduling delays then count in p99)",
    )
    parser.add_argument(
        "--identity",
        action="store_true",
        help="send no Accept-Encoding (by default wrk asks for gzip, as every browser does)",
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.connections.split(",")]
    global ACCEPT_ENCODING
    ACCEPT_ENCODING = "" if args.identity else BROWSER_ACCEPT_ENCODING
    print(f"Requests send Accept-Encoding: {ACCEPT_ENCODING or '(none)'}")
    global WRK_PREFIX
    WRK_PREFIX = [] if args.no_realtime or not realtime_allowed() else REALTIME
    print(f"wrk priority: {'real-time (' + ' '.join(REALTIME) + ')' if WRK_PREFIX else 'normal'}")
    if not Path(WRK).exists():
        sys.exit("wrk is needed: sudo apt-get install wrk")

    data_dir = tempfile.mkdtemp(prefix="clinic-bench-")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CACHE_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATA_DIR=data_dir,
        DJANGO_DEBUG="false",
        BOOKING_RATE_LIMIT="0",
        BENCH_ADMIN_USER=ADMIN_USER,
        BENCH_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    script = str(Path(data_dir) / "report.lua")
    Path(script).write_text(WRK_SCRIPT)
    servers = []
    try:
        prepare_data(env, args.large)
        site = Server("site", args.app, env, ROOT)
        ceiling = Server("ceiling", "ceiling:application", env, ROOT / "bench")
        servers += [site, ceiling]
        site.wait_ready("/healthz")
        ceiling.wait_ready()
        print(f"Site on {site.base}, ceiling on {ceiling.base}")
        pages = find_pages(site)
        if args.pages:
            pages = [page for page in pages if page[0] in args.pages.split(",")]
        weight_check(site, pages)
        if not args.no_memory:
            memory_check(site, pages)
        targets = [("ceiling", ceiling.base + "/")]
        targets += [(label, site.base + path) for label, path in pages]
        print(
            f"\nwrk: {len(targets)} targets x {len(levels)} levels x {args.repeats} runs"
            f" of {args.seconds} s, interleaved"
        )
        results = measure(targets, levels, args.seconds, args.repeats, script)
        title = "Large data set" if args.large else "Demo content"
        load = os.getloadavg()[0]
        print_table(
            f"{title} (medians of {args.repeats} runs; load avg {load:.1f})", pages, levels, results
        )
        if args.large:
            admin_list_time(site)
        site_requests = sum(
            r["requests"] for (label, _), r in results.items() if label != "ceiling"
        )
        rss = [f"{rss_kb(pid) / 1024:.1f} MB" for pid in site.worker_pids()]
        print(f"\nWorker RSS after the wrk runs (+{site_requests:,} requests): {', '.join(rss)}")
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"Kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
