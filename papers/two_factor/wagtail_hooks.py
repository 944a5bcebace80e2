from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .admin_views import ResetTwoFactorView, can_manage_users


@hooks.register("register_admin_urls")
def two_factor_admin_urls():
    return [
        path(
            "two-factor/reset/<int:user_id>/",
            ResetTwoFactorView.as_view(),
            name="two_factor_reset",
        )
    ]


@hooks.register("register_user_listing_buttons")
def reset_two_factor_button(user, request_user):
    if can_manage_users(request_user):
        yield Button(
            "Reset two-factor sign-in",
            url=reverse("two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_account"),
        "label": "Two-factor sign-in",
        "help_text": "Your authenticator app and recovery codes.",
    }
