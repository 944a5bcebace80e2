"""The access log in the admin: read, filter and export (CSV/XLSX); never add, edit or delete.

Only users with ``papers.view_accesslogentry`` (the Chair group, see papers.roles) and
superusers see it. Officers, who draft the confidential papers, do not.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AccessLogEntry


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing is the only action anyone has: the log is a record, not an editable list."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(["view"])


access_log_policy = ReadOnlyPolicy(AccessLogEntry)
register_permission_policy(AccessLogEntry, access_log_policy, exact_class=True)


class AccessLogViewSet(ModelViewSet):
    model = AccessLogEntry
    name = "access_log"
    icon = "view"
    menu_label = "Access log"
    menu_order = 950
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    # The add/edit/delete views exist (ModelViewSet builds them) but the policy refuses them.
    exclude_form_fields = []
    list_display = [
        "viewed_at",
        "username",
        "object_type",
        "object_title",
        "audience",
        "outcome",
        "path",
    ]
    list_filter = {
        "viewed_at": ["gte", "lte"],
        "username": ["exact"],
        "object_type": ["exact"],
        "audience": ["exact"],
        "outcome": ["exact"],
    }
    search_fields = ["username", "object_title", "path"]
    list_export = [
        "viewed_at",
        "username",
        "object_type",
        "object_id",
        "object_title",
        "audience",
        "outcome",
        "path",
    ]
    export_filename = "access-log"
    ordering = ["-viewed_at"]


access_log_viewset = AccessLogViewSet()
