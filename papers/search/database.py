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
    Case,
    CharField,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page

from ..models import Decision, MinuteItem
from ..visibility import (
    readable_decisions,
    readable_exempt_minutes,
    reads_any_exempt,
    visible_pages,
)
from .engine import DIMENSIONS, Hit, selected_values, sort_hits
from .kinds import KINDS, kind_by_content_type
from .query import stem
from .scoring import index_match_queryset, score_sign, scored_apart

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
# The score of a hit no words matched (a browse by filters, a reference typed exactly).
NO_SCORE = "CAST(NULL AS DOUBLE PRECISION)"


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


def _reference_condition(parsed, fields, prefix=""):
    references = parsed.references if parsed else []
    return _any(Q(**{f"{prefix}{field}__iexact": ref}) for ref in references for field in fields)


class Statement:
    """The SQL of one search, built up as common table expressions and hit branches.

    Shaped for PostgreSQL's planner: each class of match (pages, decisions, minute items) is
    its own pass over the GIN index, filtered by content type on the index table itself, so
    the planner knows how many rows follow (a filter on a CTE's column is a blind guess, and a
    guess of 80 rows for 10,000 made it loop over one CTE per row of another). Each branch of
    hits joins its candidates (matches, and records whose reference was typed) once, taking
    their score there: no filter by them and second join for the score, and no test of a
    typed reference against every decision beside the matches. Visibility is asked once per
    question: once for every candidate page, with each kind's own columns joined in the same
    query; once for the decisions (their minutes); once for the proposals those decisions
    belong to.
    """

    def __init__(self, user, parsed, ranked=True):
        self.user, self.parsed, self.ranked = user, parsed, ranked
        self.ctes, self.cte_params = [], []
        self.branches = []
        self.matched = bool(parsed)
        self._index_matches = None

    def cte(self, name, sql, params=(), materialized=False):
        keyword = "AS MATERIALIZED" if materialized else "AS"
        self.ctes.append(f"{name} {keyword} ({sql})")
        self.cte_params += list(params)

    def add_matches(self, backend, name, model):
        """``name``: (object id, best score) of the index entries of ``model`` (or a subclass)
        matching: one GIN-indexed pass, narrowed by content type on the index table."""
        cts = sorted(get_descendants_content_types_pks(model)) or [0]
        if self._index_matches is None:
            # Built once for the statement's three passes: resolving the match and its rank
            # was most of compiling each.
            self._index_matches = index_match_queryset(backend, self.parsed.query)
        found = self._index_matches.filter(m_ct__in=cts)
        score, sign = "MAX(%s * COALESCE(mq.m_score, 0))", [score_sign(backend)]
        if not self.ranked:
            # Newest first never reads the rank, most of the match's cost: left unselected.
            found, score, sign = found.values("m_oid", "m_ct"), "0.0", []
        sql, params = _sql(found)
        scored = scored_apart(sql, connections[found.db])
        self.cte(
            name,
            f"SELECT CAST(mq.m_oid AS INTEGER) AS oid, {score} AS score FROM ({scored}) mq "
            "GROUP BY CAST(mq.m_oid AS INTEGER)",
            [*sign, *params],
            materialized=True,
        )

    def add_exempt_matches(self, backend):
        """``exempt_matches``: minutes pages found by the text of exempt minutes their reader
        may read (papers.visibility.readable_exempt_minutes), with the best item's score."""
        self.add_matches(backend, "item_matches", MinuteItem)
        found = MinuteItem.objects.filter(pk__in=RawSQL("SELECT oid FROM item_matches", []))
        readable = readable_exempt_minutes(self.user, found).order_by()
        sql, params = _sql(readable.values(x_item=F("pk"), x_minutes=F("minutes_id")))
        self.cte(
            "exempt_matches",
            "SELECT r.x_minutes AS oid, MAX(m.score) AS score "
            f"FROM ({sql}) r JOIN item_matches m ON m.oid = r.x_item GROUP BY r.x_minutes",
            params,
        )

    def branch(self, sql, params, is_decision=False, materialized=True):
        """One branch of hits: ``sql``'s rows, each a hit with the columns filters, facets
        and order read, and ``h_score`` (NULL when nothing was matched)."""
        name = f"rows_{len(self.branches)}"
        self.cte(name, sql, params, materialized=materialized)
        self.branches.append(
            "SELECT h_kind, h_id, COALESCE(h_score, 0) AS h_score, h_pinned, h_title_match, "
            "h_date, h_stage, h_area, h_committee, h_outcome, "
            f"{int(is_decision)} AS h_is_decision FROM {name}"
        )

    def _add_reference_pages(self, by_ct):
        """``reference_pages``: pages whose own reference (or key decision reference) is typed
        exactly, even if the engine's tokens split it."""
        selects, params = [], []
        for kind in by_ct.values():
            found = kind.model.objects.filter(_reference_condition(self.parsed, _fields(kind)))
            sql, found_params = _sql(found.order_by().values(oid=F("pk")))
            selects.append(sql)
            params += found_params
        self.cte("reference_pages", " UNION ALL ".join(selects), params)

    def _page_candidates(self, by_ct, exempt):
        """The name of a CTE of the pages found, each once, with its score: the matches; with
        them minutes found by their exempt text (the larger of the two scores, the engine's
        rule); and pages whose reference is typed exactly, which may match no word."""
        if not exempt and not self.parsed.references:
            return "page_matches"
        found, selects = ["page_matches"], []
        if exempt:
            found.append("exempt_matches")
            selects += [
                "SELECT pm.oid, CASE WHEN em.score IS NULL OR pm.score >= em.score "
                "THEN pm.score ELSE em.score END AS score "
                "FROM page_matches pm LEFT JOIN exempt_matches em ON em.oid = pm.oid",
                f"SELECT em.oid, em.score FROM exempt_matches em WHERE {_unfound('em', found[:1])}",
            ]
        else:
            selects.append("SELECT oid, score FROM page_matches")
        if self.parsed.references:
            self._add_reference_pages(by_ct)
            selects.append(
                f"SELECT DISTINCT r.oid, {NO_SCORE} FROM reference_pages r "
                f"WHERE {_unfound('r', found)}"
            )
        self.cte("page_candidates", " UNION ALL ".join(selects), materialized=True)
        return "page_candidates"

    def add_pages(self, by_ct, exempt):
        """The live pages of the kinds searched that the reader may see among the candidates
        (``_page_candidates``), or all of them when there are no words, each with what
        filters, facets and order need from its own kind's table. Visibility is asked here,
        once for every kind (papers.visibility.visible_pages)."""
        pages = Page.objects.filter(content_type_id__in=list(by_ct))

        def by_kind(expression_of, default):
            # A WHEN only for the kinds that have the column (a proposal's area, a reference
            # typed): every WHEN is compiled each search and tested on each hit.
            whens = [When(content_type_id=ct, then=expression)
                     for ct, kind in by_ct.items()
                     if (expression := expression_of(kind)) is not None]  # fmt: skip
            return Case(*whens, default=default) if whens else default

        def column(kind, name):
            return F(f"{kind.join}__{name}")

        def pinned(kind):
            condition = _reference_condition(self.parsed, _fields(kind), f"{kind.join}__")
            return None if condition is None else _flag(condition)

        def date(kind):
            field = kind.model._meta.get_field(kind.date_field)
            if isinstance(field, DateTimeField):
                return TruncDate(f"{kind.join}__{kind.date_field}", tzinfo=UTC)
            return column(kind, kind.date_field)

        def stage(kind):
            return NullIf(column(kind, "stage"), Value("")) if kind.has_stage else None

        def proposal_field(name):
            return lambda kind: column(kind, name) if kind.has_proposal_fields else None

        rows = (
            visible_pages(self.user, pages)
            .order_by()
            .values(
                h_kind=by_kind(lambda kind: Value(kind.key), Value(None, CharField())),
                h_id=F("pk"),
                h_pinned=by_kind(pinned, Value(False, BooleanField())),
                h_title_match=_flag(_title_match(self.parsed)),
                h_date=Coalesce(
                    by_kind(date, _null(DateField())), TruncDate("first_published_at", tzinfo=UTC)
                ),
                h_stage=by_kind(stage, _null(CharField())),
                h_area=by_kind(proposal_field("service_area_id"), _null(IntegerField())),
                h_committee=by_kind(proposal_field("cabinet_committee_id"), _null(IntegerField())),
                h_outcome=_null(CharField()),
            )
        )
        sql, params = _sql(rows)
        if not self.matched:
            self.branch(f"SELECT b.*, {NO_SCORE} AS h_score FROM ({sql}) b", params)
            return
        found = self._page_candidates(by_ct, exempt)
        self.branch(
            f"SELECT b.*, c.score AS h_score FROM ({sql}) b JOIN {found} c ON c.oid = b.h_id",
            params,
        )

    def _decision_candidates(self, references):
        """The name of a CTE of the decisions found, each once, with its score: the matches,
        and decisions whose reference is typed exactly, which may match no word."""
        if not references:
            return "decision_matches"
        typed = Decision.objects.filter(references).order_by().values(oid=F("pk"))
        sql, params = _sql(typed)
        self.cte(
            "decision_candidates",
            "SELECT oid, score FROM decision_matches UNION ALL "
            f"SELECT DISTINCT r.oid, {NO_SCORE} FROM ({sql}) r "
            f"WHERE {_unfound('r', ['decision_matches'])}",
            params,
            materialized=True,
        )
        return "decision_candidates"

    def add_decisions(self):
        """Decisions the reader may read (papers.visibility.readable_decisions) among the
        candidates (``_decision_candidates``), or all of them when there are no words; a
        decision takes its proposal's stage and area only from a proposal the reader may see
        (``decision_proposals``: papers.visibility.visible_pages)."""
        references = _reference_condition(self.parsed, ["reference", "key_decision_reference"])
        decisions = readable_decisions(self.user, Decision.objects.all()).order_by()
        rows = decisions.values(
            h_kind=Value("decision", CharField()),
            h_id=F("pk"),
            h_pinned=_flag(references),
            h_title_match=_flag(_title_match(self.parsed)),
            h_date=Coalesce(
                F("minutes__paper_date"), TruncDate("minutes__first_published_at", tzinfo=UTC)
            ),
            h_proposal=F("proposal_id"),
            h_stage=NullIf("proposal__stage", Value("")),
            h_area=F("proposal__service_area_id"),
            h_committee=F("cabinet_committee_id"),
            h_outcome=F("outcome"),
        )
        sql, params = _sql(rows)
        score, found = NO_SCORE, ""
        if self.matched:
            candidates = self._decision_candidates(references)
            score, found = "c.score", f" JOIN {candidates} c ON c.oid = b.h_id"
        self.cte(
            "decision_rows",
            f"SELECT b.*, {score} AS h_score FROM ({sql}) b{found}",
            params,
            materialized=True,
        )
        # Asked only of these decisions' proposals, by their ids: the planner then reads each
        # by its key, where a join let a misjudged count of matches (the index's statistics
        # mix every kind of entry) read all 120,000 pages at 100,000 papers.
        proposals = Page.objects.filter(pk__in=RawSQL("SELECT h_proposal FROM decision_rows", []))
        seen_sql, seen_params = _sql(
            visible_pages(self.user, proposals).order_by().values(oid=F("pk"))
        )
        self.cte("decision_proposals", seen_sql, seen_params, materialized=True)
        self.branch(
            "SELECT r.h_kind, r.h_id, r.h_pinned, r.h_title_match, r.h_date, "
            "CASE WHEN dp.oid IS NOT NULL THEN r.h_stage END AS h_stage, "
            "CASE WHEN dp.oid IS NOT NULL THEN r.h_area END AS h_area, "
            "r.h_committee, r.h_outcome, r.h_score "
            "FROM decision_rows r LEFT JOIN decision_proposals dp ON dp.oid = r.h_proposal",
            [],
            is_decision=True,
            materialized=False,
        )

    def sql(self):
        hits = " UNION ALL ".join(self.branches)
        ctes = ", ".join([*self.ctes, f"hits AS MATERIALIZED ({hits})"])
        return f"WITH {ctes}", self.cte_params


