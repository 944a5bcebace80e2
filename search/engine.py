"""Run a search for one user: hits they may see, filters, facet counts, ranking.

The backend (Wagtail's database search on SQLite or PostgreSQL, or Elasticsearch) finds and
scores the matches; on the database backends everything else (visibility, the attributes the
filters and facets need) is joined on in the same SQL statement, once for pages and once for
decisions. Filters, facet counts and ordering are then worked out over those compact rows, so
a search costs two full-text queries however many filters and facets are shown.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from papers.models import CabinetCommittee, Decision, ServiceArea
from papers.visibility import visible_pages

from .kinds import KINDS, PAGE_KINDS, kind_by_content_type
from .query import stem

# Elasticsearch returns a ranked window, not every match: filters and counts cover this many.
ENGINE_WINDOW = 2000
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

    def value(self, dimension):
        if dimension == "type":
            return self.kind
        return getattr(self, dimension)


def uses_database_backend(backend):
    return hasattr(backend.results_class, "get_queryset")


def score_sign(backend):
    # SQLite FTS5's bm25() is lower-is-better; PostgreSQL and Elasticsearch higher-is-better.
    return -1.0 if type(backend).__name__.startswith("SQLite") else 1.0


def _page_values():
    fields = ["id", "content_type_id", "title", "first_published_at"]
    for kind in PAGE_KINDS:
        fields += [f"{kind.join}__{kind.date_field}", f"{kind.join}__reference"]
        if kind.has_stage:
            fields.append(f"{kind.join}__stage")
        if kind.has_proposal_fields:
            fields += [
                f"{kind.join}__key_decision_reference",
                f"{kind.join}__service_area_id",
                f"{kind.join}__cabinet_committee_id",
            ]
    return fields


PAGE_VALUES = _page_values()
DECISION_VALUES = [
    "id",
    "minutes_id",
    "title",
    "reference",
    "key_decision_reference",
    "outcome",
    "cabinet_committee_id",
    "proposal__stage",
    "proposal__service_area_id",
    "minutes__paper_date",
    "minutes__first_published_at",
]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _page_hit(row, kinds, score):
    kind = kinds[row["content_type_id"]]
    join = kind.join
    refs = [row[f"{join}__reference"]]
    hit = Hit(
        kind=kind.key,
        id=row["id"],
        score=score,
        title=row["title"],
        date=_as_date(row[f"{join}__{kind.date_field}"] or row["first_published_at"]),
        refs=(),
    )
    if kind.has_stage:
        hit.stage = row[f"{join}__stage"] or None
    if kind.has_proposal_fields:
        refs.append(row[f"{join}__key_decision_reference"])
        hit.area = row[f"{join}__service_area_id"]
        hit.committee = row[f"{join}__cabinet_committee_id"]
    hit.refs = tuple(r.upper() for r in refs if r)
    return hit


def _decision_hit(row, score):
    refs = (row["reference"], row["key_decision_reference"])
    return Hit(
        kind="decision",
        id=row["id"],
        score=score,
        title=row["title"],
        date=_as_date(row["minutes__paper_date"] or row["minutes__first_published_at"]),
        refs=tuple(r.upper() for r in refs if r),
        stage=row["proposal__stage"],
        area=row["proposal__service_area_id"],
        committee=row["cabinet_committee_id"],
        outcome=row["outcome"],
    )


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _scores(backend, searchable, query):
    """{pk: score} for every match of ``query`` among ``searchable``, from the engine alone."""
    sign = score_sign(backend)
    if type(backend).__name__.startswith("SQLite"):
        return _sqlite_scores(backend, searchable, query, sign)
    results = backend.search(query, searchable, order_by_relevance=True).annotate_score("_score")
    if uses_database_backend(backend):
        queryset = results.get_queryset()
        return {pk: sign * (score or 0.0) for pk, score in queryset.values_list("pk", "_score")}
    # Elasticsearch: a ranked window.
    return {obj.pk: sign * (obj._score or 0.0) for obj in results[:ENGINE_WINDOW]}


def _sqlite_scores(backend, searchable, query, sign):
    """One FTS5 pass returning {object id: score} for ``searchable``'s model.

    Wagtail's SQLite backend scores through a correlated subquery per matching row, which
    takes minutes for a common word over 10,000 papers; this asks FTS5 once, with the same
    match and rank expressions the backend builds. Content types are checked here rather
    than in SQL, which would tempt SQLite into probing FTS once per index entry of the type.
    """
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.conf import get_app_config
    from modelsearch.utils import get_descendants_content_types_pks

    compiler = backend.query_compiler_class(searchable, query)
    normalized = normalize(compiler.query)
    search_query = compiler.build_search_query(normalized, config=None)
    match = MatchExpression(compiler.FTS_TABLE_FIELDS, search_query)
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), None)
    fts = get_app_config().get_model("SQLiteFTSIndexEntry")
    wanted = set(get_descendants_content_types_pks(searchable.model))
    rows = (
        fts.objects.filter(match)
        .annotate(score=rank)
        .values_list("index_entry__object_id", "index_entry__content_type_id", "score")
    )
    return {int(pk): sign * (score or 0.0) for pk, ct, score in rows if ct in wanted}


def _rows(backend, searchable, visible_of, values, query):
    """(row, score) for every match of ``query`` that the reader may see.

    ``visible_of(queryset)`` narrows a queryset to what the reader may see; it is applied to
    the matches only, so its cost follows the number of hits, not the size of the site.
    """
    if query is None:
        return [(row, 0.0) for row in visible_of(searchable).values(*values)]
    scores = _scores(backend, searchable, query)
    rows = []
    for chunk in _chunks(scores, 5000):
        matches = visible_of(searchable.filter(id__in=chunk)).values(*values)
        rows += [(row, scores[row["id"]]) for row in matches]
    return rows


def find_hits(user, parsed, kinds=None):
    """Every hit ``user`` may see for a parsed query (None: everything), unfiltered."""
    backend = get_search_backend()
    kinds = kinds or set(KINDS)
    query = parsed.query if parsed else None
    hits = []
    by_ct = kind_by_content_type()
    page_cts = [ct for ct, kind in by_ct.items() if kind.key in kinds]
    if page_cts:
        searchable = Page.objects.live().filter(content_type__in=page_cts)

        def visible_of(queryset):
            return visible_pages(user, queryset)

        for row, score in _rows(backend, searchable, visible_of, PAGE_VALUES, query):
            hits.append(_page_hit(row, by_ct, score))
        visible = visible_of(searchable)
        hits += _exact_reference_pages(visible, parsed, by_ct, {h.id for h in hits})
    if "decision" in kinds:

        def in_live_minutes(queryset):
            return queryset.filter(minutes__live=True)

        rows = _rows(backend, Decision.objects.all(), in_live_minutes, DECISION_VALUES, query)
        live = in_live_minutes(Decision.objects.all())
        rows += [(row, 0.0) for row in _exact_reference_decisions(live, parsed, rows)]
        # Who may see a decision is who may see its minutes (papers.visibility decides).
        minutes_ids = {row["minutes_id"] for row, _ in rows}
        readable = set()
        for chunk in _chunks(minutes_ids, 5000):
            pages = visible_pages(user, Page.objects.filter(id__in=chunk))
            readable |= set(pages.values_list("id", flat=True))
        hits += [_decision_hit(row, score) for row, score in rows if row["minutes_id"] in readable]
    _mark_relevance(hits, parsed)
    return hits


def _exact_reference_pages(visible, parsed, by_ct, seen):
    """Pages whose reference is typed exactly, even if the engine's tokens split it."""
    if not parsed or not parsed.references:
        return []
    condition = Q()
    for kind in PAGE_KINDS:
        for ref in parsed.references:
            condition |= Q(**{f"{kind.join}__reference__iexact": ref})
            if kind.has_proposal_fields:
                condition |= Q(**{f"{kind.join}__key_decision_reference__iexact": ref})
    rows = visible.filter(condition).exclude(id__in=seen).values(*PAGE_VALUES)
    return [_page_hit(row, by_ct, 0.0) for row in rows]


