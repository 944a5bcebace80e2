"""What a results page shows for each hit: link, type, date, snippet, matching attachments."""

import html
from collections import defaultdict
from dataclasses import dataclass, field, fields
from operator import attrgetter

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.search import index

from ..caching import cached_by_key
from ..models import Decision
from ..visibility import decision_is_readable, visible_documents, visible_page_ids
from .kinds import KINDS
from .query import word_pattern

SNIPPET_CHARS = 260
SKIPPED_FIELDS = {"title", "attachment_text"}


@dataclass
class Item:
    kind: str
    title: str
    url: str
    date: object
    snippet: str
    reference: str = ""
    context: str = ""  # e.g. the minutes a decision is in
    outcome: str = ""
    outcome_code: str = ""
    attachments: list = field(default_factory=list)  # titles of attachments that matched

    @property
    def kind_label(self):
        return KINDS[self.kind].singular


@dataclass(frozen=True, slots=True)
class Shown:
    """What a result shows of a page, whoever reads it (kept in the page cache)."""

    title: str
    url: str
    text: str
    reference: str
    attachments: tuple  # (document id, title)
    public: bool  # kept only if the public may see the page and all it attaches


# A Shown pickled before a field was added would unpickle without it (AttributeError on
# reading): the fields' names are in the cache key, so another shape is never read back.
SHOWN_KIND = "search-result:" + ",".join(shown_field.name for shown_field in fields(Shown))


def highlight(text, pattern, length=SNIPPET_CHARS):
    """An HTML-escaped extract of ``text`` around the first match, matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    match = pattern.search(text) if pattern else None
    if match is None:
        extract = text[:length]
        return html.escape(extract + ("…" if len(text) > length else ""))
    start = max(0, match.start() - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", match.end(), end)
        end = space if space > match.end() else end
    extract = text[start:end]
    pieces, last = [], 0
    for found in pattern.finditer(extract):
        pieces.append(html.escape(extract[last : found.start()]))
        pieces.append(f"<mark>{html.escape(found.group())}</mark>")
        last = found.end()
    pieces.append(html.escape(extract[last:]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(_as_text(v) for v in value)
    return strip_tags(str(value))


def page_text(page):
    """The page's own indexed text (what the reader of the page can see), summary first."""
    parts = [page.summary or ""] if hasattr(page, "summary") else []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        if search_field.field_name in SKIPPED_FIELDS | {"summary"}:
            continue
        try:
            parts.append(_as_text(search_field.get_value(page)))
        except Exception:  # a field that cannot be read must not spoil the results page
            continue
    return " ".join(p for p in parts if p)


def _fetch_text_relations(pages):
    """Read the relations each page's indexed text needs, one query per relation and class."""
    by_class = defaultdict(list)
    for page in pages:
        by_class[type(page)].append(page)
    for model, instances in by_class.items():
        relations = getattr(model, "search_text_relations", ())
        if relations:
            prefetch_related_objects(instances, *relations)


def _attachments(page):
    """(document id, title) of each document attached to ``page``, in the page's order."""
    titles = {}
    for block in getattr(page, "attachments", ()):
        document = block.value.get("document")
        if document is not None:
            titles[document.pk] = block.value.get("title") or document.title
    return tuple(titles.items())


def _read_shown(request, page_ids):
    """What a result shows of each page: the same for every reader who may see the page."""
    pages = Page.objects.filter(pk__in=page_ids).specific()
    _fetch_text_relations(pages)
    attachments = {page.pk: _attachments(page) for page in pages}
    public = _public(page_ids, attachments)
    return {
        page.pk: Shown(
            title=page.title,
            url=page.get_url(request),
            text=page_text(page),
            reference=getattr(page, "reference", "") or "",
            attachments=attachments[page.pk],
            public=page.pk in public,
        )
        for page in pages
    }


