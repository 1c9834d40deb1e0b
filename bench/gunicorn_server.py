"""A gunicorn server on a free loopback port, started and stopped by a benchmark script."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def site_environment(**overrides):
    """This process's environment without the variables that would point a benchmark's site at the
    developer's database, cache or settings, plus `overrides`."""
    ignored = {"DATABASE_URL", "CACHE_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(overrides)
    return env


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
