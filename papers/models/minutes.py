"""Minutes of a meeting, with the board's decisions as records of their own."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from ..validators import key_decision_reference_validator
from .base import BoardPage
from .choices import Outcome


class MinutesPage(BoardPage):
    signed_on = models.DateField(
        "signed as a correct record on",
        null=True,
        blank=True,
        help_text="The date the Chair signed these minutes as a correct record.",
    )

    parent_page_types = ["papers.MeetingPage"]
    subpage_types = []
    template = "papers/minutes_page.html"

    search_fields = BoardPage.search_fields + [
        index.RelatedFields(
            "minute_items", [index.SearchField("title"), index.SearchField("text")]
        ),
    ]

    content_panels = (
        Page.content_panels
        + [
            FieldPanel("summary"),
            InlinePanel("minute_items", heading="Minute items", label="Minute"),
            InlinePanel("decisions", heading="Decisions", label="Decision"),
            InlinePanel("declarations", heading="Declarations of interest", label="Declaration"),
            FieldPanel("signed_on"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    @property
    def meeting(self):
        return self.get_parent().specific


class MinuteItem(Orderable):
    minutes = ParentalKey(MinutesPage, related_name="minute_items", on_delete=models.CASCADE)
    number = models.CharField(max_length=10, blank=True, help_text="e.g. 12/25.")
    title = models.CharField(max_length=255)
    text = RichTextField(features=RICH_TEXT_FEATURES)
    is_exempt = models.BooleanField(
        "exempt minute",
        default=False,
        help_text="Recorded in private session; only its title and notice are published.",
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("text"),
        FieldPanel("is_exempt"),
    ]

    def __str__(self):
        return self.title


class Decision(Orderable):
    """A resolution of the board, recorded in its minutes."""

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
        max_length=8,
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

    panels = [
        FieldRowPanel([FieldPanel("reference"), FieldPanel("outcome")]),
        FieldPanel("title"),
        FieldPanel("resolution"),
        FieldPanel("proposal"),
        FieldRowPanel([FieldPanel("key_decision_reference"), FieldPanel("cabinet_committee")]),
    ]

    class Meta(Orderable.Meta):
        indexes = [
            models.Index(fields=["outcome"]),
            models.Index(fields=["key_decision_reference"]),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

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

    panels = [FieldRowPanel([FieldPanel("member"), FieldPanel("item")]), FieldPanel("nature")]

    def __str__(self):
        return f"{self.member}: {self.item}"
