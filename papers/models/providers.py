"""Providers the council commissions, their contracts and contract review meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..choices import RagRating, Sector
from ..serializers import ChoiceLabelField
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
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)


class Contract(Orderable):
    provider = ParentalKey(ProviderProfilePage, related_name="contracts", on_delete=models.CASCADE)
    title = models.CharField(max_length=255)
    contract_reference = models.CharField(max_length=40, blank=True)
    annual_value = models.DecimalField(
        "annual value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField()
    end_date = models.DateField()
    owner = models.CharField(
        "contract owner", max_length=120, help_text="The officer responsible for the contract."
    )
    rag_rating = models.CharField(
        "RAG rating", max_length=5, choices=RagRating.choices, default=RagRating.GREEN
    )
    kpis = models.TextField("KPIs", blank=True, help_text="Key performance indicators, one a line.")

    api_fields = [
        APIField("title"),
        APIField("contract_reference"),
        APIField("annual_value"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("owner"),
        APIField("rag_rating"),
        APIField("kpis"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("contract_reference")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("annual_value"), FieldPanel("owner"), FieldPanel("rag_rating")]),
        FieldPanel("kpis"),
    ]

    class Meta(Orderable.Meta):
        pass

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "A contract must end after it starts."})

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

    api_fields = [
        APIField("contract"),
        APIField("title"),
        APIField("date"),
        APIField("outcome"),
        APIField("rag_rating"),
        APIField("next_review"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("date")]),
        FieldPanel("contract"),
        FieldPanel("outcome"),
        FieldRowPanel([FieldPanel("rag_rating"), FieldPanel("next_review")]),
    ]

    def clean(self):
        super().clean()
        if self.date and self.next_review and self.next_review <= self.date:
            raise ValidationError({"next_review": "The next review must come after this one."})

    def __str__(self):
        return f"{self.title} ({self.date:%d %B %Y})"
