"""Minutes of a meeting, with the board's decisions as records of their own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from ..choices import AdviceReached, Audience, ExemptParagraph, Outcome
from ..confidentiality import paper_audience
from ..page_forms import MinutesPageForm
from ..serializers import (
    ChoiceLabelField,
    ExemptDecisionField,
    ExemptMinuteField,
    NameField,
    RecordedVoteField,
    VisiblePageField,
)
from ..validators import key_decision_reference_validator
from ..visibility import readable_votes_by_decision, visible_page_ids
from .base import BoardPage
from .interests import check_declared_interest
from .votes import VoteTally

MINUTE_NOT_PUBLISHED = "The minute of this item is not published."
DECISION_NOT_PUBLISHED = (
    "The decision on this item was taken in private session and is not published."
)


def exempt_notice(paragraph):
    """The public notice of exempt business, as the agenda shows it."""
    if paragraph:
        return f"Exempt item, Schedule 12A paragraph {paragraph}"
    return "Exempt item, Schedule 12A"


class ExemptRecord:
    """What minute items and decisions share about exempt business (a mixin: no fields)."""

    @property
    def exempt_notice(self):
        return exempt_notice(self.exempt_paragraph)

    def clean_exempt(self):
        """An exempt record names its paragraph; a paragraph belongs to exempt records only."""
        if self.is_exempt and not self.exempt_paragraph:
            raise ValidationError(
                {"exempt_paragraph": "Choose the Schedule 12A paragraph that makes this exempt."}
            )
        if not self.is_exempt and self.exempt_paragraph:
            raise ValidationError(
                {
                    "exempt_paragraph": "Only exempt business has a Schedule 12A paragraph: "
                    "tick 'exempt' or clear the paragraph."
                }
            )


class MinutesPage(BoardPage):
    base_form_class = MinutesPageForm

    signed_on = models.DateField(
        "signed as a correct record on",
        null=True,
        blank=True,
        help_text="The date the Chair signed these minutes as a correct record.",
    )

    api_fields = BoardPage.api_fields + [
        APIField("signed_on"),
        APIField("minute_items"),
        APIField("decisions"),
        APIField("declarations"),
    ]

    parent_page_types = ["papers.MeetingPage"]
    subpage_types = []
    max_count_per_parent = 1  # a meeting has one set of minutes
    template = "papers/minutes_page.html"

    search_fields = BoardPage.search_fields + [
        # Not RelatedFields: an exempt minute's text is private even in public minutes.
        index.SearchField("public_minutes_text"),
    ]
    search_text_relations = ("minute_items", "decisions")

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("summary"),
            InlinePanel("minute_items", heading="Minute items", label="Minute"),
            InlinePanel("decisions", heading="Decisions", label="Decision"),
            InlinePanel(
                "recorded_votes",
                heading="Recorded votes",
                label="Vote",
                help_text="For a decision reached on a recorded vote: each member's vote, one "
                "row per member, naming the decision by its minute reference.",
            ),
            InlinePanel("declarations", heading="Declarations of interest", label="Declaration"),
            FieldPanel("signed_on"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    class Meta:
        # The home page shows the latest minutes by their date.
        indexes = [models.Index(fields=["paper_date"])]

    @property
    def meeting(self):
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each decision with its recorded vote, if the reader may read it (papers.visibility):
        # read from the page's own records, so a preview shows the votes being reviewed.
        decisions = list(self.decisions.select_related("cabinet_committee", "proposal"))
        votes = self.recorded_votes.select_related("member")
        readable = readable_votes_by_decision(request.user, decisions, votes)
        # The papers decided on that the reader may open, asked once for all of them.
        papers = {decision.proposal_id for decision in decisions if decision.proposal_id}
        openable = visible_page_ids(request.user, papers)
        for decision in decisions:
            shown = readable.get(decision.reference)
            decision.vote_tally = VoteTally.of(shown) if shown else None
            decision.paper_shown = decision.proposal if decision.proposal_id in openable else None
        context["decisions"] = decisions
        return context

    def public_minutes_text(self):
        """What the public reads of the minutes: each minute's title and text, and for an
        exempt minute or decision only its notice and public summary. Board members find
        exempt minutes by their text through MinuteItem's own index entries."""
        parts = []
        for item in self.minute_items.all():
            if item.is_exempt:
                parts += [item.exempt_notice, item.public_text]
            else:
                parts += [item.title, strip_tags(item.text)]
        for decision in self.decisions.all():
            if decision.is_exempt:
                parts += [decision.exempt_notice, decision.public_summary]
        return "\n".join(part for part in parts if part)


