"""Finding 3: behind a proxy, the admin lockout counts the real client, not the proxy."""

import pytest
from django.test import Client

PROXY = "10.0.0.2"
ATTACKER, STAFF_MEMBER = "203.0.113.66", "198.51.100.7"


def sign_in(client, client_address, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_wrong_passwords_from_one_client_do_not_lock_out_another(behind_one_proxy, staff_user):
    attacker = Client()
    for _attempt in range(6):
        sign_in(attacker, ATTACKER, "wrong")
    assert sign_in(attacker, ATTACKER, "correct-horse-battery").status_code == 429

    response = sign_in(Client(), STAFF_MEMBER, "correct-horse-battery")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_forged_forwarded_address_does_not_escape_the_lockout(behind_one_proxy, staff_user):
    attacker = Client()
    for attempt in range(6):
        # The proxy appends the address it saw; whatever the client wrote before it is ignored.
        sign_in(attacker, f"192.0.2.{attempt}, {ATTACKER}", "wrong")

    response = sign_in(attacker, f"192.0.2.99, {ATTACKER}", "correct-horse-battery")

    assert response.status_code == 429
