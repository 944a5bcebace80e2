"""The second step of signing in, and each person's own two-factor page (enrolment, recovery
codes, and turning it off for those who opted in). Styled like the public site; no inline
script or style (the site's Content Security Policy)."""

import re
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import user_has_device

from . import policy


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        error_messages={"required": "Enter the 6-digit code from your app, or a recovery code"},
    )


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def home_for(user):
    return "wagtailadmin_home" if policy.has_admin_access(user) else "/"


def qr_svg(text):
    """The QR code as inline SVG markup (made here: the secret never leaves the server)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1))


def grouped_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def verified(request, device):
    """Record the second factor in the session, under a new session key (the session has just
    gained rights, as at sign-in)."""
    django_otp.login(request, device)
    request.session.cycle_key()


@method_decorator(never_cache, name="dispatch")
class VerifyView(LoginRequiredMixin, View):
    """Step two: a code from the authenticator app, or one of the recovery codes."""

    template_name = "two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(safe_next(request, home_for(request.user)))
            if not user_has_device(request.user, confirmed=True):
                return redirect("two_factor_account")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = policy.match_code(request.user, form.cleaned_data["code"])
            if device is not None:
                verified(request, device)
                return redirect(safe_next(request, home_for(request.user)))
            form.add_error(
                "code",
                "That code did not work. Codes change every 30 seconds: enter the one your app "
                "shows now, or a recovery code. After several wrong codes you must wait a little "
                "longer before each try.",
            )
        return self.show(request, form, status=200)

    def show(self, request, form, status=200):
        context = {"form": form, "next": safe_next(request, home_for(request.user))}
        return render(request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class AccountView(LoginRequiredMixin, View):
    """Set up two-factor sign-in, see how many recovery codes are left, make new ones, or (for
    those who opted in) turn it off. Changes to a working set-up need a verified session."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and user_has_device(user, confirmed=True)
            and not user.is_verified()
        ):
            return redirect(f"{resolve_url('two_factor_verify')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if user_has_device(request.user, confirmed=True):
            return self.status(request)
        return self.enrol(request, CodeForm())

    def post(self, request):
        user = request.user
        action = request.POST.get("action")
        if not user_has_device(user, confirmed=True):
            return self.confirm(request)
        if action == "new-codes":
            return self.show_codes(request, policy.new_recovery_codes(user), replaced=True)
        if action == "turn-off" and not policy.has_admin_access(user):
            policy.remove_devices(user)
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            return render(request, "two_factor/turned_off.html")
        return self.status(request)

    def status(self, request):
        context = {
            "codes_left": policy.recovery_codes_left(request.user),
            "can_turn_off": not policy.has_admin_access(request.user),
        }
        return render(request, "two_factor/account.html", context)

    def enrol(self, request, form):
        device = policy.pending_app_device(request.user)
        context = {
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": grouped_secret(device),
            "required": policy.has_admin_access(request.user),
            "next": safe_next(request, home_for(request.user)),
        }
        return render(request, "two_factor/enrol.html", context)

    def confirm(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = policy.pending_app_device(request.user)
            code = "".join(form.cleaned_data["code"].split())
            if device.verify_token(code):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = policy.new_recovery_codes(request.user)
                verified(request, device)
                return self.show_codes(request, codes)
            form.add_error(
                "code",
                "That code did not work. Check that you added the key shown here, and enter "
                "the 6-digit code your app shows now.",
            )
        return self.enrol(request, form)

    def show_codes(self, request, codes, replaced=False):
        context = {
            "codes": codes,
            "replaced": replaced,
            "next": safe_next(request, home_for(request.user)),
        }
        return render(request, "two_factor/recovery_codes.html", context)