class MinuteItem(index.Indexed, ExemptRecord, Orderable):
    minutes = ParentalKey(MinutesPage, related_name="minute_items", on_delete=models.CASCADE)
    number = models.CharField(max_length=10, blank=True, help_text="e.g. 12/25.")
    title = models.CharField(max_length=255)
    text = RichTextField(features=RICH_TEXT_FEATURES)
    is_exempt = models.BooleanField(
        "exempt minute",
        default=False,
        help_text="Recorded in private session; only its title and notice are published.",
    )
    exempt_paragraph = models.CharField(
        "Schedule 12A paragraph", max_length=2, choices=ExemptParagraph.choices, blank=True
    )
    public_summary = models.TextField(
        blank=True,
        help_text="For an exempt minute: what the public may read instead of the minute.",
    )
    # The paper the minute is about (drafted from the agenda item's): an exempt minute is read in
    # full by whoever that paper's audience admits (papers.visibility.exempt_audiences).
    proposal = models.ForeignKey(
        "papers.ProposalPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minute_items",
        help_text="The paper this minute is about, if any.",
    )

    # Title and text only for those who read exempt business (papers.visibility).
    api_fields = [
        APIField("number"),
        APIField("title", serializer=ExemptMinuteField("title")),
        APIField("is_exempt"),
        APIField("exempt_paragraph"),
        APIField("public_summary"),
        APIField("text", serializer=ExemptMinuteField("text")),
    ]

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("text"),
        FieldPanel(
            "proposal",
            help_text="The paper this minute is about: an exempt minute is read in full by "
            "whoever the paper's audience admits (councillors for a councillors' paper; "
            "otherwise board members, the Chair and officers).",
        ),
        FieldRowPanel(
            [
                FieldPanel(
                    "is_exempt",
                    help_text="Recorded in private session: the public sees only its notice "
                    "and public summary.",
                ),
                FieldPanel("exempt_paragraph"),
            ]
        ),
        FieldPanel(
            "public_summary",
            help_text="For an exempt minute: a sentence written for the public (the title and "
            "text are not published). Left blank, the public reads that it is not published.",
        ),
    ]

    # Exempt minutes only: their text is kept out of the minutes page's own (public) index
    # entry, and search finds their minutes through these for readers of exempt business.
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("text"),
        index.FilterField("minutes"),
        index.FilterField("proposal"),
        index.FilterField("is_exempt"),
    ]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(is_exempt=True)

    def clean(self):
        super().clean()
        paper = self.proposal
        audience = paper_audience(paper) if paper is not None else Audience.PUBLIC
        if audience != Audience.PUBLIC and not self.is_exempt:
            who = "board only" if audience == Audience.BOARD else "for councillors only"
            raise ValidationError(
                {
                    "is_exempt": f"The paper \u2018{paper.title}\u2019 is {who}, so this minute "
                    "is exempt: tick \u2018exempt minute\u2019 and write a public summary."
                }
            )
        if audience == Audience.BOARD and not self.exempt_paragraph:
            self.exempt_paragraph = paper.exempt_paragraph
        self.clean_exempt()

    @property
    def public_text(self):
        return self.public_summary or MINUTE_NOT_PUBLISHED

    def __str__(self):
        return self.title


