"""Run a search for one user: hits they may see, filters, facet counts, ranking.

The backend (Wagtail's database search on SQLite or PostgreSQL, or Elasticsearch) finds and
scores the matches (on SQLite one FTS5 pass serves pages and decisions). The matches are then
narrowed to what the reader may see (papers.visibility) and given the few attributes filters,
facets and ordering need, in a handful of narrow queries: the page table, then the table of
each page type that has hits, then decisions with their minutes and proposals. Hit ids go to
the database as one JSON parameter, not as a Django ``__in`` list, whose per-value
preparation costs more than the query for a word found on most of the site. Filters, facet
counts and ordering are then worked out over those compact hits in Python.
"""

import datetime
import gc
import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from ..models import (
    CabinetCommittee,
    Decision,
    MinuteItem,
    MinutesPage,
    ProposalPage,
    ServiceArea,
)
from ..visibility import (
    decision_is_readable,
    readable_exempt_minutes,
    reads_any_exempt,
    visible_pages,
)
from .kinds import KINDS, kind_by_content_type, page_kinds
from .query import stem
from .scoring import match_scores

DIMENSIONS = ("type", "stage", "area", "outcome", "committee")


@dataclass(slots=True)
class Hit:
    kind: str
    id: int
    score: float
    title: str
    date: datetime.date | None
    refs: tuple
    stage: str | None = None
    area: int | None = None
    committee: int | None = None
    outcome: str | None = None
    pinned: bool = False
    title_match: bool = False


@contextmanager
def gc_paused():
    """Hold Python's cyclic garbage collector for one search's hit handling.

    A common word makes tens of thousands of short-lived hits; allocating them sets off full
    collections that walk the whole process heap (a third of the request's time at 10,000
    papers). The hits hold no reference cycles and are freed by reference counting when the
    request ends, so collection simply resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The page table's own columns; each page type's table is read separately, and only for the
# types that have hits, since a join of every type's table costs more than the full-text
# query itself for a word that matches most of the site.
PAGE_COLUMNS = ("id", "content_type_id", "title")
DECISION_COLUMNS = (
    "id",
    "minutes_id",
    "proposal_id",
    "title",
    "reference",
    "key_decision_reference",
    "outcome",
    "cabinet_committee_id",
    "is_exempt",
)


def _kind_columns(kind):
    columns = ["pk", kind.date_field, "reference"]
    if kind.has_stage:
        columns.append("stage")
    if kind.has_proposal_fields:
        columns += ["key_decision_reference", "service_area_id", "cabinet_committee_id"]
    return columns


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _upper_refs(refs):
    return tuple(r.upper() for r in refs if r)


def _among(queryset, ids):
    """``queryset`` narrowed to ``ids``, passed to the database as one JSON parameter.

    Django prepares each value of a ``pk__in`` list in Python, which for the thousands of
    hits of a common word costs more than the query itself.
    """
    ids = json.dumps([int(pk) for pk in ids])
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [ids]))
    if vendor == "postgresql":
        sql = "SELECT jsonb_array_elements_text(%s::jsonb)::integer"
        return queryset.filter(pk__in=RawSQL(sql, [ids]))
    return queryset.filter(pk__in=json.loads(ids))


def _page_rows(user, searchable, scores):
    """(id, content type, title) of the matches the reader may see."""
    if scores is None:
        yield from visible_pages(user, searchable).order_by().values_list(*PAGE_COLUMNS)
        return
    matches = _among(searchable, scores)
    yield from visible_pages(user, matches).order_by().values_list(*PAGE_COLUMNS)


def _page_hits(rows, by_ct, scores):
    """Hits from page rows, then each page type's own columns for the types present."""
    hits, by_kind = [], {}
    for pk, ct, title in rows:
        kind = by_ct[ct]
        hit = Hit(kind.key, pk, scores.get(pk, 0.0), title, None, ())
        hits.append(hit)
        by_kind.setdefault(kind, {})[pk] = hit
    for kind, kind_hits in by_kind.items():
        columns = _kind_columns(kind)
        rows = _among(kind.model.objects.all(), kind_hits).order_by().values_list(*columns)
        for row in rows:
            hit = kind_hits[row[0]]
            if row[1]:
                hit.date = _as_date(row[1])
            refs = [row[2]]
            if kind.has_stage:
                hit.stage = row[3] or None
            if kind.has_proposal_fields:
                refs.append(row[4])
                hit.area, hit.committee = row[5], row[6]
            hit.refs = _upper_refs(refs)
    # A page without its own date is dated by its first publication: read only for those.
    undated = {hit.id: hit for hit in hits if hit.date is None}
    if undated:
        published = _among(Page.objects.all(), undated).values_list("pk", "first_published_at")
        for pk, first_published_at in published.order_by():
            undated[pk].date = _as_date(first_published_at)
    return hits