def _unfound(alias, ctes):
    """SQL: the row ``alias`` is in none of the CTEs ``ctes`` (each with an ``oid``)."""
    return " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {cte} f WHERE f.oid = {alias}.oid)" for cte in ctes
    )


def _fields(kind):
    return ["reference"] + (["key_decision_reference"] if kind.has_proposal_fields else [])


def _statement(user, parsed, backend, ranked=True):
    statement = Statement(user, parsed, ranked)
    by_ct = kind_by_content_type()
    exempt = False
    if statement.matched:
        statement.add_matches(backend, "page_matches", Page)
        statement.add_matches(backend, "decision_matches", Decision)
        if reads_any_exempt(user) and any(kind.key == "minutes" for kind in by_ct.values()):
            statement.add_exempt_matches(backend)
            exempt = True
    statement.add_pages(by_ct, exempt)
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


# How the statement is planned on PostgreSQL, set for its transaction alone. (JIT is off for
# every connection, cms.settings.base: the planner cannot see how few rows the matches leave,
# so a statement could look costly enough to compile, seconds of compiling for milliseconds of
# work. No ``enable_seqscan = off`` either: where a table has no index for a condition, e.g. a
# paper's audience, it priced every plan alike and the planner looped over one CTE per row of
# another.)
STATEMENT_SETTINGS = (
    # The match's priced cost (papers.search.scoring.IndexedDocument) is high enough for
    # parallel plans, which gained a search nothing measurable at 10,000 papers and would take
    # a second core from the other requests a busy site is serving.
    "SET LOCAL max_parallel_workers_per_gather = 0",
    # The tables a search reads are in memory on a site this size; at the default
    # random_page_cost the planner read all 120,000 pages to join 18,000 hits at 100,000
    # papers (twice the time of reading those 18,000 by their keys).
    "SET LOCAL random_page_cost = 1.1",
)


def _run(sql, params, using):
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in STATEMENT_SETTINGS:
                cursor.execute(setting)
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
    with_sql, with_params = _statement(user, parsed, backend, ranked=params.sort != "newest")
    filters = _filters(params, vendor)
    offset = (params.page - 1) * page_size
    while True:
        sql, sql_params = _page_and_counts(
            with_sql, with_params, filters, params.sort, page_size, offset
        )
        rows = _run(sql, sql_params, using)
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
