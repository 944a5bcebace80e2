"""Read the text of uploaded documents in the background, within time and memory limits.

A saved document with a new file (BoardDocument.save sets a "pending" note and sends
``papers.signals.document_file_changed``) enqueues ``extract_document_text`` on the
"extraction" task backend: immediate in development and tests, django-tasks-db's
DatabaseBackend in production, where ``manage.py db_worker --backend extraction`` runs it.
The parse itself runs in a child process (papers.sandbox) so a PDF bomb, a huge scan or a
zip bomb costs at most EXTRACTION_TIMEOUT seconds and EXTRACTION_MEMORY_MB, and never the
worker. Every outcome is a note on the document; the uploaded file is never touched. Then the
document and the pages that attach it are reindexed.
"""

import io
import logging
import os

from django.conf import settings
from django_tasks import task
from wagtail.documents import get_document_model
from wagtail.search.index import insert_or_update_object

from .. import sandbox
from ..signals import document_file_changed
from .extraction import extract_text
from .signals import pages_attaching, reindex_pages

logger = logging.getLogger(__name__)

BACKEND = "extraction"
SANDBOXED = {".pdf", ".docx"}  # the types read by a parser (pypdf, python-docx)


def limits():
    return (
        getattr(settings, "EXTRACTION_TIMEOUT", 60),
        getattr(settings, "EXTRACTION_MEMORY_MB", 768),
    )


def sandbox_note(error):
    timeout, memory_mb = limits()
    if error.kind == "timeout":
        return (
            f"Text could not be read within {timeout} seconds (the file may be very large or "
            "built to overload readers), so it cannot be searched. The file itself is kept."
        )
    if error.kind == "memory":
        return (
            f"Reading the text needed more than {memory_mb} MB of memory (the file may be built "
            "to overload readers), so it cannot be searched. The file itself is kept."
        )
    return "The text reader stopped on this file (it may be damaged), so it cannot be searched."


def read_text(document):
    """``(text, note)`` for ``document``'s file, parsed in a limited child process."""
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return "", "The file could not be opened, so it cannot be searched."
    if os.path.splitext(document.file.name)[1].lower() not in SANDBOXED:
        # Text files are decoded up to a fixed size, other types not read: no parser to limit.
        return extract_text(io.BytesIO(data), document.file.name)
    timeout, memory_mb = limits()
    try:
        text, note = sandbox.run(
            "papers.search.extraction:extract_text",
            data,
            document.file.name,
            timeout=timeout,
            memory_mb=memory_mb,
        )
    except sandbox.SandboxError as error:
        logger.warning("Text extraction of document %s failed: %s", document.pk, error)
        return "", sandbox_note(error)
    return text, note


@task(backend=BACKEND)
def extract_document_text(document_id, file_name):
    Document = get_document_model()
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.file.name != file_name:
        return "skipped: the document was deleted or its file replaced since"
    text, note = read_text(document)
    Document.objects.filter(pk=document_id, file=file_name).update(
        extracted_text=text, extraction_note=note[:255]
    )
    document.extracted_text, document.extraction_note = text, note[:255]
    insert_or_update_object(document)
    reindex_pages(pages_attaching(document))
    return note or "text read"


def enqueue_extraction(sender, instance, **kwargs):
    result = extract_document_text.enqueue(instance.pk, instance.file.name)
    if result.is_finished:
        # Ran at once (the immediate backend): the saved object shows the outcome too (the
        # task has indexed the text).
        instance.refresh_from_db(fields=["extracted_text", "extraction_note"])


def connect():
    """Read the text of each saved document with a new file (from ``PapersConfig.ready()``)."""
    document_file_changed.connect(
        enqueue_extraction, sender=get_document_model(), dispatch_uid="papers.search.extract"
    )