def _decision_hits(user, rows, scores):
    """Hits for the decisions in live minutes the reader may see (papers.visibility decides).

    An exempt decision is found by the words of its title and resolution, so only by those
    whom its paper's audience admits (papers.visibility.decision_is_readable); others find
    its public summary through its minutes page.
    """
    rows = [row for row in rows if not row[-1] or _readable_row(user, row)]
    minutes_ids = {row[1] for row in rows}
    readable = visible_pages(user, _among(Page.objects.all(), minutes_ids)).order_by()
    minutes = dict(readable.values_list("id", "first_published_at"))
    dates = dict(_among(MinutesPage.objects.all(), minutes).values_list("pk", "paper_date"))
    proposal_ids = {row[2] for row in rows if row[2] is not None and row[1] in minutes}
    # Only proposals the reader may see lend a decision their stage and area: a decision in
    # public minutes about a board-only paper must not be counted or found by its stage.
    found = visible_pages(user, _among(ProposalPage.objects.all(), proposal_ids)).order_by()
    proposals = {pk: rest for pk, *rest in found.values_list("pk", "stage", "service_area_id")}
    hits = []
    for pk, minutes_id, proposal_id, title, ref, key_ref, outcome, committee, _ in rows:
        if minutes_id not in minutes:
            continue
        stage, area = proposals.get(proposal_id, (None, None))
        hits.append(
            Hit(
                kind="decision",
                id=pk,
                score=scores.get(pk, 0.0),
                title=title,
                date=_as_date(dates.get(minutes_id) or minutes[minutes_id]),
                refs=_upper_refs((ref, key_ref)),
                stage=stage,
                area=area,
                committee=committee,
                outcome=outcome,
            )
        )
    return hits


def _readable_row(user, row):
    """An exempt decision's row, read as its record by papers.visibility."""
    pk, minutes_id, proposal_id = row[:3]
    return decision_is_readable(Decision(pk=pk, proposal_id=proposal_id, is_exempt=True), user)


def _decision_rows(decisions, scores):
    if scores is None:
        yield from decisions.order_by().values_list(*DECISION_COLUMNS)
        return
    yield from _among(decisions, scores).order_by().values_list(*DECISION_COLUMNS)


def find_hits(user, parsed, kinds=None):
    """Every hit ``user`` may see for a parsed query (None: everything), unfiltered."""
    backend = get_search_backend()
    kinds = kinds or set(KINDS)
    query = parsed.query if parsed else None
    hits = []
    shared = {}
    by_ct = kind_by_content_type()
    page_cts = [ct for ct, kind in by_ct.items() if kind.key in kinds]
    if page_cts:
        searchable = Page.objects.live().filter(content_type__in=page_cts)
        scores = match_scores(backend, searchable, query, shared) if query is not None else None
        rows = list(_page_rows(user, searchable, scores))
        if scores is not None and _minutes_ct(by_ct) in page_cts:
            rows += _exempt_minutes_rows(user, backend, query, shared, scores, rows)
        rows += _exact_reference_pages(user, searchable, parsed, {row[0] for row in rows})
        # Exact-reference pages the engine did not find score 0.
        hits += _page_hits(rows, by_ct, scores or {})
    if "decision" in kinds:
        decisions = Decision.objects.filter(minutes__live=True)
        if query is not None:
            scores = match_scores(backend, Decision.objects.all(), query, shared)
        else:
            scores = None
        rows = list(_decision_rows(decisions, scores))
        rows += _exact_reference_decisions(decisions, parsed, {row[0] for row in rows})
        hits += _decision_hits(user, rows, scores or {})
    _mark_relevance(hits, parsed)
    return hits


def _minutes_ct(by_ct):
    return next((ct for ct, kind in by_ct.items() if kind.key == "minutes"), None)