class Decision(index.Indexed, ExemptRecord, Orderable):
    """A resolution of the board, recorded in its minutes; a search hit of its own."""

    minutes = ParentalKey(MinutesPage, related_name="decisions", on_delete=models.CASCADE)
    reference = models.CharField(max_length=40, help_text="The minute reference, e.g. CAB/25/031.")
    title = models.CharField(max_length=255, help_text="What the decision is about, in a line.")
    resolution = RichTextField(features=RICH_TEXT_FEATURES, help_text="The resolution as minuted.")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.AGREED)
    proposal = models.ForeignKey(
        "papers.ProposalPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    key_decision_reference = models.CharField(
        # Wider than NN/NNNNN so a mistyped reference gets the format message, not a length one.
        max_length=20,
        blank=True,
        validators=[key_decision_reference_validator],
        help_text="The Key Decision reference, in the form NN/NNNNN.",
    )
    cabinet_committee = models.ForeignKey(
        "papers.CabinetCommittee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Cabinet Committee the board's advice goes to.",
    )
    is_exempt = models.BooleanField(
        "exempt decision",
        default=False,
        help_text="Taken on exempt business; the public sees only the notice and public summary.",
    )
    exempt_paragraph = models.CharField(
        "Schedule 12A paragraph", max_length=2, choices=ExemptParagraph.choices, blank=True
    )
    public_summary = models.TextField(
        blank=True,
        help_text="For an exempt decision: what the public may read instead of the resolution.",
    )
    reached_by = models.CharField(
        "how the decision was reached",
        max_length=16,
        choices=AdviceReached.choices,
        blank=True,
        help_text="On a recorded vote, record each member's vote under Recorded votes.",
    )

    api_fields = [
        APIField("reference"),
        APIField("title", serializer=ExemptDecisionField("title")),
        APIField("resolution", serializer=ExemptDecisionField("resolution")),
        APIField("is_exempt"),
        APIField("exempt_paragraph"),
        APIField("public_summary"),
        APIField("outcome"),
        APIField("outcome_label", serializer=ChoiceLabelField("outcome")),
        APIField("reached_by", serializer=ExemptDecisionField("reached_by")),
        # Null unless the requester may read the decision (papers.visibility).
        APIField("recorded_vote", serializer=RecordedVoteField()),
        APIField("key_decision_reference"),
        APIField("cabinet_committee", serializer=NameField()),
        APIField("proposal", serializer=VisiblePageField()),
        APIField("meeting_date", serializer=serializers.DateField(source="minutes.paper_date")),
        APIField("minutes", serializer=VisiblePageField()),
    ]

    panels = [
        FieldRowPanel(
            [
                FieldPanel("reference"),
                FieldPanel(
                    "outcome",
                    help_text="Agreed, not agreed, deferred to a later meeting, or noted.",
                ),
                FieldPanel("reached_by"),
            ]
        ),
        FieldPanel("title"),
        FieldPanel("resolution"),
        FieldPanel("proposal"),
        FieldRowPanel([FieldPanel("key_decision_reference"), FieldPanel("cabinet_committee")]),
        FieldRowPanel(
            [
                FieldPanel(
                    "is_exempt",
                    help_text="Required when the proposal is board only or for councillors only.",
                ),
                FieldPanel(
                    "exempt_paragraph",
                    help_text="Left blank, a board-only proposal's own paragraph is used.",
                ),
            ]
        ),
        FieldPanel(
            "public_summary",
            help_text="For an exempt decision: a sentence written for the public. Left blank, "
            "the public reads that the decision was taken in private session.",
        ),
    ]

    # Who may see a decision is decided at query time from its minutes page
    # (papers.visibility.visible_decisions), and who may find an exempt one by its words
    # (readable_decisions), so these filters are what search needs.
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("reference", boost=10),
        index.SearchField("key_decision_reference", boost=10),
        index.SearchField("resolution"),
        index.SearchField("public_summary"),
        index.AutocompleteField("reference"),
        index.FilterField("id"),
        index.FilterField("is_exempt"),
        index.FilterField("minutes"),
        index.FilterField("outcome"),
        index.FilterField("cabinet_committee"),
        index.FilterField("proposal"),
        index.FilterField("key_decision_reference"),
    ]

    class Meta(Orderable.Meta):
        indexes = [
            # The register reads each minutes' decisions in order (papers.search.register).
            models.Index(fields=["minutes", "sort_order"]),
            models.Index(fields=["outcome"]),
            models.Index(fields=["key_decision_reference"]),
            # Search finds a decision by its reference typed in any case (``iexact``, which
            # PostgreSQL spells UPPER(...) = UPPER(...)): 60 ms a scan at 100,000 papers.
            models.Index(Upper("reference"), name="decision_reference_upper"),
            models.Index(Upper("key_decision_reference"), name="decision_key_ref_upper"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        super().clean()
        paper = self.proposal
        audience = paper_audience(paper) if paper is not None else Audience.PUBLIC
        if audience != Audience.PUBLIC and not self.is_exempt:
            # A decision on a paper the public may not read was taken in private session.
            if audience == Audience.BOARD:
                where = f" paragraph {paper.exempt_paragraph}" if paper.exempt_paragraph else ""
                why = f"is board only (exempt under Schedule 12A{where})"
            else:
                why = "is for councillors only"
            raise ValidationError(
                {
                    "is_exempt": f"The proposal \u2018{paper.title}\u2019 {why}, so this "
                    "decision is exempt: tick \u2018exempt decision\u2019 and write a public "
                    "summary."
                }
            )
        if audience == Audience.BOARD and not self.exempt_paragraph:
            self.exempt_paragraph = paper.exempt_paragraph
        self.clean_exempt()

    @property
    def public_text(self):
        return self.public_summary or DECISION_NOT_PUBLISHED

    @property
    def anchor(self):
        return f"decision-{self.pk}"

    def get_url(self, request=None):
        return f"{self.minutes.get_url(request)}#{self.anchor}"


class Declaration(Orderable):
    minutes = ParentalKey(MinutesPage, related_name="declarations", on_delete=models.CASCADE)
    member = models.ForeignKey("papers.Member", on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=255, help_text="The agenda item the interest relates to.")
    nature = models.TextField(
        help_text="The nature of the interest, and whether it is prejudicial."
    )
    interest = models.ForeignKey(
        "papers.Interest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declarations",
        help_text="The entry in the register of interests this declaration is about, if any.",
    )

    api_fields = [APIField("member", serializer=NameField()), APIField("item"), APIField("nature")]

    panels = [
        FieldRowPanel([FieldPanel("member"), FieldPanel("item")]),
        FieldPanel("nature"),
        FieldPanel("interest"),
    ]

    def clean(self):
        super().clean()
        check_declared_interest(self)

    def __str__(self):
        return f"{self.member}: {self.item}"
