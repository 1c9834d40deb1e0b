"""Load benchmark: the clinic site beside the framework ceiling, in one run, on loopback.

    .venv/bin/python bench/load.py            # demo content (make bench)
    .venv/bin/python bench/load.py --large    # + 10,000 articles, 10,000 stories, 100,000 enquiries
    scripts/cluster.sh .venv/bin/python bench/load.py --servers   # make bench-cluster

Serves the site as `make run` does (gunicorn, 2 sync workers, DEBUG off, file cache) from a
temporary DATA_DIR, so the developer's database and cache are never touched, and beside it
bench/ceiling.py (one Django view returning a fixed 20 KB page) under the same gunicorn command.
wrk drives each page and the ceiling in turn, repeated and interleaved so that noise from other
work on the machine falls on both; the table gives medians and each page's ratio to the ceiling
measured in the same run, then PASS/FAIL lines for the targets (bench/wrk_load.py; exit status 1
when one fails). wrk runs at real-time priority where allowed (root), so that on a 2-core
machine its own waits for a core are not counted as page latency (--no-realtime: not). Then the
memory check (a worker's RSS after 1,000 and 10,000 requests) and, with --large, the admin
enquiry list's time.

With --servers URL,URL (given alone: CLUSTER_SERVERS, set by scripts/cluster.sh) it serves no
site of its own and drives those servers instead, each wrk run spreading its connections evenly
over them (bench/wrk_load.py). The ceiling then runs as that many gunicorn instances with the
servers' worker count (--workers, default CLUSTER_WORKERS), so both sides have the same shape.
Those servers are not this process's children: no memory check.
"""

import argparse
import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import wrk_load
from gunicorn_server import BIN, HOST, Server, get, site_environment

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("home", "/"),
    ("article list", "/blog/"),
    ("article", None),  # the first /blog/<slug>/ link on /blog/, if there is one
    ("stories", "/stories/"),
    ("services", "/services/"),
    ("booking", "/book/"),
]
ADMIN_USER, ADMIN_PASSWORD = "bench-admin", "bench-admin-password-1"
DEFAULT_APP = "clinic.wsgi"


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


def find_pages(base):
    pages = []
    for label, path in PAGES:
        if path is None:
            status, html = get(base + "/blog/")
            match = status == 200 and re.search(r'href="(/blog/(?!feed|tag|topic)[\w-]+/)"', html)
            if not match:
                print(f"  skip {label}: no /blog/<slug>/ link on /blog/ yet")
                continue
            path = match.group(1)
        started = time.perf_counter()
        status, _ = get(base + path)
        first = (time.perf_counter() - started) * 1000
        if status != 200:
            print(f"  skip {label} ({path}): answers {status}")
            continue
        print(f"  {label:<14} {path:<40} first request (rendered, cache empty): {first:6.1f} ms")
        pages.append((label, path))
    return pages


# What every browser sends; the ceiling ignores it, the site's stored pages answer it with gzip.
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"


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
    print(
        f"\nMemory: worker RSS after {1000:,} and {sent:,} requests to the site ({len(pids)} workers)"
    )
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


def weight_check(base, pages):
    """Each page's HTML and its CSS/JS as served compressed; static caching headers."""
    print("\nPage weight as served (HTML + CSS + JS, compressed), blocking requests, cookies")
    asset_headers = {}
    for label, path in pages:
        _, html = get(base + path)
        head = html.split("</head>", 1)[0]
        css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", html)
        blocking = len(css) + sum(1 for src, rest in scripts if src in head and "defer" not in rest)
        _, headers, html_bytes = served(base + path)
        total = html_bytes
        for url in css + [src for src, _ in scripts]:
            _, asset, size = served(base + url)
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


