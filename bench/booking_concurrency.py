"""Concurrency benchmark for the booking form: no enquiry may be lost under load.

Starts gunicorn (4 workers) on a throw-away SQLite database, then 64 concurrent clients send 500
valid enquiries. Each client does what a browser does: GET the form (CSRF cookie and token, signed
start time), waits out the form's minimum fill time (FORM_MIN_SECONDS_TO_FILL, 3 s), then POSTs,
asking for JSON as the page's script does so that success is a 200. Prints requests sent, 2xx
responses and rows stored: all three must be equal (exit status 1 otherwise).

    .venv/bin/python bench/booking_concurrency.py [--enquiries 500] [--clients 64] [--workers 4]
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The site's time trap (settings.FORM_MIN_SECONDS_TO_FILL), which each client waits out as a person would.
MIN_SECONDS_TO_FILL = int(os.environ.get("FORM_MIN_SECONDS_TO_FILL", "3"))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="form_started" value="([^"]+)"')
SERVICE = re.compile(r'<option value="([a-z0-9-]+)">')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def one_client(base, number, results, lock):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{base}/book/", timeout=60).read().decode()
    time.sleep(MIN_SECONDS_TO_FILL + 0.25)
    data = {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1),
        "form_started": STARTED.search(page).group(1),
        "name": f"Bench Patient {number}",
        "email": f"bench{number}@example.com",
        "phone": f"0412 {number % 1000:03d} {number % 997:03d}",
        "contact_method": "either",
        "patient_type": "new",
        "service": SERVICE.search(page).group(1),
        "preferred_days": "mon",
        "message": f"Benchmark enquiry {number}",
        "consent": "on",
        "website": "",
    }
    request = urllib.request.Request(
        f"{base}/book/",
        data=urllib.parse.urlencode(data).encode(),
        headers={"Accept": "application/json", "Referer": f"{base}/book/"},
    )
    started = time.perf_counter()
    try:
        status = opener.open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = f"error: {error}"
    elapsed = time.perf_counter() - started
    with lock:
        results.append((status, elapsed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enquiries", type=int, default=500)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="booking-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DATA_DIR": str(data_dir),
        "BOOKING_RATE_LIMIT": "0",
        "FORM_MIN_SECONDS_TO_FILL": str(MIN_SECONDS_TO_FILL),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": "",
        "EMAIL_HOST": "",
        "LOG_LEVEL": "WARNING",
    }

    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput"],
        ["load_demo_content"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [*manage, *command, "-v0"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    # The task worker runs too, as under `make run`: its writes compete for the same database.
    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-startup-delay", "-v0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")

        results, lock = [], threading.Lock()
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            futures = [
                pool.submit(one_client, base, number, results, lock)
                for number in range(args.enquiries)
            ]
            failures = [f.exception() for f in futures if f.exception()]
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=30)

    with sqlite3.connect(data_dir / "db.sqlite3") as db:
        rows = db.execute("SELECT COUNT(*) FROM booking_enquiry WHERE status = 'new'").fetchone()[0]
        spam_rows = db.execute(
            "SELECT COUNT(*) FROM booking_enquiry WHERE status = 'spam'"
        ).fetchone()[0]
        notifications = db.execute("SELECT COUNT(*) FROM booking_notification").fetchone()[0]
        delivered = db.execute(
            "SELECT COUNT(*) FROM booking_notification WHERE status = 'sent'"
        ).fetchone()[0]
        tasks = db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult").fetchone()[0]
    shutil.rmtree(data_dir, ignore_errors=True)

    sent = len(results)
    ok = sum(1 for status, _ in results if isinstance(status, int) and 200 <= status < 300)
    other = sorted({str(status) for status, _ in results if status != 200})
    latencies = sorted(elapsed for _, elapsed in results)
    print(f"clients {args.clients}, gunicorn workers {args.workers}, SQLite (WAL)")
    print(f"requests sent    {sent}")
    print(f"2xx responses    {ok}")
    print(f"rows stored      {rows}  (spam rows {spam_rows})")
    print(f"notifications    {notifications}  (tasks queued {tasks}, sent so far {delivered})")
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"POST latency     median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
    print(
        f"wall time        {wall:.1f} s (includes each client's {MIN_SECONDS_TO_FILL}s fill time)"
    )
    if other or failures:
        print(f"other outcomes   {other} {failures[:3]}")
    equal = sent == ok == rows == args.enquiries and notifications == tasks == 2 * rows
    print("RESULT", "OK: all equal" if equal else "MISMATCH")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
