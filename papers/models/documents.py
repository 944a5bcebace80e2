from django.db import models
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index


class BoardDocument(AbstractDocument):
    """A document whose text is extracted on upload so search can find words inside it."""

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