def _public(page_ids, attachments):
    """The pages among ``page_ids`` that the public may see with every document they attach
    (``attachments``: {page id: ((document id, title), ...)}): the titles of a restricted
    attachment are restricted too, even on a public page."""
    anonymous = AnonymousUser()
    pages = visible_page_ids(anonymous, page_ids)
    doc_ids = {doc_id for attached in attachments.values() for doc_id, _title in attached}
    public_docs = set()
    if doc_ids:
        documents = get_document_model().objects.filter(pk__in=doc_ids)
        public_docs = set(visible_documents(anonymous, documents).values_list("pk", flat=True))
    return {
        pk
        for pk in pages
        if all(doc_id in public_docs for doc_id, _title in attachments.get(pk, ()))
    }


def shown_pages(request, page_ids):
    """``{page id: Shown}``, a public page's kept for the page cache's generation
    (papers.caching): the popular papers come up in search after search, and reading a
    page's whole text (its type's table, its minutes and decisions) was most of a results
    page's own cost. Every event that changes a page or who may see it starts a new
    generation. Keyed by site too: a page's address is relative on its own site."""
    site = Site.find_for_request(request)
    site_id = site.pk if site else 0
    keys = {f"{site_id}:{pk}": pk for pk in page_ids}
    found = cached_by_key(
        SHOWN_KIND,
        keys,
        lambda missing: {
            f"{site_id}:{pk}": shown
            for pk, shown in _read_shown(request, [keys[key] for key in missing]).items()
        },
        keep=attrgetter("public"),
    )
    return {keys[key]: shown for key, shown in found.items()}


def _attachment_matches(user, shown, parsed):
    """{page id: [(title, document)]} of the attachments whose text matches the query."""
    doc_ids = {doc_id for item in shown.values() for doc_id, _title in item.attachments}
    if not doc_ids or not parsed:
        return {}
    Document = get_document_model()
    readable = visible_documents(user, Document.objects.filter(pk__in=doc_ids))
    readable_ids = list(readable.values_list("pk", flat=True))
    if not readable_ids:
        return {}
    found = Document.objects.filter(id__in=readable_ids).search(
        parsed.query, fields=None, order_by_relevance=False
    )
    matched = {doc.pk: doc for doc in found}
    return {
        page_id: [(title, matched[d]) for d, title in item.attachments if d in matched]
        for page_id, item in shown.items()
    }


def build_items(user, request, hits, parsed):
    """Display items for one page of hits, in the hits' order."""
    pattern = word_pattern(parsed.words) if parsed else None
    page_ids = [h.id for h in hits if h.kind != "decision"]
    decision_ids = [h.id for h in hits if h.kind == "decision"]
    shown = shown_pages(request, page_ids)
    decisions = {
        d.pk: d for d in Decision.objects.filter(pk__in=decision_ids).select_related("minutes")
    }
    matches = _attachment_matches(user, shown, parsed)
    items = []
    for hit in hits:
        if hit.kind == "decision":
            decision = decisions.get(hit.id)
            if decision is None:
                continue
            if decision_is_readable(decision, user):
                title, text = decision.title, strip_tags(decision.resolution)
            else:  # never found by its words (papers.search.engine), but never shown in full either
                title, text = decision.exempt_notice, decision.public_text
            text = f"{title}. {text}"
            items.append(
                Item(
                    kind="decision",
                    title=title,
                    url=decision.get_url(request),
                    date=hit.date,
                    snippet=mark_safe(highlight(text, pattern)),
                    reference=" · ".join(
                        filter(None, [decision.reference, decision.key_decision_reference])
                    ),
                    context=decision.minutes.title,
                    outcome=decision.get_outcome_display(),
                    outcome_code=decision.outcome,
                )
            )
            continue
        page = shown.get(hit.id)
        if page is None:
            continue
        text = page.text
        attachments = matches.get(hit.id, [])
        if pattern and not pattern.search(text) and attachments:
            # The words are only in an attachment: show where, from that document.
            text = attachments[0][1].extracted_text
        items.append(
            Item(
                kind=hit.kind,
                title=page.title,
                url=page.url,
                date=hit.date,
                snippet=mark_safe(highlight(text, pattern)),
                reference=page.reference,
                attachments=[title for title, _ in attachments],
            )
        )
    return items
