"""The add-on's replacements for two of Wagtail's admin views, for a site to put *before*
``path("admin/", include(wagtail.admin.urls))``::

    path("admin/", include("papers.admin_urls")),
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from .auth_views import AdminAccountView, AdminSignOutView

urlpatterns = [
    # Wagtail's own sign-out deletes the session cookie even on a refused GET.
    path("logout/", AdminSignOutView.as_view(), name="wagtailadmin_logout"),
    # Names and emails of admin accounts are set by administrators only.
    path(
        "account/",
        require_admin_access(AdminAccountView.as_view()),
        name="wagtailadmin_account",
    ),
]