def admin_list_time(base, path="/admin/booking/enquiry/", repeats=5):
    """Median time of a logged-in GET of the admin enquiry list."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base + "/admin/login/?next=" + urllib.parse.quote(path)
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
            with opener.open(base + path) as response:
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", action="store_true", help="generate the large data set first")
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per page and level (median)")
    parser.add_argument("--connections", default="8,32", help="comma-separated wrk levels")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument(
        "--app",
        default=DEFAULT_APP,
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
    parser.add_argument(
        "--servers",
        nargs="?",
        const=os.environ.get("CLUSTER_SERVERS", ""),
        help="drive these running app servers (comma-separated URLs; given alone: the"
        " CLUSTER_SERVERS of scripts/cluster.sh) instead of serving the site",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers of each site and ceiling server (default 2; with --servers:"
        " CLUSTER_WORKERS or 2, what the servers run)",
    )
    args = parser.parse_args()
    args.levels = [int(c) for c in args.connections.split(",")]
    if args.servers is not None:
        args.servers = [url.rstrip("/") for url in args.servers.split(",") if url.strip()]
        if not args.servers:
            parser.error("--servers: no URLs given and CLUSTER_SERVERS is not set")
        if args.large or args.app != DEFAULT_APP:
            parser.error("--large and --app need a site of the script's own: not with --servers")
        uneven = [c for c in args.levels if c % len(args.servers)]
        if uneven:
            parser.error(f"--connections {uneven} do not split evenly over the servers")
    if args.workers is None:
        args.workers = int(os.environ.get("CLUSTER_WORKERS", "2")) if args.servers else 2
    return args


def main():
    args = parse_args()
    levels = args.levels
    # Stopped from outside: still stop the gunicorn servers and remove the data dir.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    accept_encoding = "" if args.identity else BROWSER_ACCEPT_ENCODING
    print(f"Requests send Accept-Encoding: {accept_encoding or '(none)'}")
    realtime = not args.no_realtime and wrk_load.realtime_allowed()
    priority = "real-time (" + " ".join(wrk_load.REALTIME) + ")" if realtime else "normal"
    print(f"wrk priority: {priority}")
    if not Path(wrk_load.WRK).exists():
        sys.exit("wrk is needed: sudo apt-get install wrk")

    data_dir = tempfile.mkdtemp(prefix="clinic-bench-")
    env = site_environment(
        DATA_DIR=data_dir,
        DJANGO_DEBUG="false",
        BOOKING_RATE_LIMIT="0",
        BENCH_ADMIN_USER=ADMIN_USER,
        BENCH_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    wrk = wrk_load.Wrk(data_dir, wrk_load.REALTIME if realtime else (), accept_encoding)
    servers = []
    checks = []
    try:
        site = None
        if args.servers:
            bases = args.servers
            for base in bases:
                try:
                    status, _ = get(base + "/healthz")
                except OSError as error:
                    status = error
                if status != 200:
                    sys.exit(f"{base}/healthz answers {status}: is the app server running?")
            ceilings = [
                Server(f"ceiling-{n}", "ceiling:application", env, ROOT / "bench", args.workers)
                for n in range(1, len(bases) + 1)
            ]
            servers += ceilings
        else:
            prepare_data(env, args.large)
            site = Server("site", args.app, env, ROOT, args.workers)
            ceilings = [Server("ceiling", "ceiling:application", env, ROOT / "bench", args.workers)]
            servers += [site, *ceilings]
            site.wait_ready("/healthz")
            bases = [site.base]
        for ceiling in ceilings:
            ceiling.wait_ready()
        print(
            f"Site on {', '.join(bases)}, ceiling on {', '.join(c.base for c in ceilings)}"
            f" ({args.workers} workers each)"
        )
        pages = find_pages(bases[0])
        if args.pages:
            pages = [page for page in pages if page[0] in args.pages.split(",")]
        weight_check(bases[0], pages)
        if site is None:
            print("\nMemory: not measured (the servers were started elsewhere; see make bench)")
        elif not args.no_memory:
            memory_check(site, pages)
        targets = [("ceiling", [ceiling.base + "/" for ceiling in ceilings])]
        targets += [(label, [base + path for base in bases]) for label, path in pages]
        print(
            f"\nwrk: {len(targets)} targets x {len(levels)} levels x {args.repeats} runs"
            f" of {args.seconds} s, interleaved, each spread over {len(bases)} server(s),"
            " after a 1 s warm-up run of each"
        )
        results = wrk_load.measure(wrk, targets, levels, args.seconds, args.repeats)
        title = "Large data set" if args.large else "Demo content"
        if site is None:
            title += f" on {len(bases)} servers x {args.workers} workers"
        load = os.getloadavg()[0]
        wrk_load.print_table(
            f"{title} (medians of {args.repeats} runs; load avg {load:.1f})", pages, levels, results
        )
        checks = wrk_load.check_targets(results, levels)
        print("\nTargets")
        for verdict, text in checks:
            print(f"  {verdict}  {text}")
        if args.large:
            admin_list_time(site.base)
        if site is not None:
            site_requests = sum(
                r["requests"] for (label, _), r in results.items() if label != "ceiling"
            )
            rss = [f"{rss_kb(pid) / 1024:.1f} MB" for pid in site.worker_pids()]
            print(
                f"\nWorker RSS after the wrk runs (+{site_requests:,} requests): {', '.join(rss)}"
            )
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"Kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(1 if any(verdict == "FAIL" for verdict, _ in checks) else 0)


if __name__ == "__main__":
    main()
