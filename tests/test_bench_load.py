"""bench/wrk_load.py: wrk spreads a run over several servers; the issue's targets are checked."""

import importlib.util
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wrk_load():
    path = Path(__file__).resolve().parent.parent / "bench" / "wrk_load.py"
    spec = importlib.util.spec_from_file_location("bench_wrk_load", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's clients and wrk use it

    def do_GET(self):
        self.server.clients.add(self.client_address)
        self.server.hits.append(self.path)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_servers():
    servers = []
    for _ in range(2):
        server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
        server.clients, server.hits = set(), []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(not shutil.which("wrk"), reason="needs Debian's wrk")
@pytest.mark.parametrize("count", [1, 2])
def test_a_run_spreads_its_connections_over_the_servers(wrk_load, http_servers, tmp_path, count):
    servers = http_servers[:count]
    urls = [f"http://127.0.0.1:{server.server_port}/page/" for server in servers]

    result = wrk_load.Wrk(tmp_path).run(urls, connections=4, seconds=1)

    for server in servers:
        assert len(server.clients) == 4 // count
        assert server.hits and set(server.hits) == {"/page/"}
    assert result["errors"] == result["non2xx"] == 0
    # Every response of every server is counted once (wrk may stop with requests in flight).
    assert 0 < result["requests"] <= sum(len(server.hits) for server in servers)
    assert result["rps"] == pytest.approx(result["requests"] / result["seconds"])


def test_connections_must_split_evenly(wrk_load, tmp_path):
    urls = ["http://127.0.0.1:1/", "http://127.0.0.1:2/"]

    with pytest.raises(ValueError, match="do not split"):
        wrk_load.Wrk(tmp_path).run(urls, connections=5, seconds=1)


def measured(rps=1000.0, p99=10.0, errors=0, levels=(8, 32), pages=("home", "article", "stories")):
    """Results as measure() returns them, the ceiling at 1,000 req/s and a 10 ms p99."""
    results = {}
    for connections in levels:
        results["ceiling", connections] = {"rps": 1000.0, "p99": 10.0, "errors": 0}
        for label in pages:
            results[label, connections] = {"rps": rps, "p99": p99, "errors": errors}
    return results


def verdicts(checks):
    return [verdict for verdict, _ in checks]


def test_pages_at_the_limits_pass(wrk_load):
    checks = wrk_load.check_targets(measured(rps=800.0, p99=20.0), [8, 32])

    assert verdicts(checks) == ["PASS"] * 6
    assert checks[0][1] == (
        "home: req/s 0.80x at 8, 0.80x at 32 connections (at least 0.8x the ceiling); 0 errors"
    )
    assert checks[1][1] == (
        "home: p99 at 32 connections 20.0 ms, 2.00x the ceiling's 10.0 ms (at most 2x)"
    )


def test_slower_than_the_floor_fails(wrk_load):
    results = measured()
    results["stories", 32]["rps"] = 790.0

    checks = wrk_load.check_targets(results, [8, 32])

    assert verdicts(checks) == ["PASS", "PASS", "PASS", "PASS", "FAIL", "PASS"]
    assert "0.79x at 32" in checks[4][1]


def test_p99_over_twice_the_ceilings_fails(wrk_load):
    checks = wrk_load.check_targets(measured(p99=20.1), [8, 32])

    assert verdicts(checks) == ["PASS", "FAIL"] * 3


def test_errors_fail_even_when_fast(wrk_load):
    checks = wrk_load.check_targets(measured(rps=5000.0, p99=1.0, errors=3), [8, 32])

    assert verdicts(checks) == ["FAIL", "PASS"] * 3
    assert checks[0][1].endswith("6 errors")


def test_errors_of_the_ceiling_fail(wrk_load):
    results = measured()
    results["ceiling", 8]["errors"] = 2

    checks = wrk_load.check_targets(results, [8, 32])

    assert checks[0] == ("FAIL", "ceiling: 2 errors, no sound reference")


def test_what_was_not_measured_is_said(wrk_load):
    results = measured(levels=(8,), pages=("home", "stories"))

    checks = wrk_load.check_targets(results, [8])

    assert checks == [
        ("PASS", "home: req/s 1.00x at 8 connections (at least 0.8x the ceiling); 0 errors"),
        ("SKIP", "home: p99 at 32 connections not measured"),
        ("SKIP", "article: not measured"),
        ("PASS", "stories: req/s 1.00x at 8 connections (at least 0.8x the ceiling); 0 errors"),
        ("SKIP", "stories: p99 at 32 connections not measured"),
    ]
