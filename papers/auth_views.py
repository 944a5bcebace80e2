"""Sign-in and sign-out on the public site, and the plain "you do not have access" page.

Sign-in is Django's own LoginView (so django-axes counts failures and locks out), styled like
the site; it returns to ``next`` when that is a safe address on this site.
"""

from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib.auth import views as auth_views
from django.http import HttpResponseForbidden
from django.shortcuts import render, resolve_url
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from wagtail.admin.views.account import AccountView as WagtailAccountView
from wagtail.admin.views.account import LogoutView as WagtailLogoutView
from wagtail.admin.views.account import NameEmailSettingsPanel

NO_ACCESS_TEMPLATES = ["403.html", "papers/registration/no_access.html"]


class SignInView(auth_views.LoginView):
    template_name = "papers/registration/login.html"
    redirect_authenticated_user = False


class SignOutView(auth_views.LogoutView):
    """GET asks to confirm (signing out changes state, so it is a POST); POST signs out."""

    template_name = "papers/registration/logout.html"
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"next": self.safe_next(request)})

    def safe_next(self, request):
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return resolve_url("/")


class AdminSignOutView(WagtailLogoutView):
    """Wagtail's admin sign-out, for POST only.

    Wagtail's view answers a GET with 405 but still deletes the session cookie on the way out,
    so a link or image pointing at /admin/logout/ signed an officer out. Any other method is
    refused here before Wagtail's view runs, leaving the session as it was (OPTIONS too,
    which Wagtail's view would also answer by deleting the cookie).
    """

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class AdminAccountView(WagtailAccountView):
    """Wagtail's account settings without the name and email panel, except for administrators.

    Names and emails of people with admin access appear in history, comments and emails, so an
    officer must not be able to take the Chair's name or address; administrators set them in
    Users. A name or email posted here by anyone else is ignored (the panel is not there).
    """

    def get_panels(self):
        panels = super().get_panels()
        if self.request.user.is_superuser:
            return panels
        return [panel for panel in panels if not isinstance(panel, NameEmailSettingsPanel)]


@never_cache
def permission_denied(request, exception=None):
    """The 403 for a signed-in visitor: says nothing about what they asked for."""
    template = loader.select_template(NO_ACCESS_TEMPLATES)
    return HttpResponseForbidden(template.render({}, request))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once too many sign-ins have failed: a page in the site's style."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    response = render(
        request,
        axes_settings.AXES_LOCKOUT_TEMPLATE,
        context,
        status=axes_settings.AXES_HTTP_RESPONSE_CODE,
    )
    add_never_cache_headers(response)
    return response
