from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from ..storage import private_document_storage


class BoardDocument(AbstractDocument):
    """A document whose text is extracted on upload so search can find words inside it."""

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

    def save(self, *args, **kwargs):
        # A new upload or a replaced file (Wagtail assigns a new, uncommitted file) is read
        # again; search.signals then reindexes the pages that attach it.
        file_is_new = bool(self.file) and not getattr(self.file, "_committed", True)
        self._text_changed = file_is_new or (self.pk is None and bool(self.file))
        if self._text_changed:
            self.read_text()
        super().save(*args, **kwargs)

    def read_text(self):
        """Fill extracted_text and extraction_note from the file; never raises."""
        from io import BytesIO

        from search.extraction import extract_text

        try:
            self.file.open("rb")
            data = BytesIO(self.file.read())
        except Exception:  # a missing file is a note, not an error page
            self.extracted_text, self.extraction_note = "", "The file could not be opened."
            return
        self.extracted_text, self.extraction_note = extract_text(data, self.file.name)
