from django.conf import settings
from django.db import models


class AccessLogEntry(models.Model):
    """One view of a restricted page or document by a signed-in user."""

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

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"

    @classmethod
    def record(cls, request, object_type, obj, title, audience):
        """Log that the signed-in user of ``request`` viewed ``obj``."""
        user = request.user
        return cls.objects.create(
            user=user,
            username=user.get_username(),
            object_type=object_type,
            object_id=obj.pk,
            object_title=title[:255],
            path=request.get_full_path()[:500],
            audience=audience or "",
        )

    def __str__(self):
        return f"{self.username} viewed {self.object_title} at {self.viewed_at:%Y-%m-%d %H:%M}"
