"""Training modules for members of the board."""

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LearningOutcomeBlock
from ..choices import Stage
from .base import BoardPage
from .indexes import SectionIndexPage


class TrainingIndexPage(SectionIndexPage):
    subpage_types = ["papers.TrainingModulePage"]
    max_count = 1
    ordering = ("path",)
    template = "papers/training_index_page.html"

    @property
    def child_model(self):
        return TrainingModulePage


class TrainingModulePage(BoardPage):
    stage = models.CharField(
        "commissioning stage",
        max_length=10,
        choices=Stage.choices,
        blank=True,
        help_text="The stage of the commissioning cycle this module covers, if one.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        validators=[MinValueValidator(1, "A module takes at least 1 minute.")],
        help_text="How long the module takes, in minutes.",
    )
    learning_outcomes = StreamField(
        [("outcome", LearningOutcomeBlock())], blank=True, use_json_field=True
    )

    api_fields = BoardPage.api_fields + [
        APIField("stage"),
        APIField("duration_minutes"),
        APIField("learning_outcomes"),
    ]

    parent_page_types = ["papers.TrainingIndexPage"]
    subpage_types = []
    template = "papers/training_module_page.html"

    search_fields = BoardPage.search_fields + [
        index.SearchField("learning_outcomes"),
        index.FilterField("stage"),
    ]

    content_panels = (
        Page.content_panels
        + [
            FieldRowPanel([FieldPanel("stage"), FieldPanel("duration_minutes")]),
            FieldPanel("summary"),
            FieldPanel("learning_outcomes"),
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)
