"""Ask the search backend for every match of a query and its score.

On the database backends one pass over Wagtail's index table serves pages and decisions alike
(the match and rank expressions do not depend on the model searched), built from the public
methods of the backend's query compiler; Elasticsearch returns a ranked window.
"""

import functools
import importlib

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.conf import get_app_config
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page

from ..expressions import UnindexedOnSQLite

# Elasticsearch returns a ranked window, not every match: filters and counts cover this many.
ENGINE_WINDOW = 2000


def uses_database_backend(backend):
    """Whether the backend's results are a queryset (the database backends), not a window."""
    return hasattr(backend.results_class, "get_queryset")


@functools.cache
def sqlite_fts():
    """papers.search.sqlite_fts where modelsearch has its SQLite FTS5 table, else None.

    modelsearch's SQLite backend module looks its FTS model up when imported, and that model
    exists only on SQLite with FTS5: on PostgreSQL the import itself fails.
    """
    models = {model.__name__ for model in get_app_config().get_models()}
    return (
        importlib.import_module(f"{__package__}.sqlite_fts")
        if "SQLiteFTSIndexEntry" in models
        else None
    )


def is_sqlite_fts(backend):
    return sqlite_fts() is not None and isinstance(backend, sqlite_fts().SQLiteSearchBackend)


def score_sign(backend):
    # SQLite FTS5's bm25() is lower-is-better; PostgreSQL and Elasticsearch higher-is-better.
    return -1.0 if is_sqlite_fts(backend) else 1.0


def scored_apart(sql, connection):
    """``sql`` (a subquery that scores matches) kept from being merged into the query around
    it, which reads its rows in another order (by object, or by score with a count beside).

    Merged, PostgreSQL worked out each score only where the outer query needed it, after a
    sort or a window, and so carried every match's word vectors through that step: with the
    vectors kept in the row (migration 0027) a common word's 6,000 matches spilled to disk,
    and the API's ?search=care took 42 ms instead of 22 (30 ms with the vectors out of the
    row). SQLite's subquery is left as it is: its vectors are FTS5's own, which bm25() reads
    wherever it is worked out.
    """
    return f"{sql} OFFSET 0" if connection.vendor == "postgresql" else sql


def match_scores(backend, searchable, query, shared=None):
    """{pk: score} for every match of ``query`` among ``searchable``, from the engine alone.

    ``shared`` (a dict kept for one search) lets pages and decisions be answered from one pass
    over the index: its match and rank expressions do not depend on the model searched.
    """
    shared = {} if shared is None else shared
    if is_sqlite_fts(backend) or isinstance(backend, PostgresSearchBackend):
        if "matches" not in shared:
            shared["matches"] = index_matches(backend, searchable, query)
        return _of_model(shared["matches"], searchable.model)
    sign = score_sign(backend)
    results = backend.search(query, searchable, order_by_relevance=True).annotate_score("relevance")
    if uses_database_backend(backend):
        queryset = results.get_queryset()
        return {pk: sign * (score or 0.0) for pk, score in queryset.values_list("pk", "relevance")}
    # Elasticsearch: a ranked window.
    return {obj.pk: sign * (obj.relevance or 0.0) for obj in results[:ENGINE_WINDOW]}


def index_matches(backend, searchable, query):
    """{content type id: {object id: score}} for every match in the index (database backends)."""
    if is_sqlite_fts(backend):
        rows = sqlite_fts().index_rows(backend, searchable, query, rank_expression)
    else:
        rows = _postgres_rows(backend, searchable, query)
    sign = score_sign(backend)
    matches = {}
    for pk, ct, score in rows:
        matches.setdefault(ct, {})[int(pk)] = sign * (score or 0.0)
    return matches


def index_match_queryset(backend, query):
    """The engine's full-text pass as a queryset, for papers.search.database to build on:
    ``m_oid`` (object id, text), ``m_ct`` (content type id), ``m_score`` (before its sign)."""
    searchable = Page.objects.all()  # the match and rank do not depend on the model
    if is_sqlite_fts(backend):
        rows = sqlite_fts().index_rows(backend, searchable, query, rank_expression)
        oid, ct = "index_entry__object_id", "index_entry__content_type_id"
    else:
        rows = _postgres_rows(backend, searchable, query)
        oid, ct = "object_id", "content_type_id"
    return rows.values(m_oid=F(oid), m_ct=F(ct), m_score=F("score"))


