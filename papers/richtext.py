"""Links to documents in rich text, shown only to a reader who may open the document.

A page may link a document more restricted than itself (its readers who may open it follow the
link; see papers.confidentiality). Everyone else must not see the link at all: not its address
(which carries the file name) and not its text (often the document's title). Rich text is
rendered without a request, so the reader of the current request is kept in a context variable
set by papers.access.ReaderMiddleware; with no request (a feed built in a task, say)
the reader is anonymous.
"""

import contextvars
import re

from django.contrib.auth.models import AnonymousUser
from wagtail.documents import get_document_model
from wagtail.documents.rich_text import DocumentLinkHandler

from .visibility import can_view_document

READER = contextvars.ContextVar("papers_reader", default=None)
WITHHELD_TAG = '<a data-withheld-document="">'
WITHHELD_LINK = re.compile(r'<a data-withheld-document="">.*?</a>', re.DOTALL)
# A document link in the stored (database) form of rich text, with its text.
STORED_LINK = re.compile(r"<a\b([^>]*)>.*?</a>", re.DOTALL | re.IGNORECASE)
DOCUMENT_TYPE = re.compile(r"""\blinktype=["']document["']""", re.IGNORECASE)
LINK_ID = re.compile(r"""\bid=["'](\d+)["']""", re.IGNORECASE)


def reader():
    return READER.get() or AnonymousUser()


class ReaderDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document link, or a marker (no address, no file name) that the rich-text
    template removes with the link's text, for a reader who may not open the document."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        user = reader()
        documents = cls.get_many(attrs_list)
        tags = super().expand_db_attributes_many(attrs_list)
        return [
            tag if document is not None and can_view_document(user, document) else WITHHELD_TAG
            for tag, document in zip(tags, documents, strict=True)
        ]


def without_withheld_links(html):
    """Rendered rich text without the links (and their text) withheld from this reader."""
    return WITHHELD_LINK.sub("", html or "")


def stored_document_links(source):
    """{link as stored: document id} of each document link in stored rich text."""
    ids = {}
    for match in STORED_LINK.finditer(source or ""):
        attrs = match.group(1)
        if DOCUMENT_TYPE.search(attrs) and (found := LINK_ID.search(attrs)):
            ids[match.group(0)] = int(found.group(1))
    return ids


def withhold_stored_links(source, user):
    """Stored rich text without the document links ``user`` may not open (for the API)."""
    ids = stored_document_links(source)
    if not ids:
        return source
    documents = get_document_model().objects.select_related("collection").in_bulk(ids.values())
    for link, document_id in ids.items():
        document = documents.get(document_id)
        if document is None or not can_view_document(user, document):
            source = source.replace(link, "")
    return source
