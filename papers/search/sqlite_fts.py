"""The SQLite FTS5 pass of papers.search.scoring (imported there only on SQLite with FTS5)."""

from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
from modelsearch.conf import get_app_config

__all__ = ["SQLiteSearchBackend", "index_rows", "scored_entries"]

# Where the FTS entry's index entry keeps the object's id and content type.
OBJECT_ID = "index_entry__object_id"
CONTENT_TYPE = "index_entry__content_type_id"


def scored_entries(backend, searchable, query, rank_expression):
    """The FTS5 entries matching ``query``, each annotated with its ``score`` (bm25: lower is
    better), as a queryset: one FTS5 pass, with the match and rank expressions the backend
    builds.

    Wagtail's SQLite backend scores through a correlated subquery per matching row, which
    takes minutes for a common word over 10,000 papers: every subquery asks FTS5 afresh, and
    bm25() reads the whole of each term's entries to weigh it.
    """
    compiler = backend.query_compiler_class(searchable, query)
    search_query = compiler.build_search_query(normalize(compiler.query), config=None)
    match = MatchExpression(compiler.FTS_TABLE_FIELDS, search_query)
    rank = rank_expression(compiler, compiler.get_search_vectors(), None)
    fts = get_app_config().get_model("SQLiteFTSIndexEntry")
    return fts.objects.filter(match).annotate(score=rank)


def index_rows(backend, searchable, query, rank_expression):
    """One FTS5 pass: (object id, content type id, score) of every match.

    Content types are checked in Python rather than in SQL, which would tempt SQLite into
    probing FTS once per index entry.
    """
    entries = scored_entries(backend, searchable, query, rank_expression)
    return entries.values_list(OBJECT_ID, CONTENT_TYPE, "score")
