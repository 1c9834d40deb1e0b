"""wrk runs of bench/load.py: one page on one server or spread over several, medians, the targets.

With several servers, ONE wrk process drives them all: `-t N` for N servers, and a Lua setup()
points each thread (and so its 1/N of the connections, kept alive) at its own server, as a load
balancer holding connections would. wrk records every response of every thread in one latency
histogram, so the req/s are the sum over the servers and p50/p99 are exact percentiles of all
responses together (two wrk processes could only give each server's percentiles, not theirs).
The Host header is the first server's: behind a load balancer every server sees one host name.
"""

import json
import shutil
import statistics
import subprocess
import urllib.parse
from pathlib import Path

# The targets: these pages keep at least FLOOR x the ceiling's req/s at every level and,
# at P99_CONNECTIONS, a p99 within P99_LIMIT x the ceiling's; with no errors.
TARGET_PAGES = ("home", "article", "stories")
FLOOR = 0.8
P99_CONNECTIONS = 32
P99_LIMIT = 2.0

WRK = shutil.which("wrk") or "/usr/bin/wrk"

# wrk shares the machine's cores with the servers; when the scheduler puts it aside, every
# response waiting for it is timed late. Run at real-time priority (where allowed), it is never
# put aside, so p99 is the site's latency and not the load generator's.
REALTIME = ("chrt", "--fifo", "10")


def realtime_allowed():
    try:
        return subprocess.run([*REALTIME, "true"], capture_output=True).returncode == 0
    except OSError:
        return False


# wrk prints its numbers as one JSON line, latencies in microseconds.
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "seconds": %f, "p50": %d, "p99": %d, "errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""

SPREAD = """
local servers = {%s}
local threads = 0
function setup(thread)
  local server = servers[threads %% #servers + 1]
  threads = threads + 1
  thread.addr = wrk.lookup(server[1], server[2])[1]
end
"""


def ratio(value, reference):
    return value / reference if reference else float("inf")


def lua_script(urls):
    """The Lua script for a wrk run over urls (one per server, same path): report, spread."""
    if len(urls) == 1:
        return REPORT
    servers = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        servers.append(f'{{"{parts.hostname}", "{port}"}}')
    return SPREAD % ", ".join(servers) + REPORT


class Wrk:
    """Runs wrk: prefix (e.g. REALTIME), headers sent, its Lua scripts written to script_dir."""

    def __init__(self, script_dir, prefix=(), accept_encoding="", executable=WRK):
        self.executable, self.script_dir = executable, Path(script_dir)
        self.prefix, self.accept_encoding = list(prefix), accept_encoding
        self.scripts = {}

    def script(self, urls):
        key = tuple(urllib.parse.urlsplit(url).netloc for url in urls)
        if key not in self.scripts:
            path = self.script_dir / f"wrk-{len(self.scripts)}.lua"
            path.write_text(lua_script(urls))
            self.scripts[key] = str(path)
        return self.scripts[key]

    def run(self, urls, connections, seconds):
        """One run spreading `connections` evenly over urls; req/s, p50/p99 (us), errors."""
        if connections % len(urls):
            raise ValueError(f"{connections} connections do not split over {len(urls)} servers")
        headers = ["-H", f"Accept-Encoding: {self.accept_encoding}"] if self.accept_encoding else []
        result = subprocess.run(
            [
                *self.prefix,
                self.executable,
                f"-t{len(urls)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                *headers,
                "-s",
                self.script(urls),
                urls[0],
            ],
            capture_output=True,
            text=True,
        )
        lines = [row for row in result.stdout.splitlines() if row.startswith("WRKJSON ")]
        if result.returncode or not lines:
            raise RuntimeError(f"wrk failed on {', '.join(urls)}: {result.stderr.strip()}")
        data = json.loads(lines[0].removeprefix("WRKJSON "))
        data["rps"] = data["requests"] / data["seconds"]
        return data


def measure(wrk, targets, connection_levels, seconds, repeats, warm_up_seconds=1):
    """targets: [(label, urls)]. Repeats are interleaved across targets; returns medians (ms).

    First one run per target is thrown away: a worker's first requests pay for imports,
    templates and connections, and without it that would fall on whichever page comes first."""
    for _, urls in targets:
        wrk.run(urls, max(connection_levels), warm_up_seconds)
    runs = {(label, c): [] for label, _ in targets for c in connection_levels}
    total = len(runs) * repeats
    done = 0
    for _ in range(repeats):
        for connections in connection_levels:
            for label, urls in targets:
                runs[label, connections].append(wrk.run(urls, connections, seconds))
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
    print(header + f" {'errors':>6} {'x ceiling':>9} {'p99 x ceil':>10}")
    print("-" * (len(header) + 28))
    for connections in connection_levels:
        ceiling = results["ceiling", connections]
        for label, path in [("ceiling", "(20 KB Django view)"), *pages]:
            r = results[label, connections]
            print(
                f"{label:<14} {path[:28]:<28} {connections:>5} {r['rps']:>8.0f} {r['p50']:>7.1f}"
                f" {r['p99']:>7.1f} {r['errors']:>6} {ratio(r['rps'], ceiling['rps']):>9.2f}"
                f" {ratio(r['p99'], ceiling['p99']):>10.2f}"
            )


def check_targets(results, connection_levels):
    """[(verdict, text)] for the issue's targets; verdict PASS, FAIL or SKIP (not measured)."""
    checks = []
    ceiling_errors = sum(results["ceiling", c]["errors"] for c in connection_levels)
    if ceiling_errors:
        checks.append(("FAIL", f"ceiling: {ceiling_errors} errors, no sound reference"))
    for label in TARGET_PAGES:
        measured = [c for c in connection_levels if (label, c) in results]
        if not measured:
            checks.append(("SKIP", f"{label}: not measured"))
            continue
        ratios = {
            c: ratio(results[label, c]["rps"], results["ceiling", c]["rps"]) for c in measured
        }
        errors = sum(results[label, c]["errors"] for c in measured)
        text = ", ".join(f"{ratios[c]:.2f}x at {c}" for c in measured)
        passed = min(ratios.values()) >= FLOOR and not errors
        checks.append(
            (
                "PASS" if passed else "FAIL",
                f"{label}: req/s {text} connections (at least {FLOOR}x the ceiling);"
                f" {errors} errors",
            )
        )
        if P99_CONNECTIONS not in measured:
            checks.append(("SKIP", f"{label}: p99 at {P99_CONNECTIONS} connections not measured"))
            continue
        page = results[label, P99_CONNECTIONS]["p99"]
        ceiling = results["ceiling", P99_CONNECTIONS]["p99"]
        p99_ratio = ratio(page, ceiling)
        checks.append(
            (
                "PASS" if p99_ratio <= P99_LIMIT else "FAIL",
                f"{label}: p99 at {P99_CONNECTIONS} connections {page:.1f} ms, {p99_ratio:.2f}x the"
                f" ceiling's {ceiling:.1f} ms (at most {P99_LIMIT:g}x)",
            )
        )
    return checks
