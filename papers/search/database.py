"""A search page in one SQL statement, on PostgreSQL (and able to run on SQLite FTS5).

The engine's full-text pass (papers.search.scoring: the GIN-indexed match on PostgreSQL, one
FTS5 pass on SQLite) is the first step of a statement that also narrows the matches to what
the reader may see (papers.visibility's own querysets, compiled into it), gives each hit the
few attributes filters, facets and ordering need, and returns only the page of results shown,
the total and the facet counts. Nothing is done in Python per hit: a common word has tens of
thousands of hits at 10,000 papers, and handling them one by one cost far more than the match.
Ordering and counts are papers.search.engine's, which still serves Elasticsearch (a ranked
window rather than a statement).
"""

import datetime

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page

from ..models import Decision, MinuteItem, ProposalPage
from ..visibility import (
    readable_decisions,
    readable_exempt_minutes,
    reads_any_exempt,
    visible_pages,
)
from .engine import DIMENSIONS, Hit, selected_values, sort_hits
from .kinds import KINDS, kind_by_content_type
from .query import stem
from .scoring import index_match_queryset, score_sign

UTC = datetime.UTC
# The statement's column for each facet dimension; area and committee are ids, the rest text.
DIMENSION_COLUMNS = {
    "type": "h_kind",
    "stage": "h_stage",
    "area": "h_area",
    "committee": "h_committee",
    "outcome": "h_outcome",
}
ID_DIMENSIONS = {"area", "committee"}


def runs_in_database(backend):
    """Whether the page is one statement: PostgreSQL only, for now.

    The statement also runs on SQLite FTS5 and gives the same page and counts there, but
    SQLite plans its per-row visibility subqueries without hash joins: at 10,000 papers it
    took three times as long as papers.search.engine's Python pass, which SQLite keeps.
    """
    return isinstance(backend, PostgresSearchBackend)


class ResultWindow:
    """The page of hits fetched, standing in for the whole result list in a Paginator."""

    def __init__(self, total, offset, hits):
        self.total, self.offset, self.hits = total, offset, hits

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice) and (index.start or 0) == self.offset:
            return self.hits[: max(0, (index.stop or self.total) - self.offset)]
        raise IndexError("only the fetched page of results can be read")


def _sql(queryset):
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def _null(field):
    return Cast(Value(None), field)


def _as_date(model, name):
    """A date or datetime column as a date (a datetime's UTC date, as the engine reads it)."""
    if isinstance(model._meta.get_field(name), DateTimeField):
        return TruncDate(name, tzinfo=UTC)
    return F(name)


def _flag(condition):
    """A condition as a boolean column (False when there is no condition)."""
    if condition is None:
        return Value(False, BooleanField())
    return ExpressionWrapper(condition, output_field=BooleanField())


def _any(conditions):
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined


def _title_match(parsed):
    """Every word's stem in the title: papers.search.engine's ``title_match``, in SQL."""
    stems = [stem(word) for word in parsed.words] if parsed else []
    if not stems:
        return None
    condition = Q()
    for word_stem in stems:
        condition &= Q(title__icontains=word_stem)
    return condition


def _reference_condition(parsed, fields):
    references = parsed.references if parsed else []
    return _any(Q(**{f"{field}__iexact": ref}) for ref in references for field in fields)


