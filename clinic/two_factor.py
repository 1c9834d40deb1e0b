"""Two-factor sign-in for staff (django-otp): an authenticator app (TOTP) plus recovery codes.

The admin's own login page checks the password (and django-axes counts failures); then a staff
member who owes a second factor is sent to one page, and nothing else is served to them:
- with an authenticator set up: "verify", which takes a code from the app or a recovery code;
- without one: "setup", which shows a QR code (an SVG data image: no script, so the strict CSP
  holds), confirms it with a first code and then shows ten single-use recovery codes, once.
Required for everyone when STAFF_TWO_FACTOR_REQUIRED (on in production); anyone who has set up an
authenticator is asked for a code whatever the setting.
"""

from base64 import b32encode
from urllib.parse import quote

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
VERIFY_HELP = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


# Whether the user had set up an authenticator when they signed in: kept in the session so that
# where two factors are optional, pages do not look for devices on every request.
ENROLLED_AT_SIGN_IN = "two_factor_enrolled"


@receiver(user_logged_in, dispatch_uid="clinic.two_factor.signed_in")
def remember_enrolment(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_AT_SIGN_IN] = user_has_device(user)


def needs_second_factor(request):
    """Whether this signed-in user must give a code before reaching anything staff-only."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return settings.STAFF_TWO_FACTOR_REQUIRED or request.session.get(ENROLLED_AT_SIGN_IN, False)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _signed_in_only(view):
    """Signed in with a password (staff), whether or not the second factor is given yet."""
    return never_cache(staff_member_required(view, login_url="admin:login"))


@_signed_in_only
@require_http_methods(["GET", "POST"])
def verify(request):
    if not needs_second_factor(request):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('two_factor:setup')}?next={quote(_next_url(request))}")
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = VERIFY_HELP
    if form.is_valid():
        device = _device_accepting(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"Recovery code used: {left} left.")
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right, or has been used. Try the next one.")
    return render(
        request,
        "admin/two_factor/verify.html",
        {"form": form, "next": _next_url(request), "title": "Enter your sign-in code"},
    )


def _device_accepting(user, code):
    # Six digits go to the app, anything else to the (8-character) recovery codes, so that a
    # mistyped code slows down (throttles) only the device it was meant for.
    wanted = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    # for_verify locks the devices (select_for_update), so two requests cannot both use one
    # recovery code or replay one app code: that needs a transaction (PostgreSQL insists).
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if isinstance(device, wanted) and device.verify_token(code):
                return device
    return None


@_signed_in_only
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up an authenticator app: scan, confirm with a first code, get recovery codes."""
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        if needs_second_factor(request):
            return redirect(reverse("two_factor:verify"))
        messages.info(request, "Your authenticator app is already set up.")
        return redirect(reverse("admin:index"))
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            request.session[ENROLLED_AT_SIGN_IN] = True
            return _show_recovery_codes(request, codes)
        form.add_error("code", "That code is not right. Check the app shows this account.")
    qr_code = segno.make(device.config_url, error="m")
    width, height = qr_code.symbol_size(scale=5)
    return render(
        request,
        "admin/two_factor/setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "title": "Set up two-factor sign-in",
            "qr_code": qr_code.svg_data_uri(scale=5),
            "qr_width": width,
            "qr_height": height,
            "secret": _grouped(b32encode(device.bin_key).decode()),
        },
    )


def _grouped(secret):
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _new_recovery_codes(user):
    """Replace the user's recovery codes with new ones; returns them (shown once, never again)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _show_recovery_codes(request, codes):
    return render(
        request,
        "admin/two_factor/recovery_codes.html",
        {"codes": codes, "next": _next_url(request), "title": "Your recovery codes"},
    )


@_signed_in_only
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New recovery codes for a verified user (the old ones stop working)."""
    if needs_second_factor(request):
        return redirect(reverse("two_factor:verify"))
    if request.method == "POST":
        return _show_recovery_codes(request, _new_recovery_codes(request.user))
    return render(
        request,
        "admin/two_factor/recovery_codes.html",
        {
            "codes": None,
            "has_app": TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists(),
            "title": "Two-factor sign-in",
            "next": reverse("admin:index"),
        },
    )