def _exact_reference_decisions(decisions, parsed, rows):
    if not parsed or not parsed.references:
        return []
    condition = Q()
    for ref in parsed.references:
        condition |= Q(reference__iexact=ref) | Q(key_decision_reference__iexact=ref)
    seen = {row["id"] for row, _ in rows}
    return list(decisions.filter(condition).exclude(id__in=seen).values(*DECISION_VALUES))


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
    counts = {dimension: {} for dimension in DIMENSIONS}
    date_from, date_to = params.date_from, params.date_to
    kept = []
    for hit in hits:
        if date_from or date_to:
            if hit.date is None:
                continue
            if (date_from and hit.date < date_from) or (date_to and hit.date > date_to):
                continue
        failed = [d for d in active if hit.value(d) not in chosen[d]]
        if len(failed) > 1:
            continue
        for dimension in failed or DIMENSIONS:
            value = hit.value(dimension)
            if value is not None:
                counts[dimension][value] = counts[dimension].get(value, 0) + 1
        if not failed:
            kept.append(hit)
    return kept, counts


def sort_hits(hits, sort):
    if sort == "newest":
        hits.sort(key=lambda h: (h.date or datetime.date.min, h.id), reverse=True)
    else:
        hits.sort(key=lambda h: (not h.pinned, h.kind == "decision" if h.pinned else 0,
                                 not h.title_match, -h.score, -h.id))  # fmt: skip
    return hits