def _exempt_minutes_rows(user, backend, query, shared, scores, rows):
    """Minutes pages found by the text of their exempt minutes, for those who may read them.

    A minutes page's own index entry holds only what the public reads; exempt minutes are
    indexed on their own (papers.models.MinuteItem) and count as a match of their minutes.
    Adds their scores to ``scores``; returns the rows of pages not already found.
    """
    if not reads_any_exempt(user):
        return []
    found = match_scores(backend, MinuteItem.objects.all(), query, shared)
    if not found:
        return []
    readable = readable_exempt_minutes(user, _among(MinuteItem.objects.all(), found))
    by_minutes = {}
    for pk, minutes_id in readable.order_by().values_list("pk", "minutes_id"):
        by_minutes[minutes_id] = max(by_minutes.get(minutes_id, found[pk]), found[pk])
    seen = {row[0] for row in rows}
    for minutes_id, score in by_minutes.items():
        scores[minutes_id] = max(scores.get(minutes_id, score), score)
    new = [pk for pk in by_minutes if pk not in seen]
    if not new:
        return []
    pages = visible_pages(user, _among(Page.objects.all(), new)).order_by()
    return list(pages.values_list(*PAGE_COLUMNS))


def _exact_reference_pages(user, searchable, parsed, seen):
    """Pages whose reference is typed exactly, even if the engine's tokens split it."""
    if not parsed or not parsed.references:
        return []
    condition = Q()
    for kind in page_kinds():
        for ref in parsed.references:
            condition |= Q(**{f"{kind.join}__reference__iexact": ref})
            if kind.has_proposal_fields:
                condition |= Q(**{f"{kind.join}__key_decision_reference__iexact": ref})
    rows = visible_pages(user, searchable).filter(condition).order_by()
    return [row for row in rows.values_list(*PAGE_COLUMNS) if row[0] not in seen]


def _exact_reference_decisions(decisions, parsed, seen):
    if not parsed or not parsed.references:
        return []
    condition = Q()
    for ref in parsed.references:
        condition |= Q(reference__iexact=ref) | Q(key_decision_reference__iexact=ref)
    rows = decisions.filter(condition).order_by().values_list(*DECISION_COLUMNS)
    return [row for row in rows if row[0] not in seen]


def _mark_relevance(hits, parsed):
    """An exact reference pins its paper to the top; a title match ranks above body matches."""
    if not parsed:
        return
    references = set(parsed.references)
    stems = [stem(word) for word in parsed.words]
    for hit in hits:
        if references and references.intersection(hit.refs):
            hit.pinned = True
        title = hit.title.lower()
        hit.title_match = bool(stems) and all(s in title for s in stems)


def ids_for(model, slugs):
    if not slugs:
        return set()
    return set(model.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def selected_values(params):
    """The chosen filter values as the hits hold them (ids for areas and committees)."""
    chosen = {dimension: set(params.selected.get(dimension, ())) for dimension in DIMENSIONS}
    chosen["area"] = ids_for(ServiceArea, chosen["area"])
    chosen["committee"] = ids_for(CabinetCommittee, chosen["committee"])
    if params.selected.get("area") and not chosen["area"]:
        chosen["area"] = {-1}
    if params.selected.get("committee") and not chosen["committee"]:
        chosen["committee"] = {-1}
    return chosen


def filter_and_count(hits, params):
    """Apply the filters; count each facet over hits passing every *other* filter.

    Counting a dimension without its own filter lets a reader see what ticking another box
    would add, the usual way for faceted search.
    """
    chosen = selected_values(params)
    active = [d for d in DIMENSIONS if chosen[d]]
    getters = {d: attrgetter("kind" if d == "type" else d) for d in DIMENSIONS}
    date_from, date_to = params.date_from, params.date_to
    if date_from or date_to:
        hits = [
            hit
            for hit in hits
            if hit.date is not None
            and not (date_from and hit.date < date_from)
            and not (date_to and hit.date > date_to)
        ]

    def passing(pool, dimensions):
        for dimension in dimensions:
            get, wanted = getters[dimension], chosen[dimension]
            pool = [hit for hit in pool if get(hit) in wanted]
        return pool

    counts = {}
    for dimension in DIMENSIONS:
        pool = passing(hits, [d for d in active if d != dimension])
        counted = Counter(map(getters[dimension], pool))
        counted.pop(None, None)
        counts[dimension] = dict(counted)
    return passing(hits, active), counts


def sort_hits(hits, sort):
    if sort == "newest":
        hits.sort(key=lambda h: (h.date or datetime.date.min, h.id), reverse=True)
    else:
        hits.sort(key=lambda h: (not h.pinned, h.kind == "decision" if h.pinned else 0,
                                 not h.title_match, -h.score, -h.id))  # fmt: skip
    return hits
