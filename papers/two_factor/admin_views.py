"""An administrator resets a person's lost two-factor device from the Wagtail admin (Users)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from django_otp import devices_for_user
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import policy


def can_manage_users(user):
    meta = get_user_model()._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


class ResetTwoFactorView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "two_factor/admin_reset.html"
    page_title = "Reset two-factor sign-in"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_users(request.user):
            raise PermissionDenied
        self.person = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.get_username()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailusers_users:index"), "label": "Users"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["devices"] = list(devices_for_user(self.person, confirmed=None))
        context["users_url"] = reverse("wagtailusers_users:index")
        return context

    def post(self, request, *args, **kwargs):
        removed = policy.remove_devices(self.person)
        messages.success(
            request,
            f"Two-factor sign-in reset for {self.person.get_username()} ({removed} device(s) "
            "removed). They set up a new authenticator at their next sign-in.",
        )
        return redirect("wagtailusers_users:index")
