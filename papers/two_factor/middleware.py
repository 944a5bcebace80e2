"""Hold a password-only session at the second step until it gives a code.

Runs after django-otp's OTPMiddleware (which sets ``request.user.is_verified()``). For a user
who needs a second factor and has not given one in this session, every address answers with
the verification step (or enrolment, when they have no device yet), except the steps
themselves and signing out. The admin API answers 403 instead of a redirect. Being middleware,
it covers every admin URL, including ones added by hooks or by later Wagtail releases.
"""

from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .policy import needs_second_factor

# Reachable without the second factor: the two steps, and signing in or out.
OPEN_URL_NAMES = [
    "two_factor_verify",
    "two_factor_account",
    "login",
    "logout",
    "wagtailadmin_logout",
]


@cache
def open_paths():
    return frozenset(reverse(name) for name in OPEN_URL_NAMES)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.is_open(request.path)
            and needs_second_factor(user)
        ):
            return self.hold(request, user)
        return self.get_response(request)

    def is_open(self, path):
        return path.startswith(settings.STATIC_URL) or path in open_paths()

    def hold(self, request, user):
        if request.path.startswith(reverse("wagtailadmin_home") + "api/"):
            return JsonResponse(
                {
                    "message": f"Two-factor sign-in required: give your code at {reverse('two_factor_verify')}"
                },
                status=403,
            )
        step = (
            "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_account"
        )
        url = reverse(step)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
