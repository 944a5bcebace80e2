"""Signals the add-on sends, for other apps (its search, a site's own code) to act on."""

from django.dispatch import Signal

# Sent by BoardDocument.save() once a document with a new or replaced file is saved: its text
# must be read again. Arguments: ``sender`` (the document model), ``instance``, ``created``.
document_file_changed = Signal()
