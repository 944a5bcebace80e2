"""Structured social value (issue 14, item 4): what a proposal commits the provider to, as
measures with a unit and a target, and what each contract review heard was delivered.

A commitment belongs to the proposal that carried it (an inline of ``ProposalPage``, edited by
officers and approved by the Chair with the page). The contract that proposal awarded names it
(``Contract.awarded_by``); each reading of what was delivered is an inline of the provider's
page, like its KPI readings, dated with the contract review that heard it. Who may see either is
decided in papers.visibility (``visible_commitments``, ``visible_deliveries``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.models import Orderable

from ..choices import SocialValueMeasure, SocialValueUnit
from ..serializers import ChoiceLabelField

HUNDRED = Decimal(100)


def percent_error(unit, value, what):
    """The message for a share over 100%, or None."""
    if unit == SocialValueUnit.PERCENT and value is not None and value > HUNDRED:
        return f"{what} is a share, so it cannot be more than 100%."
    return None


class CommitmentManager(models.Manager):
    # Each commitment is named with its proposal's title (the delivery form's choices).
    def get_queryset(self):
        return super().get_queryset().select_related("proposal")


class SocialValueCommitment(Orderable):
    """One social value commitment of a proposal: what, in which unit, and the target."""

    proposal = ParentalKey(
        "papers.ProposalPage", related_name="commitments", on_delete=models.CASCADE
    )
    measure = models.CharField(
        "what",
        max_length=20,
        choices=SocialValueMeasure.choices,
        help_text="From the council's list.",
    )
    description = models.CharField(
        max_length=255,
        blank=True,
        help_text="In a few words, e.g. 'Apprenticeships for care leavers'. Needed for 'Other'.",
    )
    unit = models.CharField(max_length=10, choices=SocialValueUnit.choices)
    target = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Over the whole contract, or the share held."
    )

    objects = CommitmentManager()

    api_fields = [
        APIField("measure"),
        APIField("measure_label", serializer=ChoiceLabelField("measure")),
        APIField("description"),
        APIField("unit"),
        APIField("target"),
    ]

    panels = [
        FieldRowPanel([FieldPanel("measure"), FieldPanel("description")]),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("target")]),
    ]

    class Meta(Orderable.Meta):
        pass

    @property
    def label(self):
        """What is promised, as the page and the social value page name it."""
        if self.measure == SocialValueMeasure.OTHER or not self.description:
            return self.description or self.get_measure_display()
        return f"{self.get_measure_display()}: {self.description}"

    def clean(self):
        super().clean()
        errors = {}
        if self.measure == SocialValueMeasure.OTHER and not self.description.strip():
            errors["description"] = "Describe a commitment that is not on the list."
        if self.target is not None and self.target < 0:
            errors["target"] = "A target cannot be negative."
        elif message := percent_error(self.unit, self.target, "The target"):
            errors["target"] = message
        if errors:
            raise ValidationError(errors)

    def __str__(self):
        proposal = self.proposal.title if self.proposal_id else "New proposal"
        return f"{proposal}: {self.label} (target {self.target} {self.unit})"


class SocialValueDelivery(Orderable):
    """What a contract review heard was delivered against one commitment, to date."""

    provider = ParentalKey(
        "papers.ProviderProfilePage",
        related_name="social_value_deliveries",
        on_delete=models.CASCADE,
    )
    review_date = models.DateField(
        "date of the review",
        help_text="The date of the contract review (above) that heard this figure.",
    )
    # Nullable: a provider's earlier revision may name a commitment since removed from its
    # proposal; the reading is then left out rather than the revision failing to load.
    commitment = models.ForeignKey(
        SocialValueCommitment,
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        help_text="A commitment of the proposal that awarded one of this provider's contracts.",
    )
    delivered = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Delivered to date, in the commitment's unit."
    )
    note = models.CharField(max_length=255, blank=True, help_text="e.g. why it fell short.")

    panels = [
        FieldRowPanel([FieldPanel("review_date"), FieldPanel("commitment")]),
        FieldRowPanel([FieldPanel("delivered"), FieldPanel("note")]),
    ]

    class Meta(Orderable.Meta):
        pass

    @property
    def shortfall(self):
        commitment = self.commitment
        return commitment is not None and self.delivered < commitment.target

    def clean(self):
        super().clean()
        if self.delivered is not None and self.delivered < 0:
            raise ValidationError({"delivered": "What was delivered cannot be negative."})
        unit = self.commitment.unit if self.commitment_id and self.commitment else None
        if message := percent_error(unit, self.delivered, "What was delivered"):
            raise ValidationError({"delivered": message})

    def __str__(self):
        return f"{self.commitment}: {self.delivered} at the review of {self.review_date}"
