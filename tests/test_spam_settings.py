import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.spam import RateLimit


@pytest.mark.parametrize("spec, expected", [("5/600", (5, 600)), (" 1/1 ", (1, 1)), ("0", (0, 0))])
def test_rate_limit_specs_parse(spec, expected):
    limit = RateLimit.parse(spec)

    assert (limit.count, limit.seconds) == expected


@pytest.mark.parametrize("spec", ["", "five", "5/", "5/0", "-1/60", "1/2/3"])
def test_a_bad_rate_limit_spec_names_the_setting(spec):
    with pytest.raises(ImproperlyConfigured, match="BOOKING_RATE_LIMIT"):
        RateLimit.parse(spec, "BOOKING_RATE_LIMIT")


def test_the_limit_counts_per_client_and_scope(db):
    limit = RateLimit.parse("2/600")

    assert limit.allow(scope="booking", ip_address="203.0.113.5")
    assert limit.allow(scope="booking", ip_address="203.0.113.5")
    assert not limit.allow(scope="booking", ip_address="203.0.113.5")
    assert limit.allow(scope="booking", ip_address="203.0.113.6")
    assert limit.allow(scope="stories", ip_address="203.0.113.5")


def test_no_raw_address_is_stored(db):
    from clinic.models import RateLimitHit

    RateLimit.parse("2/600").allow(scope="booking", ip_address="203.0.113.5")

    stored = RateLimitHit.objects.get()
    assert "203.0.113.5" not in stored.client_key
    assert len(stored.client_key) == 64
