"""Commissioning proposals: the papers the board considers before a Key Decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, OptionBlock
from ..choices import AdviceFollowed, ProposalStatus, RouteToMarket, Stage, TrailStepKind
from ..page_forms import ProposalPageForm
from ..serializers import ChoiceLabelField, NameField, VisiblePagesField
from ..validators import key_decision_reference_validator
from .base import BoardPage
from .indexes import SectionIndexPage


class ProposalIndexPage(SectionIndexPage):
    subpage_types = ["papers.ProposalPage"]
    max_count = 1
    ordering = ("-paper_date", "-first_published_at")
    template = "papers/proposal_index_page.html"

    @property
    def child_model(self):
        return ProposalPage


class ProposalPage(BoardPage):
    base_form_class = ProposalPageForm

    key_decision_reference = models.CharField(
        # Wider than NN/NNNNN so a mistyped reference gets the format message, not a length one.
        max_length=20,
        blank=True,
        validators=[key_decision_reference_validator],
        help_text="The council's Key Decision reference, in the form NN/NNNNN, e.g. 25/00012.",
    )
    decision_maker = models.CharField(
        max_length=120, blank=True, help_text="e.g. 'Cabinet Member for Adult Social Care'."
    )
    expected_decision_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the Key Decision is expected to be taken: shown on the forward plan.",
    )
    cabinet_committee = models.ForeignKey(
        "papers.CabinetCommittee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The Cabinet Committee the board's advice is reported to.",
    )
    service_area = models.ForeignKey(
        "papers.ServiceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(
        "commissioning stage",
        max_length=10,
        choices=Stage.choices,
        default=Stage.ANALYSE,
        help_text="Where the service is in the commissioning cycle.",
    )
    programme = models.CharField(
        max_length=120,
        blank=True,
        help_text="e.g. 'Transformation programme, phase 2'. Leave blank if none.",
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.FOR_CONSIDERATION
    )
    options_appraisal = StreamField([("option", OptionBlock())], blank=True, use_json_field=True)
    price_weighting = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Per cent of the evaluation given to price."
    )
    quality_weighting = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Per cent given to quality."
    )
    social_value_weighting = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Per cent given to social value."
    )
    social_value_commitments = RichTextField(
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="Local SMEs and voluntary organisations, apprenticeships, volume commitments.",
    )
    route_to_market = models.CharField(
        max_length=20, choices=RouteToMarket.choices, default=RouteToMarket.NOT_DECIDED
    )
    estimated_value = models.DecimalField(
        "estimated contract value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Whole-life value in pounds, without the £ sign.",
    )
    recommendation = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    board_advice = RichTextField("the board's advice", blank=True, features=RICH_TEXT_FEATURES)
    cabinet_response = RichTextField(
        "what the Cabinet Committee did",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="What the Cabinet Committee or decision maker then did with the board's advice.",
    )
    related_providers = ParentalManyToManyField(
        "papers.ProviderProfilePage", blank=True, related_name="proposals"
    )

    api_fields = BoardPage.api_fields + [
        APIField("key_decision_reference"),
        APIField("decision_maker"),
        APIField("expected_decision_date"),
        APIField("cabinet_committee", serializer=NameField()),
        APIField("service_area", serializer=NameField()),
        APIField("stage"),
        APIField("programme"),
        APIField("status"),
        APIField("status_label", serializer=ChoiceLabelField("status")),
        APIField("options_appraisal"),
        APIField("price_weighting"),
        APIField("quality_weighting"),
        APIField("social_value_weighting"),
        APIField("social_value_commitments"),
        APIField("commitments"),
        APIField("route_to_market"),
        APIField("estimated_value"),
        APIField("recommendation"),
        APIField("board_advice"),
        APIField("cabinet_response"),
        APIField("trail"),
        APIField("related_providers", serializer=VisiblePagesField()),
    ]

    parent_page_types = ["papers.ProposalIndexPage"]
    subpage_types = []
    template = "papers/proposal_page.html"

    search_fields = BoardPage.search_fields + [
        index.SearchField("key_decision_reference", boost=10),
        index.AutocompleteField("key_decision_reference"),
        index.SearchField("programme"),
        index.SearchField("recommendation"),
        index.SearchField("board_advice"),
        index.SearchField("social_value_commitments"),
        index.SearchField("options_appraisal"),
        index.FilterField("stage"),
        index.FilterField("status"),
        index.FilterField("service_area_id"),
        index.FilterField("cabinet_committee_id"),
        index.RelatedFields("service_area", [index.SearchField("name")]),
    ]

    content_panels = (
        Page.content_panels
        + [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("stage"),
                            FieldPanel(
                                "status",
                                help_text="Where the paper is in the board's process: from board consideration to the Key Decision.",
                            ),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("service_area"), FieldPanel("cabinet_committee")]),
                    FieldRowPanel(
                        [FieldPanel("key_decision_reference"), FieldPanel("decision_maker")]
                    ),
                    FieldPanel("expected_decision_date"),
                    FieldPanel("programme"),
                ],
                heading="The decision",
            ),
            FieldPanel("summary"),
            FieldPanel("body"),
            FieldPanel(
                "options_appraisal",
                help_text="Each option considered, its costs, advantages and disadvantages; tick the recommended one.",
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("price_weighting"),
                            FieldPanel("quality_weighting"),
                            FieldPanel("social_value_weighting"),
                        ]
                    ),
                    InlinePanel(
                        "commitments",
                        heading="Social value commitments",
                        label="Commitment",
                        help_text=(
                            "Each commitment as a measure: what, its unit and the target the "
                            "provider is held to. Contract reviews record what was delivered."
                        ),
                    ),
                    FieldPanel("social_value_commitments", heading="Social value, in words"),
                ],
                heading="Social value: price, quality and social value weighting",
            ),
            FieldRowPanel(
                [
                    FieldPanel(
                        "route_to_market", help_text="How the service will be bought, if decided."
                    ),
                    FieldPanel("estimated_value"),
                ]
            ),
            FieldPanel(
                "recommendation",
                help_text="What officers recommend the board advises, in the report's words.",
            ),
            MultiFieldPanel(
                [FieldPanel("board_advice"), FieldPanel("cabinet_response")],
                heading="Advice and outcome",
            ),
            InlinePanel(
                "trail",
                heading="The advice trail",
                label="Step",
                help_text=(
                    "Each step in date order: the board's consideration, the report to the "
                    "Cabinet Committee, the Key Decision and its call-in period. Fill in the "
                    "part for the step chosen."
                ),
            ),
            FieldPanel(
                "related_providers",
                widget=forms.CheckboxSelectMultiple,
                help_text="Providers whose contracts this proposal affects. Tick all that apply.",
            ),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    class Meta:
        # The proposals index lists them newest paper first: read in that order, page by page.
        indexes = [
            models.Index(fields=["paper_date"]),
            # The forward plan's Key Decisions still ahead (status draft or for consideration):
            # a few hundred among every paper. Not a partial index: SQLite uses one only when
            # the statement spells out its condition's values, and Django binds them as
            # parameters (a scan of every paper, 20 ms at 10,000, five times a page).
            models.Index(
                fields=["status", "expected_decision_date"], name="proposal_status_expected"
            ),
            # Search reads these of every proposal it finds, and of every decision's proposal
            # (dates, facets): from this index alone, not from the wide rows (20 MB at 10,000
            # papers, read twice a search). Plain columns, not INCLUDE: SQLite covers with it too.
            models.Index(
                fields=["page_ptr", "paper_date", "stage", "service_area", "cabinet_committee"],
                name="proposal_search_facts",
            ),
            # A paper found by its reference typed in any case (as for decisions).
            models.Index(Upper("reference"), name="proposal_reference_upper"),
            models.Index(Upper("key_decision_reference"), name="proposal_key_ref_upper"),
        ]

    def clean(self):
        super().clean()
        weights = [self.price_weighting, self.quality_weighting, self.social_value_weighting]
        if any(w is not None for w in weights) and (None in weights or sum(weights) != 100):
            given = sum(w for w in weights if w is not None)
            raise ValidationError(
                {
                    "social_value_weighting": (
                        "Price, quality and social value weightings must all be given "
                        f"and add up to 100: these add up to {given}."
                    )
                }
            )
        if self.estimated_value is not None and self.estimated_value < 0:
            raise ValidationError({"estimated_value": "A contract value cannot be negative."})

    # -- the advice trail (papers.models.trail) ------------------------------------------------
    @property
    def key_decision_step(self):
        """The latest Key Decision step of the trail, or None."""
        steps = [step for step in self.trail.all() if step.kind == TrailStepKind.KEY_DECISION]
        return max(steps, key=lambda step: (step.date, step.sort_order or 0), default=None)

    @property
    def advice_followed(self):
        step = self.key_decision_step
        return AdviceFollowed(step.advice_followed) if step and step.advice_followed else None
