"""Staff sign-ins: how long they last, and the second factor they owe before anything staff-only.

- A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request, and STAFF_SESSION_MAX_HOURS
  after the password was given, however busy: a laptop left open at the front desk, or a stolen
  session cookie, does not keep the enquiry inbox open.
- A signed-in user who still owes the second factor (clinic.two_factor) is sent to it from every
  page but the two-factor pages themselves and sign-out.
Both look only at requests that carry a session cookie: visitors' pages never touch the session.
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from clinic.two_factor import needs_second_factor

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"


@receiver(user_logged_in, dispatch_uid="clinic.staff_sessions.signed_in")
def remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def _has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class StaffSessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_session(request) and request.user.is_authenticated:
            self._expire_or_touch(request)
        return self.get_response(request)

    def _expire_or_touch(self, request):
        session, now = request.session, time.time()
        signed_in = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.setdefault(LAST_SEEN_AT, now)
        idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
        if now - last_seen > idle_limit:
            reason = f"after {settings.STAFF_SESSION_IDLE_MINUTES} minutes without activity"
        elif now - signed_in > settings.STAFF_SESSION_MAX_HOURS * 3600:
            reason = f"{settings.STAFF_SESSION_MAX_HOURS} hours after you signed in"
        else:
            # Written at most once a minute: a session save per admin request is needless work.
            if now - last_seen >= 60:
                session[LAST_SEEN_AT] = now
            return
        logout(request)
        messages.info(request, f"You were signed out {reason}. Please sign in again.")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_session(request) and needs_second_factor(request):
            allowed = {
                reverse("two_factor:verify"),
                reverse("two_factor:setup"),
                reverse("admin:logout"),
            }
            if request.path not in allowed:
                url = reverse("two_factor:verify")
                if request.method == "GET":
                    url += f"?next={quote(request.get_full_path())}"
                return redirect(url)
        return self.get_response(request)
