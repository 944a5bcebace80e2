from django.conf import settings
from django.db import models


class AccessLogEntry(models.Model):
    """One view of a restricted page or document by a signed-in user."""

    # Written on every confidential read: left out of Wagtail's reference index, where each
    # entry cost six more queries and a row naming its user, which no "Used in" report shows.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is deleted.")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    object_type = models.CharField(max_length=20)  # "page" or "document"
    object_id = models.PositiveBigIntegerField()
    object_title = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    audience = models.CharField(max_length=10, blank=True)
    # "viewed", or why a board member was turned away (papers.access: training not done).
    outcome = models.CharField(max_length=20, default="viewed", db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    @classmethod
    def record(cls, request, object_type, obj, title, audience, outcome="viewed"):
        """Log that the signed-in user of ``request`` viewed ``obj`` (or was refused it)."""
        user = request.user
        return cls.objects.create(
            user=user,
            username=user.get_username(),
            object_type=object_type,
            object_id=obj.pk,
            object_title=title[:255],
            path=request.get_full_path()[:500],
            audience=audience or "",
            outcome=outcome,
        )

    def __str__(self):
        if self.outcome != "viewed":
            return f"{self.username} refused {self.object_title} ({self.outcome})"
        return f"{self.username} viewed {self.object_title} at {self.viewed_at:%Y-%m-%d %H:%M}"
