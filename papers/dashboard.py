"""Panels on the admin dashboard for officers and the Chair: the deadlines the law sets for
the board's papers (papers.deadlines) and the contracts that need the board's attention
(papers.attention). Each names what to do next; neither is shown to anyone else."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import attention
from .deadlines import warnings_for
from .models import MeetingIndexPage
from .roles import CHAIR, OFFICERS


class PrepareMeetingPanel(Component):
    """One link from the dashboard to a new meeting's form (the board's members, the apologies
    item and the papers due are on it already), for those who may add meetings."""

    name = "prepare_meeting"
    template_name = "papers/admin/prepare_meeting_panel.html"
    order = 40

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        index = MeetingIndexPage.objects.order_by("path").first()
        url = None
        if index is not None and index.permissions_for_user(self.user).can_add_subpage():
            url = reverse("wagtailadmin_pages:add", args=["papers", "meetingpage", index.pk])
        return {"add_url": url}


class DeadlineWarningsPanel(Component):
    name = "deadline_warnings"
    template_name = "papers/admin/deadline_warnings_panel.html"
    order = 50  # above Wagtail's own panels: a missed deadline is what an officer must see first

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["warnings"] = warnings_for()
        return context


class BoardAttentionPanel(Component):
    """Contracts whose review is overdue, whose rating turned amber or red, or which end within
    18 months with no recommissioning proposal yet."""

    name = "board_attention"
    template_name = "papers/admin/attention_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        grouped = attention.needing_attention(self.user, attention.today())
        return {
            "groups": [(key, label, grouped[key]) for key, label in attention.REASONS.items()],
            "total": len({c.pk for contracts in grouped.values() for c in contracts}),
        }


def is_officer_or_chair(user):
    return user.is_superuser or user.groups.filter(name__in=[OFFICERS, CHAIR]).exists()


def panels_for(user):
    if not is_officer_or_chair(user):
        return []
    return [PrepareMeetingPanel(user), DeadlineWarningsPanel(), BoardAttentionPanel(user)]
