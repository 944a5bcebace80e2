"""Meetings of the board: when and where, the agenda, who attended."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..serializers import AgendaPaperField, ChoiceLabelField, NameField, UnlessExemptField
from .base import BoardPage
from .choices import AttendanceStatus, ExemptParagraph, MeetingStatus
from .indexes import SectionIndexPage


class MeetingIndexPage(SectionIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["papers.MeetingPage"]
    max_count = 1
    ordering = ("-start",)
    template = "papers/meeting_index_page.html"

    @property
    def child_model(self):
        return MeetingPage

    def paginated_pages(self, request):
        return self.listed_pages(request).filter(start__lt=timezone.now())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = (
            self.listed_pages(request).filter(start__gte=timezone.now()).order_by("start")
        )
        return context


class MeetingPage(BoardPage):
    start = models.DateTimeField(help_text="Date and time the meeting starts.")
    end = models.DateTimeField(null=True, blank=True, help_text="Expected finish, if known.")
    venue = models.CharField(max_length=255, default="Council Chamber, County Hall")
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancellation_note = models.CharField(
        max_length=255, blank=True, help_text="Shown if the meeting is cancelled."
    )
    webcast_url = models.URLField("webcast link", blank=True)

    api_fields = BoardPage.api_fields + [
        APIField("start"),
        APIField("end"),
        APIField("venue"),
        APIField("status"),
        APIField("status_label", serializer=ChoiceLabelField("status")),
        APIField("cancellation_note"),
        APIField("webcast_url"),
        APIField("agenda_items"),
        APIField("attendance"),
    ]

    parent_page_types = ["papers.MeetingIndexPage"]
    subpage_types = ["papers.MinutesPage"]
    template = "papers/meeting_page.html"

    search_fields = BoardPage.search_fields + [
        index.SearchField("venue"),
        index.FilterField("start"),
        index.FilterField("status"),
        index.RelatedFields("agenda_items", [index.SearchField("public_title")]),
    ]

    content_panels = (
        Page.content_panels
        + [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                    FieldPanel(
                        "venue", help_text="Room and building, as it should appear on the agenda."
                    ),
                    FieldPanel(
                        "status",
                        help_text="Scheduled until the meeting is held; a cancelled meeting stays in the calendar, marked cancelled.",
                    ),
                    FieldPanel("cancellation_note"),
                    FieldPanel("webcast_url"),
                ],
                heading="When and where",
            ),
            FieldPanel("summary"),
            InlinePanel("agenda_items", heading="Agenda", label="Agenda item"),
            InlinePanel("attendance", heading="Attendance and apologies", label="Attendee"),
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    class Meta:
        ordering = ["-start"]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The meeting must end after it starts."})
        if self.status == MeetingStatus.CANCELLED and not self.cancellation_note:
            self.cancellation_note = "This meeting has been cancelled."

    @property
    def is_upcoming(self):
        return self.start >= timezone.now() and self.status != MeetingStatus.CANCELLED

    @property
    def minutes(self):
        from .minutes import MinutesPage

        return MinutesPage.objects.child_of(self).live().first()


class AgendaItem(Orderable):
    meeting = ParentalKey(MeetingPage, related_name="agenda_items", on_delete=models.CASCADE)
    number = models.CharField(max_length=10, blank=True, help_text="e.g. 4 or 4a.")
    public_title = models.CharField(
        max_length=255,
        help_text=(
            "The title everyone sees. For an exempt item write a neutral public title; "
            "the confidential paper's own title is never shown on the agenda."
        ),
    )
    description = models.TextField(blank=True)
    proposal = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The paper considered under this item, if any.",
    )
    is_exempt = models.BooleanField(
        "exempt item", default=False, help_text="Considered in private session."
    )
    exempt_paragraph = models.CharField(
        "Schedule 12A paragraph", max_length=2, choices=ExemptParagraph.choices, blank=True
    )

    # Only the public title and notice: an exempt item's paper is never named.
    api_fields = [
        APIField("number"),
        APIField("public_title"),
        APIField("description", serializer=UnlessExemptField("description")),
        APIField("is_exempt"),
        APIField("exempt_paragraph"),
        APIField("paper", serializer=AgendaPaperField()),
    ]

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("public_title")]),
        FieldPanel("description"),
        # Only board papers can be considered under an item, not sections or the home page.
        PageChooserPanel(
            "proposal",
            ["papers.ProposalPage", "papers.ProviderProfilePage", "home.StandardPage"],
            heading="Paper",
        ),
        FieldRowPanel([FieldPanel("is_exempt"), FieldPanel("exempt_paragraph")]),
    ]

    def clean(self):
        super().clean()
        if self.is_exempt and not self.exempt_paragraph:
            raise ValidationError(
                {"exempt_paragraph": "Choose the Schedule 12A paragraph for an exempt item."}
            )

    def __str__(self):
        return self.public_title


class MeetingAttendance(Orderable):
    meeting = ParentalKey(MeetingPage, related_name="attendance", on_delete=models.CASCADE)
    member = models.ForeignKey("papers.Member", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    note = models.CharField(max_length=255, blank=True, help_text="e.g. 'substituting for Cllr X'.")

    api_fields = [
        APIField("member", serializer=NameField()),
        APIField("status"),
        APIField("note"),
    ]

    panels = [FieldRowPanel([FieldPanel("member"), FieldPanel("status")]), FieldPanel("note")]

    def __str__(self):
        return f"{self.member} ({self.get_status_display()})"
