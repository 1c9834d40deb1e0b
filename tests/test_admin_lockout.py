"""The admin lockout counts per client address, read behind a proxy as the forms read it."""

import pytest

PASSWORD = "correct-horse-battery"


def log_in(client, address, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": password},
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_wrong_passwords_from_one_address_lock_out_that_address_only(
    client, staff_user, behind_one_proxy, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "192.0.2.1", "wrong").status_code == 200
    assert log_in(client, "192.0.2.1", "wrong").status_code == 429  # the last one allowed

    locked = log_in(client, "192.0.2.1", PASSWORD)
    assert locked.status_code == 429
    # Everyone else behind the same proxy still gets in.
    assert log_in(client, "192.0.2.2", PASSWORD).status_code == 302