def rank_expression(compiler, vectors, config):
    """The backend's relevance: the rank of each (vector, boost), summed.

    What the compilers' own (private) ``_build_rank_expression`` does, from their public
    ``build_tsrank``, so the scores are the ones Wagtail's ``.search()`` orders by.
    """
    ranks = [compiler.build_tsrank(vector, compiler.query, config=config) * boost
             for vector, boost in vectors]  # fmt: skip
    total = ranks[0]
    for rank in ranks[1:]:
        total += rank
    return total


class IndexedDocument(Func):
    """``title || body`` of an index entry: what Wagtail's PostgreSQL backend matches against.

    Spelt ``papers_search_document(title, body)``, the function papers' migration 0023 adds and
    indexes (GIN), so the match is answered from that index, even for a word in nearly every
    entry, instead of a scan concatenating the two vectors of every entry.
    """

    function = "papers_search_document"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(F("title"), F("body"))


def _postgres_entries(backend, searchable, query):
    """The index entries matching ``query``, each annotated with its ``score``.

    The same tsquery, match condition and rank as Wagtail's PostgreSQL backend builds, applied
    to the index entries themselves rather than through each model's table, so pages and
    decisions share one pass.
    """
    index_entry = get_app_config().get_model("IndexEntry")
    compiler = backend.query_compiler_class(searchable, query)
    config = compiler.get_config(backend)
    search_query = compiler.build_tsquery(compiler.query, config=config)
    rank = rank_expression(compiler, [(F("title"), F("title_norm")), (F("body"), 1.0)], config)
    return (
        index_entry.objects.alias(document=IndexedDocument())
        .filter(document=search_query)
        .annotate(score=rank)
    )


def _postgres_rows(backend, searchable, query):
    """One pass over the index table: (object id, content type id, score) of every match."""
    entries = _postgres_entries(backend, searchable, query)
    return entries.values_list("object_id", "content_type_id", "score")


def ranked_entries(backend, searchable, query, narrowed_by=None):
    """The matches of ``query`` among ``searchable``, most relevant first, as one query over
    the index (database backends; None for others).

    Each row has ``match_id`` (the object's id) and ``score``; ``searchable`` (unevaluated)
    narrows them inside the same query, or ``narrowed_by`` (ids as a ``values("pk")``
    queryset) where ``searchable`` is just ``pk__in`` those: one lookup a match, not two (a
    fifth of the query for a common word at 10,000 papers). Ties go to the higher id, as in
    Wagtail's backends, so a window of this is the window Wagtail's ``.search()`` would return.
    """
    narrowing = searchable.order_by().values("pk") if narrowed_by is None else narrowed_by
    if is_sqlite_fts(backend):
        fts = sqlite_fts()
        entries = fts.scored_entries(backend, searchable, query, rank_expression)
        object_id, content_type = fts.OBJECT_ID, fts.CONTENT_TYPE
        # No index on the entries' content type, so SQLite reads FTS5 once and checks each
        # match, rather than probing FTS5 (and weighing bm25 anew) per entry.
        content_type = UnindexedOnSQLite(content_type, output_field=IntegerField())
        # Each match looked up by its id: for ``IN (…)`` SQLite first built the list of every
        # visible id (12,000 at 10,000 papers), a fifth of a search for a common word.
        visible = Q(Exists(narrowing.filter(pk=OuterRef("match_id"))))
        relevance = F("score").asc()  # bm25: lower is better
    elif isinstance(backend, PostgresSearchBackend):
        entries = _postgres_entries(backend, searchable, query)
        object_id, content_type = "object_id", F("content_type_id")
        visible = Q(match_id__in=narrowing)
        relevance = F("score").desc()
    else:
        return None
    return (
        entries.alias(match_ct=content_type)
        .annotate(match_id=Cast(object_id, output_field=IntegerField()))
        .filter(Q(match_ct__in=get_descendants_content_types_pks(searchable.model)), visible)
        .order_by(relevance, F("match_id").desc())
    )


def _of_model(matches, model):
    scores = {}
    for ct in get_descendants_content_types_pks(model):
        scores.update(matches.get(ct, ()))
    return scores
