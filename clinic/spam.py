"""Spam defences shared by the public forms (booking enquiries, patient stories).

No CAPTCHA: they hurt accessibility. Instead:
- a honeypot field that people never see (hidden from sight and from assistive technology),
- a signed timestamp: a form sent within seconds of being shown was sent by a script,
- a per-client rate limit kept in the database, so every worker process shares it, keyed by a
  keyed hash of the client address so no raw IP address is ever stored.

Forms mix in `SpamCheckedForm` and read `form.spam_reason` after validation; spam is not a form
error, so the caller can store it marked as spam instead of dropping it.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from clinic import page_cache

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_started"
TIMESTAMP_SALT = "clinic.spam.form-started"


def new_timestamp(request=None):
    return signing.dumps(time.time(), salt=TIMESTAMP_SALT)


# A form page kept in the page cache gets a fresh timestamp in every response, not the one it
# was rendered with (which would make every later post look slow, and a bot's look human).
page_cache.register_fresh_value(TIMESTAMP_FIELD, new_timestamp)


class SpamCheckedForm(forms.Form):
    """Adds the honeypot and the signed timestamp to a form; see `spam_reason`."""

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[TIMESTAMP_FIELD] = page_cache.fresh_value(TIMESTAMP_FIELD)

    @property
    def spam_reason(self):
        """Why this submission looks automated ('honeypot', 'too_fast', 'bad_timestamp'), or None."""
        data = self.data
        if data.get(HONEYPOT_FIELD, "").strip():
            return "honeypot"
        try:
            started = float(signing.loads(data.get(TIMESTAMP_FIELD, ""), salt=TIMESTAMP_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return "bad_timestamp"
        if time.time() - started < settings.FORM_MIN_SECONDS_TO_FILL:
            return "too_fast"
        return None


def submitted_text(form, name, limit):
    """What a post sent for `name`, as text that can be stored: the cleaned value when there is
    one, else the raw one (spam is kept for review even when it does not validate), without NUL
    bytes (PostgreSQL refuses them) and cut to `limit` characters."""
    value = getattr(form, "cleaned_data", {}).get(name)
    if not isinstance(value, str):
        value = form.data.get(name, "")
    return str(value).replace("\x00", "")[:limit]


def client_ip(request):
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, read from X-Forwarded-For."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(ip_address):
    """A keyed hash of the address: stable enough to count with, useless to anyone who reads it."""
    return hmac.new(settings.SECRET_KEY.encode(), ip_address.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RateLimit:
    """At most `count` submissions per client in `seconds`; `count == 0` turns the limit off."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, spec, setting_name="rate limit"):
        text = str(spec).strip()
        if text == "0":
            return cls(0, 0)
        try:
            count, seconds = (int(part) for part in text.split("/"))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting_name} must look like '5/600' (5 per 600 seconds) or '0', not {spec!r}."
            ) from None
        if count < 1 or seconds < 1:
            raise ImproperlyConfigured(f"{setting_name} needs positive numbers, not {spec!r}.")
        return cls(count, seconds)

    @property
    def enabled(self):
        return self.count > 0

    def allow(self, *, scope, ip_address):
        """Record one attempt for this client and say whether it is within the limit."""
        return self.allow_for(scope=scope, identity=ip_address)

    def allow_for(self, *, scope, identity):
        """Record one attempt by `identity` (a client address, a normalised email address…) and
        say whether it is within the limit. Only a keyed hash of `identity` is stored."""
        from clinic.models import RateLimitHit

        if not self.enabled:
            return True
        key = client_key(identity)
        now = timezone.now()
        window_start = now - timedelta(seconds=self.seconds)
        with transaction.atomic():
            RateLimitHit.objects.filter(scope=scope, created_at__lt=window_start).delete()
            recent = RateLimitHit.objects.filter(scope=scope, client_key=key).count()
            if recent >= self.count:
                return False
            RateLimitHit.objects.create(scope=scope, client_key=key, created_at=now)
        return True


@dataclass
class RateLimited(Exception):
    """A form's sender is over its rate limit; nothing was stored. Raised by the apps' services."""

    limit: RateLimit
