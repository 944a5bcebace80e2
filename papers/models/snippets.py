"""Reference data that pages point at: members, Cabinet Committees and service areas."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..choices import BoardRole

SLUG_HELP = "Used in search filter web addresses. Leave blank to make one from the name."


class SlugFromNameMixin:
    """Officers name things; the web-address slug follows from the name unless they set one."""

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)[:120]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class CabinetCommittee(SlugFromNameMixin, models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text=SLUG_HELP)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceArea(SlugFromNameMixin, models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text=SLUG_HELP)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(index.Indexed, models.Model):
    """A councillor who sits on, substitutes on or attends the board."""

    name = models.CharField(
        max_length=120, help_text="As it appears in minutes, e.g. 'Cllr Ann Smith'."
    )
    political_group = models.CharField(max_length=80, help_text="e.g. Conservative, Labour.")
    board_role = models.CharField(
        max_length=20,
        choices=BoardRole.choices,
        default=BoardRole.MEMBER,
        help_text="Role on the Commissioning Advisory Board.",
    )
    is_current = models.BooleanField(
        default=True, help_text="Untick when the member leaves the board."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_member",
        help_text="The member's sign-in account, if they have one.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("political_group"),
        FieldPanel("board_role"),
        FieldPanel("is_current"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # The member chooser leaves out members already chosen, also while searching.
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
