from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from papers.models import BoardPage, Decision, MeetingPage, Member, MinutesPage
from papers.visibility import visible_decisions, visible_pages

HOME_PANEL_SIZE = 5


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "papers.MeetingIndexPage",
        "papers.ProposalIndexPage",
        "papers.ProviderIndexPage",
        "papers.TrainingIndexPage",
    ]
    template = "home/home_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Visibility is tested on the rows of each panel (not as ``pk IN`` every visible
        # page), so the panels cost the same whatever the number of papers.
        user = request.user
        context["upcoming_meetings"] = visible_pages(
            user, MeetingPage.objects.filter(start__gte=timezone.now())
        ).order_by("start")[:HOME_PANEL_SIZE]
        context["latest_minutes"] = visible_pages(user, MinutesPage.objects.all()).order_by(
            "-paper_date", "-first_published_at"
        )[:HOME_PANEL_SIZE]
        context["latest_decisions"] = (
            visible_decisions(user, Decision.objects.all())
            .select_related("minutes")
            .order_by("-minutes__paper_date", "sort_order")[:HOME_PANEL_SIZE]
        )
        return context


class StandardPage(BoardPage):
    """About the board, terms of reference, membership, reviews, accessibility statement."""

    show_members = models.BooleanField(
        "show the board's membership",
        default=False,
        help_text="List the current members of the board on this page.",
    )
    # Under the home page it is a section in the site's navigation unless "show in menus" is
    # unticked (the accessibility statement is linked from the footer instead).
    show_in_menus_default = True
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    # The 12-month review pack sits under "About the board", beside the terms of reference.
    subpage_types = ["home.StandardPage", "papers.ReviewPackPage"]
    template = "home/standard_page.html"

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("summary"),
            FieldPanel("body"),
            FieldPanel("show_members"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.show_members:
            context["members"] = Member.objects.filter(is_current=True).order_by(
                "board_role", "name"
            )
        return context

    @property
    def updated_at(self):
        return self.last_published_at or timezone.now()
