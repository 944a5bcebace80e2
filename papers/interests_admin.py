"""The register of interests in the admin: officers and the Chair keep members' registered
interests (the "Register of interests" viewset), and read the likely declarations for a meeting
(a view opened from the meeting's edit page: "Likely declarations of interest").

Rights come from ``papers.roles`` (``papers.*_interest``).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from .conflicts import likely_declarations, prompts_apply
from .models import Interest, MeetingPage

DECLARATIONS_URL_NAME = "papers_likely_declarations"
VIEW_PERMISSION = "papers.view_interest"
BUTTON_LABEL = "Likely declarations of interest"


class LikelyDeclarationsView(WagtailAdminTemplateMixin, TemplateView):
    """Every current member's registered interests that touch an item on the meeting's agenda,
    by item: what officers and the Chair expect to be declared."""

    template_name = "papers/admin/likely_declarations.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        self.meeting = get_object_or_404(MeetingPage, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Likely declarations of interest: {self.meeting.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        context["matches"] = likely_declarations(self.meeting, self.request.user)
        context["upcoming"] = prompts_apply(self.meeting)
        context["register_url"] = reverse(f"{interest_viewset.name}:index")
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.meeting.pk])
        return context


class InterestViewSet(ModelViewSet):
    model = Interest
    name = "interests"
    icon = "clipboard-list"
    menu_label = "Register of interests"
    menu_order = 945
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["member", "category", "description", "is_sensitive", "registered_on"]
    list_filter = ["category", "is_sensitive"]
    search_fields = ["member__name", "description"]
    list_export = ["member", "category", "description", "is_sensitive", "registered_on"]
    export_filename = "register-of-interests"
    ordering = ["member__name", "category"]


interest_viewset = InterestViewSet()


def admin_urls():
    return [
        path(
            "meetings/<int:pk>/declarations/",
            LikelyDeclarationsView.as_view(),
            name=DECLARATIONS_URL_NAME,
        )
    ]


def declarations_button(page, user, button_class=Button, priority=6):
    """On a meeting's edit page and listing row, for those who read the register."""
    if page.specific_class is not MeetingPage or not user.has_perm(VIEW_PERMISSION):
        return None
    url = reverse(DECLARATIONS_URL_NAME, args=[page.pk])
    return button_class(BUTTON_LABEL, url=url, icon_name="warning", priority=priority)
