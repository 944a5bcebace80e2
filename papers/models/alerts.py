"""Saved searches and email alerts: what a member or a subscriber asked to hear about, and
what was sent to whom (so ``send_alerts`` never sends an item twice to one recipient).

Who may read what is never stored here: each alert is built with its recipient's access at
the time of sending (papers.alert_mail, through papers.visibility).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    NONE = "none", "No email"


class Topic(models.TextChoices):
    DECISIONS = "decisions", "New decisions"
    MINUTES = "minutes", "New minutes"
    SEARCH = "search", "A search"


class SavedSearch(models.Model):
    """A signed-in member's search (words and filters, as the search page's query string),
    with an email when something new matches it. Deleted with the member's account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    querystring = models.CharField(max_length=2000, blank=True)
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY)
    # Items first published before this are not "new" to the search (no archive dump).
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def recipient(self):
        return f"user:{self.user_id}"


class EmailSubscription(models.Model):
    """Anyone's subscription by email to new decisions, new minutes or a search of what the
    public may read. Nothing is sent until ``confirmed_at`` (double opt-in)."""

    email = models.EmailField(max_length=254)
    topic = models.CharField(max_length=10, choices=Topic.choices)
    querystring = models.CharField(max_length=2000, blank=True)  # for a search
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["email", "topic"])]

    def __str__(self):
        return f"{self.get_topic_display()} (subscription {self.pk})"

    @property
    def recipient(self):
        return f"email:{self.email.lower()}"


class AlertDelivery(models.Model):
    """One item sent (or being sent) to one recipient. Written, and committed, before the
    email goes: a run that dies after the commit never sends the item again (at most once)."""

    recipient = models.CharField(max_length=270)  # "user:<id>" or "email:<address>"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)  # a search kind: proposal, decision, minutes...
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_id"], name="one_delivery_per_recipient_item"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} to {self.recipient}"
