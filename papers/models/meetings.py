"""Meetings of the board: when and where, the agenda, who attended."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..admin_widgets import PaperChooserPanel
from ..agenda_pack import exempt_pack_response, public_pack_response
from ..choices import (
    AttendanceStatus,
    Audience,
    BoardRole,
    ExemptParagraph,
    MeetingStatus,
    ProposalStatus,
)
from ..conf import get_setting
from ..confidentiality import paper_audience
from ..page_forms import MeetingPageForm
from ..preview import preview_as
from ..serializers import (
    AgendaPaperField,
    ChoiceLabelField,
    NameField,
    UnlessExemptField,
    VisibleProviderAttendanceField,
)
from ..visibility import visible_page_ids
from ..working_days import REQUIRED_CLEAR_DAYS, clear_working_days, publication_deadline
from .access_log import AccessLogEntry
from .base import BoardPage
from .indexes import SectionIndexPage
from .minutes import MinutesPage
from .proposals import ProposalPage
from .snippets import Member

# Who sits on the board, in the order minutes list them (substitutes attend only when called).
SEATED_ROLES = [BoardRole.CHAIR, BoardRole.VICE_CHAIR, BoardRole.MEMBER]


class MeetingIndexPage(SectionIndexPage):
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


APOLOGIES_ITEM = "Apologies and substitutes"


class MeetingPage(RoutablePageMixin, BoardPage):
    base_form_class = MeetingPageForm

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
    agenda_published_on = models.DateField(
        "agenda published on",
        null=True,
        blank=True,
        help_text=(
            "The day the agenda and its papers were made public. The law asks for five clear "
            "working days before the meeting; publishing again after this date issues a "
            "supplement (a new version of the agenda pack)."
        ),
    )

    api_fields = BoardPage.api_fields + [
        APIField("start"),
        APIField("end"),
        APIField("venue"),
        APIField("status"),
        APIField("status_label", serializer=ChoiceLabelField("status")),
        APIField("cancellation_note"),
        APIField("webcast_url"),
        APIField("agenda_published_on"),
        APIField("agenda_items"),
        APIField("attendance"),
        APIField("provider_attendance", serializer=VisibleProviderAttendanceField()),
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
            MultiFieldPanel(
                [
                    # Deadline and short-notice warning, worked out from the saved dates.
                    HelpPanel(template="papers/admin/agenda_notice_panel.html"),
                    FieldPanel("agenda_published_on"),
                    # The page's go_live_at, also under "Set schedule" in the side panel
                    # (papers.page_forms.MeetingPageForm keeps the two in step).
                    FieldPanel("go_live"),
                ],
                heading="Publishing the agenda",
            ),
            FieldPanel("summary"),
            InlinePanel("agenda_items", heading="Agenda", label="Agenda item"),
            # Agenda items made from the papers ticked, in one go (MeetingPageForm.save).
            FieldPanel("papers_due"),
            InlinePanel("attendance", heading="Attendance and apologies", label="Attendee"),
            InlinePanel(
                "provider_attendance",
                heading="Providers who attended",
                label="Provider",
                help_text="Providers who came to the meeting, e.g. for a contract review.",
            ),
            FieldPanel("start_minutes"),
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    class Meta:
        ordering = ["-start"]
        # Listings, the home page and the calendar take meetings in order of their start.
        indexes = [models.Index(fields=["start"])]

    @staticmethod
    def default_title(start):
        """A meeting's title when the officer writes none: its date, e.g. '12 March 2025'."""
        return timezone.localtime(start).strftime("%-d %B %Y")

    def full_clean(self, *args, **kwargs):
        # A meeting is named by its date unless the officer writes a title (the slug follows:
        # papers.page_forms.MeetingPageForm in the admin, Wagtail once the page is in the tree).
        if not self.title and self.start:
            self.title = self.default_title(self.start)
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The meeting must end after it starts."})
        if self.status == MeetingStatus.CANCELLED and not self.cancellation_note:
            self.cancellation_note = "This meeting has been cancelled."

    def list_current_members(self):
        """Attendance rows for the board's current members, all present (a new meeting's
        default; the officer marks apologies, absences and substitutes)."""
        members = Member.objects.filter(is_current=True, board_role__in=SEATED_ROLES)
        members = sorted(members, key=lambda m: (SEATED_ROLES.index(m.board_role), m.name))
        self.attendance = [
            MeetingAttendance(member=member, status=AttendanceStatus.PRESENT, sort_order=n)
            for n, member in enumerate(members)
        ]

    def start_agenda(self):
        """A new meeting's agenda opens with the item every meeting has (its minute is
        drafted from the attendance: papers.minutes_from_agenda)."""
        self.agenda_items = [AgendaItem(number="1", public_title=APOLOGIES_ITEM, sort_order=0)]

    def papers_due(self):
        """Proposals waiting for the board's advice and not on this agenda yet, soonest
        decision first: what "Add papers due at this meeting" offers."""
        on_agenda = [item.proposal_id for item in self.agenda_items.all() if item.proposal_id]
        due = ProposalPage.objects.filter(status=ProposalStatus.FOR_CONSIDERATION)
        return due.exclude(pk__in=on_agenda).order_by(
            models.F("expected_decision_date").asc(nulls_last=True), "title"
        )

    def add_papers(self, papers):
        """Agenda items for ``papers`` after the last item, numbered on: each paper's title
        for a public paper; for a board-only one, exempt under the paper's paragraph with a
        neutral public title (never the paper's own). A councillors-only paper needs a
        paragraph only the officer can choose, so it is left to the agenda form (ValueError)."""
        items = list(self.agenda_items.all())
        numbers = [int(i.number) for i in items if (i.number or "").isdigit()]
        number = max(numbers, default=0) + 1
        order = max((i.sort_order or 0 for i in items), default=-1) + 1
        for paper in papers:
            audience = paper_audience(paper)
            if audience == Audience.MEMBERS:
                raise ValueError(paper.title)
            exempt = audience == Audience.BOARD
            paragraph = paper.exempt_paragraph if exempt else ""
            title = f"Exempt item (Schedule 12A paragraph {paragraph})" if exempt else paper.title
            items.append(
                AgendaItem(
                    number=str(number),
                    public_title=title,
                    proposal=paper,
                    is_exempt=exempt,
                    exempt_paragraph=paragraph,
                    sort_order=order,
                )
            )
            number, order = number + 1, order + 1
        self.agenda_items = items

    @property
    def is_upcoming(self):
        return self.start >= timezone.now() and self.status != MeetingStatus.CANCELLED

    # -- notice of the agenda (papers.working_days) -----------------------------------------
    @property
    def agenda_deadline(self):
        """The last day to publish the agenda with five clear working days' notice."""
        return publication_deadline(timezone.localtime(self.start).date()) if self.start else None

    @property
    def agenda_clear_days(self):
        if not (self.start and self.agenda_published_on):
            return None
        return clear_working_days(self.agenda_published_on, timezone.localtime(self.start).date())

    @property
    def agenda_short_notice(self):
        """Whether the agenda was published with fewer than five clear working days."""
        days = self.agenda_clear_days
        return days is not None and days < REQUIRED_CLEAR_DAYS

    def get_admin_display_title(self):
        title = super().get_admin_display_title()
        if self.agenda_short_notice and self.status == MeetingStatus.SCHEDULED:
            return f"{title} (agenda short notice: {self.agenda_clear_days} clear days)"
        return title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each item's paper if the reader may open it (a live page they may see: a paper they
        # may not see is never linked or named), asked once for the whole agenda; an item's
        # own records, so a preview shows the agenda being reviewed.
        items = list(self.agenda_items.select_related("proposal"))
        papers = {item.proposal_id for item in items if item.proposal_id}
        openable = visible_page_ids(request.user, papers)
        for item in items:
            item.paper_shown = item.proposal if item.proposal_id in openable else None
        context["agenda"] = items
        return context

    def serve_preview(self, request, mode_name):
        # RoutablePageMixin's preview comes first in the MRO: keep BoardPage's preview modes.
        return preview_as(self, request, mode_name, super().serve_preview)

    # -- the agenda pack (papers.agenda_pack) ----------------------------------------------
    @path("agenda-pack/", name="agenda_pack")
    def agenda_pack(self, request):
        return public_pack_response(self, request)

    @path("agenda-pack/exempt/", name="exempt_agenda_pack")
    def exempt_agenda_pack(self, request):
        return exempt_pack_response(self, request, record_read=AccessLogEntry.record)

    @property
    def minutes(self):
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
        # Only board papers can be considered under an item, not sections or the home page;
        # the chooser opens at the proposals section (papers.admin_widgets).
        PaperChooserPanel(
            "proposal",
            ["papers.ProposalPage", "papers.ProviderProfilePage"]
            + get_setting("EXTRA_PAPER_PAGE_MODELS"),
            heading="Paper",
        ),
        FieldRowPanel(
            [
                FieldPanel(
                    "is_exempt",
                    help_text="Required when the paper is board only or for councillors only.",
                ),
                FieldPanel(
                    "exempt_paragraph",
                    help_text="Left blank, a board-only paper's own paragraph is used.",
                ),
            ]
        ),
    ]

    def clean(self):
        super().clean()
        if self.proposal_id is not None and self.proposal is not None:
            self.follow_paper(self.proposal)
        if self.is_exempt and not self.exempt_paragraph:
            raise ValidationError(
                {"exempt_paragraph": "Choose the Schedule 12A paragraph for an exempt item."}
            )

    def follow_paper(self, paper):
        """Never less restricted than the paper considered: a board-only paper makes the item
        exempt under the paper's paragraph; a councillors-only paper is not for the public
        either, so it too is taken in private, under the paragraph the officer chooses."""
        audience = paper_audience(paper)
        if audience == Audience.PUBLIC:
            return
        paper = paper.specific
        errors = {}
        paragraph = getattr(paper, "exempt_paragraph", "") if audience == Audience.BOARD else ""
        if not self.is_exempt:
            if audience == Audience.BOARD:
                where = f" paragraph {paragraph}" if paragraph else ""
                errors["is_exempt"] = (
                    f"\u2018{paper.title}\u2019 is a board-only paper (exempt under Schedule "
                    f"12A{where}), so this item must be exempt: tick \u2018exempt item\u2019."
                )
            else:
                errors["is_exempt"] = (
                    f"\u2018{paper.title}\u2019 is for councillors only, so the public may not "
                    "hear it: tick \u2018exempt item\u2019 and choose the Schedule 12A "
                    "paragraph, or link the paper once it is public."
                )
        elif paragraph and not self.exempt_paragraph:
            self.exempt_paragraph = paragraph
        elif paragraph and self.exempt_paragraph != paragraph:
            errors["exempt_paragraph"] = (
                f"\u2018{paper.title}\u2019 is exempt under paragraph {paragraph}: the item "
                "takes the paper's paragraph."
            )
        if (
            " ".join(self.public_title.split()).casefold()
            == " ".join(paper.title.split()).casefold()
        ):
            errors["public_title"] = (
                "This is the confidential paper's own title: write a neutral title for the "
                "public (for example \u2018Home care: contract award\u2019)."
            )
        if errors:
            raise ValidationError(errors)

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

    # Each status a one-click choice on the row (present, apologies, absent, substitute), not
    # a drop-down to open and pick from.
    panels = [
        FieldRowPanel(
            [
                FieldPanel("member"),
                FieldPanel(
                    "status", widget=forms.RadioSelect(attrs={"class": "attendance-status"})
                ),
            ]
        ),
        FieldPanel("note"),
    ]

    def __str__(self):
        return f"{self.member} ({self.get_status_display()})"


class ProviderAttendance(Orderable):
    """A provider who attended the meeting: shown on the meeting and on the provider's page
    only to readers who may see both (papers.visibility.visible_provider_attendance)."""

    meeting = ParentalKey(MeetingPage, related_name="provider_attendance", on_delete=models.CASCADE)
    provider = models.ForeignKey(
        "papers.ProviderProfilePage", on_delete=models.CASCADE, related_name="meetings_attended"
    )
    attendee = models.CharField(
        "who attended", max_length=255, help_text="Name and role, e.g. 'Priya Okafor, Director'."
    )
    agenda_item = models.CharField(
        max_length=10,
        blank=True,
        help_text="The number of the agenda item they attended for, e.g. 4 or 4a.",
    )

    panels = [
        FieldPanel("provider"),
        FieldRowPanel([FieldPanel("attendee"), FieldPanel("agenda_item")]),
    ]

    def __str__(self):
        return f"{self.attendee} ({self.provider})"