class Statement:
    """The SQL of one search, built up as common table expressions and hit branches."""

    def __init__(self, user, parsed):
        self.user, self.parsed = user, parsed
        self.ctes, self.cte_params = [], []
        self.branches = []
        self.matched = bool(parsed)

    def cte(self, name, sql, params=(), materialized=False):
        keyword = "AS MATERIALIZED" if materialized else "AS"
        self.ctes.append(f"{name} {keyword} ({sql})")
        self.cte_params += list(params)

    def add_matches(self, backend):
        """``matches``: (object id, content type, score) of every index entry matching."""
        sql, params = _sql(index_match_queryset(backend, self.parsed.query))
        self.cte(
            "matches",
            "SELECT CAST(mq.m_oid AS INTEGER) AS oid, mq.m_ct AS ct, "
            f"%s * COALESCE(mq.m_score, 0) AS score FROM ({sql}) mq",
            [score_sign(backend), *params],
            materialized=True,
        )
        self._scores_of("page_matches", get_descendants_content_types_pks(Page))
        self._scores_of("decision_matches", get_descendants_content_types_pks(Decision))

    def _scores_of(self, name, cts):
        cts = list(cts) or [0]
        marks = ", ".join(["%s"] * len(cts))
        self.cte(
            name,
            f"SELECT oid, MAX(score) AS score FROM matches WHERE ct IN ({marks}) GROUP BY oid",
            cts,
        )

    def add_exempt_matches(self):
        """``exempt_matches``: minutes pages found by the text of exempt minutes their reader
        may read (papers.visibility.readable_exempt_minutes), with the best item's score."""
        cts = list(get_descendants_content_types_pks(MinuteItem)) or [0]
        marks = ", ".join(["%s"] * len(cts))
        found = MinuteItem.objects.filter(
            pk__in=RawSQL(f"SELECT oid FROM matches WHERE ct IN ({marks})", cts)
        )
        readable = readable_exempt_minutes(self.user, found).order_by()
        sql, params = _sql(readable.values(x_item=F("pk"), x_minutes=F("minutes_id")))
        self.cte(
            "exempt_matches",
            "SELECT r.x_minutes AS oid, MAX(m.score) AS score "
            f"FROM ({sql}) r JOIN matches m ON m.oid = r.x_item AND m.ct IN ({marks}) "
            "GROUP BY r.x_minutes",
            [*params, *cts],
        )

    def branch(self, queryset, score_sql, joins=(), stage="b.h_stage", area="b.h_area"):
        """One kind's hits, with the score of the match (each ``joins`` CTE has one row per
        object, so the joins never repeat a hit)."""
        sql, params = _sql(queryset.order_by())
        # Materialized, so that a column the branch reads twice is worked out once per row.
        name = f"rows_{len(self.branches)}"
        self.cte(name, sql, params, materialized=True)
        joined = "".join(
            f" LEFT JOIN {cte} {alias} ON {alias}.oid = b.h_id" for cte, alias in joins
        )
        self.branches.append(
            "SELECT b.h_kind, b.h_id, "
            f"COALESCE({score_sql}, 0) AS h_score, b.h_pinned, b.h_title_match, b.h_date, "
            f"{stage} AS h_stage, {area} AS h_area, b.h_committee, b.h_outcome, "
            f"CASE WHEN b.h_kind = 'decision' THEN 1 ELSE 0 END AS h_is_decision "
            f"FROM {name} b{joined}"
        )

    def add_seen_pages(self, by_ct, exempt):
        """``seen``: the live pages of the kinds searched that the reader may see among the
        candidates (matches, minutes found by their exempt text, pages whose reference is typed
        exactly), or all of them when there are no words. Visibility is asked here, once for
        every kind (papers.visibility.visible_pages)."""
        pages = Page.objects.filter(content_type_id__in=list(by_ct))
        if self.matched:
            candidates = [Q(pk__in=RawSQL("SELECT oid FROM page_matches", []))]
            if exempt:
                candidates.append(Q(pk__in=RawSQL("SELECT oid FROM exempt_matches", [])))
            if self.parsed.references:
                self._add_reference_pages(by_ct)
                candidates.append(Q(pk__in=RawSQL("SELECT oid FROM reference_pages", [])))
            pages = pages.filter(_any(candidates))
        sql, params = _sql(visible_pages(self.user, pages).order_by().values(s_id=F("pk")))
        self.cte("seen", sql, params, materialized=True)

    def _add_reference_pages(self, by_ct):
        """``reference_pages``: pages whose own reference (or key decision reference) is typed
        exactly, even if the engine's tokens split it."""
        selects, params = [], []
        for kind in by_ct.values():
            fields = ["reference"] + (
                ["key_decision_reference"] if kind.has_proposal_fields else []
            )
            found = kind.model.objects.filter(_reference_condition(self.parsed, fields))
            sql, found_params = _sql(found.order_by().values(oid=F("pk")))
            selects.append(sql)
            params += found_params
        self.cte("reference_pages", " UNION ALL ".join(selects), params)

    def add_page_kind(self, kind, ct, exempt):
        """The pages of one kind among those seen, with what filters, facets and order need."""
        pages = kind.model.objects.filter(
            content_type_id=ct, pk__in=RawSQL("SELECT s_id FROM seen", [])
        )
        fields = ["reference"] + (["key_decision_reference"] if kind.has_proposal_fields else [])
        references = _reference_condition(self.parsed, fields)
        stage = NullIf("stage", Value("")) if kind.has_stage else _null(CharField())
        proposal = kind.has_proposal_fields
        rows = pages.values(
            h_kind=Value(kind.key, CharField()),
            h_id=F("pk"),
            h_pinned=_flag(references),
            h_title_match=_flag(_title_match(self.parsed)),
            h_date=Coalesce(
                _as_date(kind.model, kind.date_field), TruncDate("first_published_at", tzinfo=UTC)
            ),
            h_stage=stage,
            h_area=F("service_area_id") if proposal else _null(IntegerField()),
            h_committee=F("cabinet_committee_id") if proposal else _null(IntegerField()),
            h_outcome=_null(CharField()),
        )
        # The larger of a minutes page's own score and its exempt minutes' (engine's rule).
        if not self.matched:
            self.branch(rows, "NULL")
        elif exempt:
            score = (
                "CASE WHEN pm.score IS NULL THEN em.score "
                "WHEN em.score IS NULL OR pm.score >= em.score THEN pm.score ELSE em.score END"
            )
            self.branch(rows, score, [("page_matches", "pm"), ("exempt_matches", "em")])
        else:
            self.branch(rows, "pm.score", [("page_matches", "pm")])

    def add_decisions(self):
        """Decisions the reader may read (papers.visibility.readable_decisions) among the
        matches; a decision takes its proposal's stage and area only from a proposal the reader
        may see."""
        decisions = Decision.objects.all()
        references = _reference_condition(self.parsed, ["reference", "key_decision_reference"])
        if self.matched:
            candidates = Q(pk__in=RawSQL("SELECT oid FROM decision_matches", []))
            decisions = decisions.filter(candidates | references if references else candidates)
        decisions = readable_decisions(self.user, decisions)
        # Asked of each decision's own proposal, not of every proposal on the site.
        proposal = ProposalPage.objects.filter(pk=OuterRef("proposal_id"))
        rows = decisions.values(
            h_kind=Value("decision", CharField()),
            h_id=F("pk"),
            h_pinned=_flag(references),
            h_title_match=_flag(_title_match(self.parsed)),
            h_date=Coalesce(
                F("minutes__paper_date"), TruncDate("minutes__first_published_at", tzinfo=UTC)
            ),
            h_seen=Exists(visible_pages(self.user, proposal)),
            h_stage=NullIf("proposal__stage", Value("")),
            h_area=F("proposal__service_area_id"),
            h_committee=F("cabinet_committee_id"),
            h_outcome=F("outcome"),
        )
        seen = {"stage": "CASE WHEN b.h_seen THEN b.h_stage END",
                "area": "CASE WHEN b.h_seen THEN b.h_area END"}  # fmt: skip
        if self.matched:
            self.branch(rows, "dm.score", [("decision_matches", "dm")], **seen)
        else:
            self.branch(rows, "NULL", **seen)

    def sql(self):
        hits = " UNION ALL ".join(self.branches)
        ctes = ", ".join([*self.ctes, f"hits AS MATERIALIZED ({hits})"])
        return f"WITH {ctes}", self.cte_params


