"""Providers the council commissions, their contracts and contract review meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..choices import ProcurementRoute, RagRating, Sector
from ..page_forms import ProviderPageForm
from ..serializers import ChoiceLabelField, DeliveredField, VisiblePageField
from .base import BoardPage
from .indexes import SectionIndexPage


class ProviderIndexPage(SectionIndexPage):
    subpage_types = ["papers.ProviderProfilePage"]
    max_count = 1
    ordering = ("title",)
    template = "papers/provider_index_page.html"

    @property
    def child_model(self):
        return ProviderProfilePage


class ProviderProfilePage(BoardPage):
    base_form_class = ProviderPageForm

    sector = models.CharField(max_length=20, choices=Sector.choices)
    services = models.TextField(help_text="What the provider delivers for the council.")
    performance_contact = models.CharField(
        "contact for performance issues",
        max_length=255,
        blank=True,
        help_text="Name and role of the council officer who manages performance.",
    )
    performance_contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)

    api_fields = BoardPage.api_fields + [
        APIField("sector"),
        APIField("sector_label", serializer=ChoiceLabelField("sector")),
        APIField("services"),
        APIField("performance_contact"),
        APIField("performance_contact_email"),
        APIField("website"),
        APIField("contracts"),
        APIField("reviews"),
        APIField("kpi_readings"),
    ]

    parent_page_types = ["papers.ProviderIndexPage"]
    subpage_types = []
    template = "papers/provider_profile_page.html"

    search_fields = BoardPage.search_fields + [
        index.SearchField("services"),
        index.FilterField("sector"),
        index.RelatedFields("contracts", [index.SearchField("title"), index.SearchField("kpis")]),
    ]

    content_panels = (
        Page.content_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("sector"),
                    FieldPanel("services"),
                    FieldRowPanel(
                        [FieldPanel("performance_contact"), FieldPanel("performance_contact_email")]
                    ),
                    FieldPanel("website"),
                ],
                heading="About the provider",
            ),
            FieldPanel("summary"),
            InlinePanel("contracts", heading="Contracts", label="Contract"),
            InlinePanel("reviews", heading="Contract review meetings", label="Review meeting"),
            InlinePanel(
                "kpi_readings",
                heading="KPI readings",
                label="KPI reading",
                help_text="One row per indicator per period: the target and what was achieved.",
            ),
            InlinePanel(
                "social_value_deliveries",
                heading="Social value delivered",
                label="Reading",
                help_text=(
                    "What a contract review heard was delivered to date against each social "
                    "value commitment of the proposal that awarded the contract."
                ),
            ),
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)


class Contract(Orderable):
    """A contract, grant or service level agreement: a row of the contracts register
    (papers.contracts) and of its Transparency Code CSV."""

    provider = ParentalKey(ProviderProfilePage, related_name="contracts", on_delete=models.CASCADE)
    title = models.CharField(max_length=255)
    contract_reference = models.CharField(max_length=40, blank=True)
    service = models.CharField(
        max_length=255,
        blank=True,
        help_text="The goods or services bought, in a few words (the register's description).",
    )
    department = models.CharField(
        max_length=120, blank=True, help_text="The council department responsible."
    )
    annual_value = models.DecimalField(
        "annual value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_value = models.DecimalField(
        "value over the whole term (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The sum to be paid over the length of the contract, extensions excluded.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    extension_options = models.CharField(
        max_length=255, blank=True, help_text="e.g. 'Up to two further years, one at a time'."
    )
    review_date = models.DateField(
        "next review date", null=True, blank=True, help_text="When the board next reviews it."
    )
    owner = models.CharField(
        "contract owner", max_length=120, help_text="The officer responsible for the contract."
    )
    contact_email = models.EmailField(
        "contract contact email", blank=True, help_text="Where members raise a concern."
    )
    procurement_route = models.CharField(
        max_length=20, choices=ProcurementRoute.choices, blank=True
    )
    sector = models.CharField(
        "supplier sector",
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text="Leave blank when it is the provider's own sector.",
    )
    supplier_registration_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="Companies House or Charity Commission number.",
    )
    recommissioning_proposal = models.ForeignKey(
        "papers.ProposalPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The proposal to recommission this service, once it reaches the analyse stage.",
    )
    awarded_by = models.ForeignKey(
        "papers.ProposalPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awarded_contracts",
        verbose_name="awarded by proposal",
        help_text="The proposal that awarded (or last extended) this contract: its social value "
        "commitments are what the provider is held to.",
    )
    rag_rating = models.CharField(
        "RAG rating", max_length=5, choices=RagRating.choices, default=RagRating.GREEN
    )
    kpis = models.TextField("KPIs", blank=True, help_text="Key performance indicators, one a line.")

    api_fields = [
        APIField("title"),
        APIField("contract_reference"),
        APIField("service"),
        APIField("department"),
        APIField("annual_value"),
        APIField("total_value"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("extension_options"),
        APIField("review_date"),
        APIField("owner"),
        APIField("contact_email"),
        APIField("procurement_route"),
        APIField("supplier_sector"),
        APIField("supplier_registration_number"),
        APIField("rag_rating"),
        APIField("kpis"),
        APIField("awarded_by", serializer=VisiblePageField()),
    ]

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("contract_reference")]),
        FieldRowPanel([FieldPanel("service"), FieldPanel("department")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("extension_options"), FieldPanel("review_date")]),
        FieldRowPanel([FieldPanel("annual_value"), FieldPanel("total_value")]),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("contact_email")]),
        FieldRowPanel(
            [
                FieldPanel("procurement_route"),
                FieldPanel("sector"),
                FieldPanel("supplier_registration_number"),
            ]
        ),
        FieldRowPanel([FieldPanel("rag_rating"), FieldPanel("recommissioning_proposal")]),
        FieldPanel("awarded_by"),
        FieldPanel("kpis"),
    ]

    class Meta(Orderable.Meta):
        pass

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "A contract must end after it starts."})

    @property
    def supplier_sector(self):
        """The contract's own sector, or its provider's when none is given."""
        return self.sector or self.provider.sector

    @property
    def supplier_sector_label(self):
        return Sector(self.supplier_sector).label

    @property
    def kpi_list(self):
        return [line.strip() for line in self.kpis.splitlines() if line.strip()]

    def __str__(self):
        return self.title


class ContractReview(Orderable):
    provider = ParentalKey(ProviderProfilePage, related_name="reviews", on_delete=models.CASCADE)
    contract = models.CharField(max_length=255, blank=True, help_text="The contract reviewed.")
    title = models.CharField(max_length=255, help_text="e.g. 'Six-month review'.")
    date = models.DateField()
    outcome = models.TextField()
    rag_rating = models.CharField(
        "RAG rating", max_length=5, choices=RagRating.choices, default=RagRating.GREEN
    )
    next_review = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        "papers.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The board meeting that held the review, if it was one.",
    )

    api_fields = [
        APIField("contract"),
        APIField("title"),
        APIField("date"),
        APIField("outcome"),
        APIField("rag_rating"),
        APIField("next_review"),
        APIField("delivered", serializer=DeliveredField()),
    ]

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("date")]),
        FieldPanel("contract"),
        FieldPanel("outcome"),
        FieldRowPanel([FieldPanel("rag_rating"), FieldPanel("next_review")]),
        FieldPanel("meeting"),
    ]

    def clean(self):
        super().clean()
        if self.date and self.next_review and self.next_review <= self.date:
            raise ValidationError({"next_review": "The next review must come after this one."})

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"


class KpiReading(Orderable):
    """What a contract achieved against one key performance indicator in one period."""

    provider = ParentalKey(
        ProviderProfilePage, related_name="kpi_readings", on_delete=models.CASCADE
    )
    contract = models.CharField(
        max_length=255, help_text="The contract's title or reference, as in its contracts row."
    )
    indicator = models.CharField(max_length=255, help_text="e.g. 'Missed visits'.")
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. '%' or 'hours'.")
    period = models.CharField(max_length=40, help_text="e.g. '2025-26 Q1'.")
    period_end = models.DateField(help_text="The last day of the period: readings sort by it.")
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2)

    api_fields = [
        APIField("contract"),
        APIField("indicator"),
        APIField("unit"),
        APIField("period"),
        APIField("period_end"),
        APIField("target"),
        APIField("actual"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("contract"), FieldPanel("indicator"), FieldPanel("unit")]),
        FieldRowPanel(
            [
                FieldPanel("period"),
                FieldPanel("period_end"),
                FieldPanel("target"),
                FieldPanel("actual"),
            ]
        ),
    ]

    def __str__(self):
        return f"{self.indicator}, {self.period}"
