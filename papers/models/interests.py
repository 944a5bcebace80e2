"""The register of members' interests, and the record of meeting reminders sent.

An interest is kept by officers in the admin (papers.interests_admin). The public register
(papers.interests_register) shows what the law asks to be published: the member, the category and
the description; a sensitive interest (section 32 of the Localism Act 2011) only as withheld.
The links to a provider or a service area are what the conflict prompts match agenda papers
against (papers.conflicts); they are never published.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from ..choices import InterestCategory

SENSITIVE_NOTICE = "Sensitive interest, withheld under section 32 of the Localism Act 2011."


class Interest(models.Model):
    member = models.ForeignKey("papers.Member", on_delete=models.CASCADE, related_name="interests")
    category = models.CharField(max_length=24, choices=InterestCategory.choices)
    description = models.TextField(
        help_text="As the member registered it, e.g. 'Trustee of Harbourside Community Trust'."
    )
    registered_on = models.DateField("date registered", default=timezone.localdate)
    is_sensitive = models.BooleanField(
        "sensitive interest",
        default=False,
        help_text="The monitoring officer agreed that publishing the details could lead to "
        "violence or intimidation (Localism Act 2011, s.32): the public register says only "
        "that the member has an interest whose details are withheld.",
    )
    provider = models.ForeignKey(
        "papers.ProviderProfilePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The provider on this site the interest is in, if any: members are prompted "
        "when a paper about it is on an agenda.",
    )
    service_area = models.ForeignKey(
        "papers.ServiceArea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The service area the interest touches, if any: members are prompted when a "
        "proposal in it is on an agenda.",
    )

    panels = [
        FieldPanel("member"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("registered_on")]),
        FieldPanel("description"),
        FieldPanel("is_sensitive"),
        MultiFieldPanel(
            [FieldPanel("provider"), FieldPanel("service_area")],
            heading="What the interest touches (for conflict prompts; never published)",
        ),
    ]

    class Meta:
        ordering = ["member__name", "category", "registered_on", "pk"]
        indexes = [models.Index(fields=["provider"]), models.Index(fields=["service_area"])]

    def __str__(self):
        return f"{self.member}: {self.get_category_display()}: {self.public_description}"

    @property
    def public_description(self):
        return SENSITIVE_NOTICE if self.is_sensitive else self.description

    @property
    def anchor(self):
        return f"interest-{self.pk}"


class MeetingReminder(models.Model):
    """A meeting reminder sent to one reader: one row per meeting and recipient, written before
    the email goes, so a re-run (or a second cron) sends nothing twice (papers.reminders)."""

    meeting = models.ForeignKey("papers.MeetingPage", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    prompts = models.PositiveSmallIntegerField(
        default=0, help_text="How many conflict prompts the reminder carried."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_reminder_per_meeting")
        ]

    def __str__(self):
        return f"Reminder of {self.meeting} to {self.user}"


def check_declared_interest(declaration):
    """A declaration links an interest of the member who declared it, or none."""
    interest = declaration.interest
    if interest is not None and interest.member_id != declaration.member_id:
        raise ValidationError(
            {
                "interest": f"This interest is {interest.member}'s: choose one of the declaring "
                "member's own interests, or leave it blank."
            }
        )