def _statement(user, parsed, backend):
    statement = Statement(user, parsed)
    by_ct = kind_by_content_type()
    exempt = False
    if statement.matched:
        statement.add_matches(backend)
        if reads_any_exempt(user) and any(kind.key == "minutes" for kind in by_ct.values()):
            statement.add_exempt_matches()
            exempt = True
    statement.add_seen_pages(by_ct, exempt)
    for ct, kind in by_ct.items():
        statement.add_page_kind(kind, ct, exempt and kind.key == "minutes")
    if "decision" in KINDS:
        statement.add_decisions()
    return statement.sql()


def _filters(params, vendor):
    """{dimension or "date": (SQL condition, params)} of the filters chosen."""
    chosen = selected_values(params)
    filters = {}
    for dimension in DIMENSIONS:
        values = sorted(chosen[dimension], key=str)
        if values:
            marks = ", ".join(["%s"] * len(values))
            filters[dimension] = (f"{DIMENSION_COLUMNS[dimension]} IN ({marks})", values)
    dates, date_params = ["h_date IS NOT NULL"], []
    for bound, operator in ((params.date_from, ">="), (params.date_to, "<=")):
        if bound:
            dates.append(f"h_date {operator} %s")
            date_params.append(bound.isoformat() if vendor == "sqlite" else bound)
    if date_params:
        filters["date"] = (" AND ".join(dates), date_params)
    return filters


