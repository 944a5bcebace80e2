"""The advice trail: dated steps from the board's advice on a proposal to the Key Decision.

Each step is an orderable inline record of its proposal, edited on the proposal's form, so it
goes through the Chair's approval with the page and is exactly as visible as the page
(``papers.visibility.visible_trail_steps`` for listings; the page's own restriction elsewhere).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.models import Orderable

from ..choices import AdviceFollowed, AdviceReached, CommitteeOutcome, TrailStepKind
from ..serializers import ChoiceLabelField, NameField, VisiblePageField
from ..validators import key_decision_reference_validator

# The order steps happen in: a later kind is never dated before an earlier one.
KIND_ORDER = [
    TrailStepKind.BOARD,
    TrailStepKind.COMMITTEE,
    TrailStepKind.KEY_DECISION,
    TrailStepKind.CALL_IN,
]
# What each kind of step must record (field: message when it is missing).
REQUIRED = {
    TrailStepKind.BOARD: {
        "advice": "Write the board's advice, as minuted.",
        "reached_by": "Say how the board reached its advice.",
    },
    TrailStepKind.COMMITTEE: {
        "committee": "Choose the Cabinet Committee the advice was reported to.",
        "committee_outcome": "Say what the Cabinet Committee did with the advice.",
    },
    TrailStepKind.KEY_DECISION: {
        "decision_maker": "Name the decision maker.",
        "advice_followed": "Say whether the decision followed the board's advice.",
    },
    TrailStepKind.CALL_IN: {
        "call_in_ends": "Give the last day of the call-in period.",
    },
}


def kind_rank(kind):
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else 0


class TrailStep(Orderable):
    proposal = ParentalKey("papers.ProposalPage", related_name="trail", on_delete=models.CASCADE)
    kind = models.CharField("step", max_length=16, choices=TrailStepKind.choices)
    # Blank on the form: a board step takes its meeting's date (clean()).
    date = models.DateField(
        blank=True,
        help_text="When this step happened. For the board, left blank, the meeting's date.",
    )
    # The board's consideration.
    meeting = models.ForeignKey(
        "papers.MeetingPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minute_reference = models.CharField(
        "minute", max_length=40, blank=True, help_text="The minute reference, e.g. CAB/25/002."
    )
    advice = models.TextField("the board's advice", blank=True)
    reached_by = models.CharField(
        "how the advice was reached", max_length=16, choices=AdviceReached.choices, blank=True
    )
    # The Cabinet Committee.
    committee = models.ForeignKey(
        "papers.CabinetCommittee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Cabinet Committee",
    )
    committee_outcome = models.CharField(
        "committee's response", max_length=16, choices=CommitteeOutcome.choices, blank=True
    )
    # The Key Decision.
    decision_maker = models.CharField(max_length=120, blank=True)
    key_decision_reference = models.CharField(
        max_length=20,
        blank=True,
        validators=[key_decision_reference_validator],
        help_text="In the form NN/NNNNN, e.g. 25/00012.",
    )
    advice_followed = models.CharField(
        "was the board's advice followed?",
        max_length=16,
        choices=AdviceFollowed.choices,
        blank=True,
    )
    reasons = models.TextField(
        "reasons given",
        blank=True,
        help_text="Required when the advice was only partly followed or not followed.",
    )
    # The call-in period.
    call_in_ends = models.DateField("call-in period ends", null=True, blank=True)
    called_in = models.BooleanField("called in", default=False)
    link = models.URLField(
        blank=True,
        help_text="The committee's own papers, or the published decision notice.",
    )

    api_fields = [
        APIField("kind"),
        APIField("kind_label", serializer=ChoiceLabelField("kind")),
        APIField("date"),
        APIField("meeting", serializer=VisiblePageField()),
        APIField("minute_reference"),
        APIField("advice"),
        APIField("reached_by"),
        APIField("committee", serializer=NameField()),
        APIField("committee_outcome"),
        APIField("decision_maker"),
        APIField("key_decision_reference"),
        APIField("advice_followed"),
        APIField("reasons"),
        APIField("call_in_ends"),
        APIField("called_in"),
        APIField("link"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        PageChooserPanel("meeting", "papers.MeetingPage"),
                        FieldPanel("minute_reference"),
                    ]
                ),
                FieldPanel("advice"),
                FieldPanel("reached_by"),
            ],
            heading="Considered by the board",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("committee"), FieldPanel("committee_outcome")])],
            heading="Reported to a Cabinet Committee",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_maker"), FieldPanel("key_decision_reference")]),
                FieldPanel("advice_followed"),
                FieldPanel("reasons"),
            ],
            heading="The Key Decision",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("call_in_ends"), FieldPanel("called_in")])],
            heading="Call-in",
        ),
        FieldPanel("link"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "trail step"
        # The register and the forward plan look steps up by kind.
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date})"

    def clean(self):
        super().clean()
        errors = {}
        if self.meeting_id and self.meeting is not None:
            meeting_day = timezone.localtime(self.meeting.start).date()
            if self.date is None:
                self.date = meeting_day
            elif self.kind == TrailStepKind.BOARD and self.date != meeting_day:
                errors["date"] = (
                    f"The meeting chosen was on {meeting_day:%-d %B %Y}: give that date, "
                    "or choose the meeting that considered the proposal."
                )
        if self.date is None:
            errors["date"] = "Give the date of this step."
        for field_name, message in REQUIRED.get(self.kind, {}).items():
            attname = self._meta.get_field(field_name).attname  # committee_id: no query
            if not str(getattr(self, attname) or "").strip():
                errors.setdefault(field_name, message)
        not_in_full = self.advice_followed in (AdviceFollowed.PARTLY, AdviceFollowed.NOT_FOLLOWED)
        if self.kind == TrailStepKind.KEY_DECISION and not_in_full and not self.reasons.strip():
            errors["reasons"] = (
                "Give the reasons the decision maker gave for not following the "
                "board's advice in full."
            )
        if self.call_in_ends and self.date and self.call_in_ends < self.date:
            errors["call_in_ends"] = "The call-in period cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    @property
    def rank(self):
        return kind_rank(self.kind)
