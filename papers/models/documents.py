from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

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

    def file_is_new(self):
        """A new upload or a replaced file: Wagtail assigns a new, uncommitted file."""
        return bool(self.file) and not getattr(self.file, "_committed", True)

    def save(self, *args, **kwargs):
        # The text is read by a background task (papers.search.tasks, on post_save), never in the
        # request; until then the document says so. papers.search.signals reindexes on the flag.
        self._text_changed = self.file_is_new() or (self.pk is None and bool(self.file))
        if self._text_changed:
            self.extracted_text, self.extraction_note = "", EXTRACTION_PENDING
        super().save(*args, **kwargs)
