"""Training modules for members of the board, and who has completed each."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LearningOutcomeBlock
from ..choices import Stage
from ..conf import group_name
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
    required_for_board_papers = models.BooleanField(
        "required before board papers",
        default=False,
        help_text="When the site requires training, board members open board-only papers "
        "only once they have completed every module marked so.",
    )
    how_to_complete = models.CharField(
        max_length=255,
        blank=True,
        help_text="How a member completes this module, e.g. 'Book a session with Democratic "
        "Services' (shown to members who still need it).",
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
            FieldRowPanel([FieldPanel("required_for_board_papers"), FieldPanel("how_to_complete")]),
            FieldPanel("summary"),
            FieldPanel("learning_outcomes"),
            FieldPanel("body"),
        ]
        + BoardPage.record_panels
    )
    edit_handler = BoardPage.board_edit_handler(content_panels)

    def board_completion(self):
        """How many of the board's current members (board members and the Chair, with active
        accounts) have completed this module, and of how many: counts only, never names."""
        return board_completions([self])[0]


def _board_members():
    names = [group_name("BOARD_MEMBERS"), group_name("CHAIR")]
    board = get_user_model().objects.filter(is_active=True, groups__name__in=names)
    return board.values("pk").distinct()


def board_completions(modules):
    """``[{"done": n, "of": m}, ...]`` for ``modules``, in two queries however many there are
    (an index page lists a page of them)."""
    board = _board_members()
    done = dict(
        TrainingCompletion.objects.filter(module__in=[m.pk for m in modules], user__in=board)
        .values_list("module")
        .annotate(n=models.Count("user", distinct=True))
    )
    of = board.count()
    return [{"done": done.get(module.pk, 0), "of": of} for module in modules]


class CompletionMethod(models.TextChoices):
    SESSION = "session", "Attended a session"
    ELEARNING = "elearning", "E-learning"
    OFFICER = "officer", "Recorded by an officer"


class TrainingCompletion(models.Model):
    """One member's completion of one module, recorded by an officer in the admin."""

    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.CASCADE, related_name="completions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_completions",
        verbose_name="member",
    )
    completed_on = models.DateField("date completed")
    method = models.CharField(
        "how", max_length=10, choices=CompletionMethod.choices, default=CompletionMethod.SESSION
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["module", "user"], name="one_completion_per_module")
        ]
        verbose_name = "training completion"

    def __str__(self):
        return f"{self.user} completed {self.module.title} on {self.completed_on:%d %B %Y}"
