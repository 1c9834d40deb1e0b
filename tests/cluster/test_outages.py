"""Redis or PostgreSQL going away under the running site, and coming back."""

import os
import secrets
import threading
import time

import redis

from tests.cluster.conftest import control, sql, wait_until
from tests.cluster.editing import ServiceEdit, assert_an_edit_shows_at_once_on_the_other
from tests.cluster.enquiries import (
    FILL_SECONDS,
    FormNotShown,
    fill_in,
    mail_about,
    send_enquiry,
    stored_emails,
)
from tests.cluster.http_client import Visitor

PAGES = ["/", "/services/", "/about/", "/blog/", "/stories/", "/book/"]


def cached_keys():
    return redis.Redis.from_url(os.environ["CACHE_URL"]).dbsize()


def test_pages_are_served_while_redis_is_down_and_cached_again_when_it_is_back(servers):
    for server in servers:
        for path in PAGES:
            assert Visitor(server).get(path).status == 200
    assert cached_keys() > 0

    control("redis-stop")
    try:
        for server in servers:
            for path in PAGES:
                response = Visitor(server).get(path)
                assert response.status == 200, (server, path, response.status)
                assert "Westside" in response.text
        email = f"redis-down-{secrets.token_hex(3)}@example.com"
        assert send_enquiry(servers[0], email, "192.0.2.31").status == 200
        assert stored_emails(email) == [email]
    finally:
        control("redis-start")
    assert cached_keys() == 0

    # After the backend's retry pause, pages are cached again.
    def cached_again():
        for server in servers:
            Visitor(server).get("/")
        return cached_keys() > 0

    assert wait_until(cached_again, timeout=30, interval=1)
    # Each server hears of new content versions again: an edit still shows at once on the other.
    assert_an_edit_shows_at_once_on_the_other(*servers)


def test_an_edit_saved_while_redis_restarts_with_its_data_shows_on_both_servers(servers):
    """Redis comes back with what it held: the old content version and the pages stored under
    it. The edit saved meanwhile could not store a new version; both servers show it anyway."""
    edit = ServiceEdit(servers[0])
    for server in servers:
        for _ in range(2):  # stored, then served stored
            assert not edit.shown_by(server)

    control("redis-stop-keeping-data")
    try:
        edit.save()
    finally:
        control("redis-start")

    for server in servers:
        assert edit.shown_by(server), server


class Traffic(threading.Thread):
    """Enquiries sent one after another while the database goes down and comes back."""

    def __init__(self, servers, name):
        super().__init__(daemon=True)
        self.servers, self.name_prefix = servers, name
        self.outcomes = []  # (email, status)
        self.running = True

    def run(self):
        number = 0
        while self.running:
            email = f"{self.name_prefix}-{number}@example.com"
            address = f"203.0.{number // 200 + 1}.{number % 200 + 1}"
            try:
                status = send_enquiry(self.servers[number % 2], email, address).status
            except FormNotShown as error:  # the form page failed too: nothing was sent
                status = error.status
            self.outcomes.append((email, status))
            number += 1


def test_enquiries_during_a_database_restart_get_a_call_us_page_and_none_is_lost(servers):
    phone = sql("SELECT phone FROM clinic_clinic")[0][0]
    run = f"pg-{secrets.token_hex(3)}"
    traffic = [Traffic(servers, f"{run}-t{number}") for number in range(4)]
    for thread in traffic:
        thread.start()
    time.sleep(FILL_SECONDS * 2)
    # Forms filled in before the outage, sent while it lasts.
    during = [
        fill_in(server, f"{run}-down-{number}@example.com", f"203.0.113.{number + 100}")
        for number, server in enumerate(servers)
    ]

    control("pg-stop")
    try:
        time.sleep(FILL_SECONDS)
        for visitor, data in during:
            response = visitor.post("/book/", data)
            assert response.status == 503
            assert "please call us" in response.text.lower()
            assert phone in response.text
        time.sleep(3)
    finally:
        control("pg-start")

    # Back without restarting anything: both servers take enquiries again.
    after = [f"{run}-after-{number}@example.com" for number, _ in enumerate(servers)]

    def recovered():
        return all(
            send_enquiry(server, email, f"203.0.113.{number + 120}").status == 200
            for number, (server, email) in enumerate(zip(servers, after, strict=True))
            if not stored_emails(email)
        )

    assert wait_until(recovered, timeout=60, interval=1)
    time.sleep(FILL_SECONDS * 2)
    for thread in traffic:
        thread.running = False
    for thread in traffic:
        thread.join(timeout=60)

    outcomes = [outcome for thread in traffic for outcome in thread.outcomes]
    thanked = {email for email, status in outcomes if status == 200}
    assert {status for _, status in outcomes} <= {200, 503}, outcomes
    assert 503 in {status for _, status in outcomes}
    assert thanked and thanked <= set(stored_emails(f"{run}-%"))

    # The task worker came through the outage too: the new enquiries' emails go out.
    def mailed():
        patients, staff = mail_about(set(after))
        return len(patients) == len(after) and len(staff) == len(after)

    assert wait_until(mailed, timeout=120, interval=2)
