"""Fixtures of the cluster tests: run only by `make test-cluster` (scripts/cluster.sh), which
starts the services and app servers and sets CLUSTER_SERVERS, CLUSTER_DIR and the site's variables.
tests/conftest.py leaves this folder out of every other run."""

import mailbox
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

ADMIN_USERNAME = "cluster-admin"
ADMIN_PASSWORD = "cluster-admin-password"


@pytest.fixture(scope="session")
def servers():
    first, second = os.environ["CLUSTER_SERVERS"].split(",")
    return first, second


@pytest.fixture(scope="session")
def cluster_dir():
    return Path(os.environ["CLUSTER_DIR"])


def control(action):
    """Stop or start a service under the running site: pg-stop, pg-start, redis-stop,
    redis-stop-keeping-data (as a production Redis with persistence restarts), redis-start."""
    subprocess.run(
        [Path(os.environ["CLUSTER_DIR"]) / "bin" / action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def sql(query, *params):
    """One query straight to the cluster's PostgreSQL (what the site stored, not what it says)."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(query, params).fetchall()


def delivered_mail():
    """Every message the SMTP sink has received so far."""
    return list(mailbox.Maildir(Path(os.environ["CLUSTER_DIR"]) / "mail", create=False))


def wait_until(predicate, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
