"""The 12-month review pack (issue 12, item 5): a page whose figures are counted from the
records, never typed.

Officers edit only the period and an introduction. Each time the page is saved (a draft, a
submission, the Chair's own edit) the figures are counted afresh (``review_figures``) and
stored in the revision; approving publishes that revision as it is. So the Chair approves
exactly the figures the public then reads, and the published pack does not drift as records
change later: to bring it up to date, an officer saves it again and it goes back to the Chair.

The figures count what the page's own audience may see: a public pack counts public meetings,
proposals, trails and providers only (it says so), a board-only pack everything.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..choices import Audience
from ..preview import preview_as
from ..review_pack_files import charts, csv_response, pdf_response
from .base import BoardPage
from .review_figures import compute_figures

WHAT_IS_COUNTED = {
    Audience.PUBLIC: "This pack counts only what the public may see: public meetings, "
    "proposals, advice trails and providers. Papers restricted to councillors or to the board "
    "are not counted.",
    Audience.MEMBERS: "This pack counts what councillors may see: papers restricted to the "
    "board are not counted.",
    Audience.BOARD: "This pack counts every meeting, proposal, trail and provider, including "
    "those restricted to the board.",
}


class ReviewPackPage(RoutablePageMixin, BoardPage):
    period_start = models.DateField(
        "from",
        null=True,
        blank=True,
        help_text="Left blank: the day of the board's first meeting.",
    )
    period_end = models.DateField(
        "to",
        null=True,
        blank=True,
        help_text="Left blank: twelve months after the start.",
    )
    introduction = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    # Counted from the records when the page is saved (see the module's docstring).
    figures = models.JSONField(default=dict, blank=True, editable=False)

    subpage_types = []
    search_fields = BoardPage.search_fields + [index.SearchField("introduction")]
    template = "papers/review_pack_page.html"

    api_fields = BoardPage.api_fields + [
        APIField("period_start"),
        APIField("period_end"),
        APIField("introduction"),
        APIField("figures"),
    ]

    content_panels = (
        Page.content_panels
        + [
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")])],
                heading="Period reviewed",
            ),
            HelpPanel(
                "The figures are counted from the board's records each time you save, for "
                "the readers chosen under Confidentiality, and published exactly as the Chair "
                "approves them. Preview the page to check them.",
                heading="Figures",
            ),
            FieldPanel("summary"),
            FieldPanel("introduction"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    class Meta:
        verbose_name = "12-month review pack"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after its start."})

    def count_figures(self):
        self.figures = compute_figures(self.audience, self.period_start, self.period_end)

    def save_revision(self, *args, **kwargs):
        # Every revision carries the figures counted when it was saved: approving it
        # publishes those, never a recount.
        self.count_figures()
        return super().save_revision(*args, **kwargs)

    @property
    def what_is_counted(self):
        return WHAT_IS_COUNTED.get(self.audience, WHAT_IS_COUNTED[Audience.PUBLIC])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["charts"] = charts(self.figures)
        url = self.get_url(request) or ""
        context["pdf_url"] = url + self.reverse_subpage("review_pack_pdf")
        context["csv_url"] = url + self.reverse_subpage("review_pack_csv")
        period = self.figures.get("period") if self.figures else None
        if period:
            context["period_start"] = datetime.date.fromisoformat(period["start"])
            context["period_end"] = datetime.date.fromisoformat(period["end"])
            context["counted_at"] = datetime.datetime.fromisoformat(self.figures["counted_at"])
        return context

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin's preview comes first in the MRO: keep BoardPage's preview modes.
        return preview_as(self, request, mode_name, super().serve_preview)

    @path("pdf/", name="review_pack_pdf")
    def pdf(self, request):
        return pdf_response(self, request)

    @path("csv/", name="review_pack_csv")
    def csv(self, request):
        return csv_response(self)
