"""The backbench digest's records: who has asked not to receive it, and which weeks have been
emailed to whom (so ``send_digest`` never sends a week twice)."""

from django.conf import settings
from django.db import models


class DigestPreference(models.Model):
    """A member's choice about the weekly digest email. No row means the default: receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekly_email = models.BooleanField("email me the weekly digest", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Digest preference of user {self.user_id}: {self.weekly_email}"

    @classmethod
    def wants_email(cls, user):
        choice = cls.objects.filter(user=user).values_list("weekly_email", flat=True).first()
        return True if choice is None else choice


class DigestDelivery(models.Model):
    """One week's digest emailed to one member: recorded before the email goes, so a re-run
    (or a second cron running at once) never sends the same week to the same person twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    week = models.DateField(help_text="The Monday of the ISO week the digest covers.")
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_member_week")
        ]

    def __str__(self):
        return f"Digest of the week of {self.week} to user {self.user_id}"
