from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from ..signals import document_file_changed
from ..storage import private_document_storage
from ..uploads import validate_upload

EXTRACTION_PENDING = "Text extraction pending: the words in this file become searchable shortly."


class BoardDocument(AbstractDocument):
    """A document whose text is extracted after upload so search can find words inside it."""

    # Stored outside MEDIA_ROOT, so only Wagtail's permission-checking view can serve it.
    file = models.FileField(
        upload_to="documents", storage=private_document_storage, verbose_name="file"
    )
    extracted_text = models.TextField(blank=True, editable=False)
    extraction_note = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="Why no text could be read from the file, if so.",
    )

    admin_form_fields = Document.admin_form_fields

    search_fields = AbstractDocument.search_fields + [
        index.SearchField("extracted_text"),
    ]

    def clean(self):
        super().clean()  # the extension allow-list (WAGTAILDOCS_EXTENSIONS)
        if self.file_is_new():
            validate_upload(self.file)

    def file_is_new(self, update_fields=None):
        """A new document's file, or one that differs from the stored row's: an upload (not yet
        stored, so not yet named under upload_to) or a file replaced in code."""
        if not self.file or (update_fields is not None and "file" not in update_fields):
            return False
        if self.pk is None:
            return True
        stored = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return stored != self.file.name

    def save(self, *args, **kwargs):
        # The text is read by a background task (papers.search.tasks, on papers.signals.document_file_changed), never
        # in the request; until then the document says so.
        created = self.pk is None
        file_changed = self.file_is_new(kwargs.get("update_fields"))
        if file_changed:
            self.extracted_text, self.extraction_note = "", EXTRACTION_PENDING
        super().save(*args, **kwargs)
        if file_changed:
            document_file_changed.send(sender=type(self), instance=self, created=created)