def _where(filters, leave_out=None, extra=None):
    conditions, params = ["1 = 1"], []
    for name, (condition, values) in filters.items():
        if name != leave_out:
            conditions.append(f"({condition})")
            params += values
    if extra:
        conditions.append(extra)
    return " AND ".join(conditions), params


# papers.search.engine.sort_hits, in SQL: pages before decisions where everything else ties.
ORDER = {
    "newest": "h_date DESC NULLS LAST, h_id DESC, h_is_decision",
    "relevance": "h_pinned DESC, CASE WHEN h_pinned THEN h_is_decision ELSE 0 END, "
    "h_title_match DESC, h_score DESC, h_id DESC, h_is_decision",
}


def _page_and_counts(with_sql, with_params, filters, sort, limit, offset):
    """The statement's SELECT: the page's hits, the total, then each facet's counts over the
    hits passing every *other* filter (papers.search.engine.filter_and_count)."""
    where, params = _where(filters)
    selects = [
        "SELECT 'row' AS section, h_kind AS k, h_id AS i, h_date AS d, h_score AS s, "
        "h_pinned AS p, h_title_match AS t, NULL AS n FROM ("
        f"SELECT * FROM hits WHERE {where} ORDER BY {ORDER[sort]} LIMIT %s OFFSET %s) shown",
        f"SELECT 'total', NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM hits WHERE {where}",
    ]
    params = [*params, limit, offset, *params]
    for dimension in DIMENSIONS:
        column = DIMENSION_COLUMNS[dimension]
        where, dimension_params = _where(filters, dimension, f"{column} IS NOT NULL")
        key = f"NULL, {column}" if dimension in ID_DIMENSIONS else f"{column}, NULL"
        selects.append(
            f"SELECT '{dimension}', {key}, NULL, NULL, NULL, NULL, COUNT(*) FROM hits "
            f"WHERE {where} GROUP BY {column}"
        )
        params += dimension_params
    return f"{with_sql} " + " UNION ALL ".join(selects), [*with_params, *params]


def _run(sql, params, using, matched):
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot see how few rows the matches leave, so a statement with a
            # reference typed can look costly enough to compile with JIT: seconds of
            # compiling for milliseconds of work.
            cursor.execute("SET LOCAL jit = off")
            if matched:
                # For a word in a third of the index the planner prefers to scan every entry,
                # rebuilding ``title || body`` for each: three times slower than the GIN index
                # (papers migration 0008). Everything after the match is reached by key.
                cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def search_page(user, parsed, params, backend, page_size):
    """(ResultWindow of the page asked for, facet counts) for ``user``'s search.

    A page past the last shows the last, as Django's ``Paginator.get_page`` does: the
    statement is then run once more for it.
    """
    using = Page.objects.db
    vendor = connections[using].vendor
    with_sql, with_params = _statement(user, parsed, backend)
    filters = _filters(params, vendor)
    offset = (params.page - 1) * page_size
    while True:
        sql, sql_params = _page_and_counts(
            with_sql, with_params, filters, params.sort, page_size, offset
        )
        rows = _run(sql, sql_params, using, bool(parsed))
        total = next(row[-1] for row in rows if row[0] == "total")
        last = max(0, (total - 1) // page_size * page_size)
        if offset <= last:
            break
        offset = last
    counts = {dimension: {} for dimension in DIMENSIONS}
    hits = []
    for section, k, i, d, s, p, t, n in rows:
        if section == "row":
            hits.append(Hit(k, i, s, "", _date(d), (), pinned=bool(p), title_match=bool(t)))
        elif section in counts:
            counts[section][i if section in ID_DIMENSIONS else k] = n
    # The rows come ordered by the statement; sorting the page again by the engine's own
    # keys only makes that order independent of how the database returns a UNION.
    return ResultWindow(total, offset, sort_hits(hits, params.sort)), counts
