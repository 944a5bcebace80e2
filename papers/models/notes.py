"""A member's private notes on papers: theirs alone, never shown to anyone else."""

from django.conf import settings
from django.db import models
from wagtail.models import Page

NOTE_MAX_LENGTH = 20000


class PrivateNote(models.Model):
    """One signed-in member's note on one paper. Read only by its author, and only while the
    author may open the paper (papers.notes); deleted with the author's account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_notes"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_note_per_member_paper")
        ]

    def __str__(self):
        return f"Note by user {self.user_id} on page {self.page_id}"
