"""Ask the search backend for every match of a query and its score.

On the database backends one pass over the index serves pages and decisions alike (the
match and rank expressions do not depend on the model searched); Elasticsearch returns a
ranked window.
"""

from django.db.models import F

# Elasticsearch returns a ranked window, not every match: filters and counts cover this many.
ENGINE_WINDOW = 2000


def uses_database_backend(backend):
    return hasattr(backend.results_class, "get_queryset")


def score_sign(backend):
    # SQLite FTS5's bm25() is lower-is-better; PostgreSQL and Elasticsearch higher-is-better.
    return -1.0 if type(backend).__name__.startswith("SQLite") else 1.0


def _scores(backend, searchable, query, shared=None):
    """{pk: score} for every match of ``query`` among ``searchable``, from the engine alone.

    ``shared`` (a dict kept for one search) lets SQLite answer pages and decisions from one
    FTS5 pass: its match and rank expressions do not depend on the model searched.
    """
    sign = score_sign(backend)
    if type(backend).__name__.startswith("SQLite"):
        shared = {} if shared is None else shared
        if "sqlite" not in shared:
            shared["sqlite"] = _sqlite_matches(backend, searchable, query, sign)
        return _of_model(shared["sqlite"], searchable.model)
    if type(backend).__name__.startswith("Postgres"):
        shared = {} if shared is None else shared
        if "postgres" not in shared:
            shared["postgres"] = _postgres_matches(backend, searchable, query, sign)
        return _of_model(shared["postgres"], searchable.model)
    results = backend.search(query, searchable, order_by_relevance=True).annotate_score("_score")
    if uses_database_backend(backend):
        queryset = results.get_queryset()
        return {pk: sign * (score or 0.0) for pk, score in queryset.values_list("pk", "_score")}
    # Elasticsearch: a ranked window.
    return {obj.pk: sign * (obj._score or 0.0) for obj in results[:ENGINE_WINDOW]}


def _sqlite_matches(backend, searchable, query, sign):
    """One FTS5 pass returning {content type id: {object id: score}} for every match.

    Wagtail's SQLite backend scores through a correlated subquery per matching row, which
    takes minutes for a common word over 10,000 papers; this asks FTS5 once, with the same
    match and rank expressions the backend builds. Content types are checked in Python
    rather than in SQL, which would tempt SQLite into probing FTS once per index entry.
    """
    from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
    from modelsearch.conf import get_app_config

    compiler = backend.query_compiler_class(searchable, query)
    normalized = normalize(compiler.query)
    search_query = compiler.build_search_query(normalized, config=None)
    match = MatchExpression(compiler.FTS_TABLE_FIELDS, search_query)
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), None)
    fts = get_app_config().get_model("SQLiteFTSIndexEntry")
    rows = (
        fts.objects.filter(match)
        .annotate(score=rank)
        .values_list("index_entry__object_id", "index_entry__content_type_id", "score")
    )
    matches = {}
    for pk, ct, score in rows:
        matches.setdefault(ct, {})[int(pk)] = sign * (score or 0.0)
    return matches


def _postgres_matches(backend, searchable, query, sign):
    """One pass over the index table: {content type id: {object id: score}} for every match.

    The same tsquery, match condition and rank expression as Wagtail's PostgreSQL backend
    builds, applied to the index entries themselves rather than through each model's
    table, so pages and decisions share one scan of the index (which the ``title || body``
    match cannot answer from an index).
    """
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")
    compiler = backend.query_compiler_class(searchable, query)
    config = compiler.get_config(backend)
    search_query = compiler.build_tsquery(compiler.query, config=config)
    rank = compiler.build_tsrank(F("title"), compiler.query, config=config) * F("title_norm")
    rank += compiler.build_tsrank(F("body"), compiler.query, config=config) * 1.0
    vector = F("title")._combine(F("body"), "||", False)
    rows = (
        IndexEntry.objects.annotate(_vector_=vector)
        .filter(_vector_=search_query)
        .annotate(score=rank)
        .values_list("object_id", "content_type_id", "score")
    )
    matches = {}
    for pk, ct, score in rows:
        matches.setdefault(ct, {})[int(pk)] = sign * (score or 0.0)
    return matches


def _of_model(matches, model):
    from modelsearch.utils import get_descendants_content_types_pks

    scores = {}
    for ct in get_descendants_content_types_pks(model):
        scores.update(matches.get(ct, ()))
    return scores
