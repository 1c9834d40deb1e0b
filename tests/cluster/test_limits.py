"""The admin lockout and the booking form's rate limit count across both app servers."""

import secrets
import time

from tests.cluster.conftest import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.cluster.enquiries import FILL_SECONDS, fill_in, send
from tests.cluster.http_client import Visitor

BOOKING_LIMIT = 5  # BOOKING_RATE_LIMIT's default, "5/600"
LOGIN_FAILURE_LIMIT = 5  # AXES_FAILURE_LIMIT's default


def test_the_booking_rate_limit_counts_enquiries_sent_to_either_server(servers):
    address = f"192.0.2.{secrets.randbelow(200) + 20}"
    forms = [
        fill_in(servers[number % 2], f"limit-{number}@example.com", address)
        for number in range(BOOKING_LIMIT + 2)
    ]
    time.sleep(FILL_SECONDS)

    statuses = [send(visitor, data).status for visitor, data in forms]

    assert statuses == [200] * BOOKING_LIMIT + [429, 429]


def test_the_admin_lockout_counts_failed_logins_on_either_server(servers):
    address = "192.0.2.250"
    for attempt in range(LOGIN_FAILURE_LIMIT - 1):
        failed = Visitor(servers[attempt % 2], address).log_in(ADMIN_USERNAME, "wrong-password")
        assert failed.status == 200 and "Please enter the correct username" in failed.text
    # The last failure allowed, on the other server: locked out from then on.
    last = Visitor(servers[1], address).log_in(ADMIN_USERNAME, "wrong-password")
    assert last.status == 429

    for server in servers:
        # The right password now: locked out on both servers.
        locked = Visitor(server, address).log_in(ADMIN_USERNAME, ADMIN_PASSWORD)
        assert locked.status != 302
        assert "locked" in locked.text.lower()
    # Another address is not affected.
    assert Visitor(servers[0], "192.0.2.251").log_in(ADMIN_USERNAME, ADMIN_PASSWORD).status == 302
