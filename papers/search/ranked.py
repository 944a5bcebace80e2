"""A search ordered by relevance, read one window at a time in a bounded number of queries.

Wagtail's ``.search()`` on the database backends orders by a score it attaches to each row
(on SQLite a correlated full-text subquery per match: minutes for a common word at 10,000
papers). Here one query over the search index, scored once (papers.search.scoring.
ranked_entries), with the caller's queryset narrowing the matches inside it, counts the
matches (reading one window's ids beside), another reads one window's ids when they were not
read so, and a third reads that window's objects. The order and the objects are those
Wagtail's results would give.
"""

import copy

from django.db import connections

from ..caching import cached_count
from .scoring import ranked_entries, score_sign, scored_apart


def bounded(results, narrowed_by=None):
    """Wagtail search results as a RankedResults where that is possible, else unchanged.

    Only relevance needs it: ordered by a field, Wagtail's backends already filter in one
    query and score nothing. ``narrowed_by``: the ids (a ``values("pk")`` queryset) the
    searched queryset was narrowed to, when it is ``pk__in`` them: the matches are then
    checked against those directly, not through the searched queryset around them.
    """
    compiler = getattr(results, "query_compiler", None)
    if compiler is None or not compiler.order_by_relevance or compiler.fields is not None:
        return results
    entries = ranked_entries(results.backend, compiler.queryset, compiler.query, narrowed_by)
    if entries is None:
        return results
    return RankedResults(
        entries,
        compiler.queryset,
        narrowed_by=narrowed_by,
        lower_score_first=score_sign(results.backend) < 0,
    )


class RankedResults:
    """The objects of ``queryset`` that ``entries`` (ranked index rows) name, in their order.

    Supports what a paginator asks of search results: ``count()``, slicing and iteration.
    The count is kept for the page cache's generation (``cached_count``, keyed by the
    statement, so by the words and the reader's hidden subtrees), as listings' totals are:
    a common word's count reads every match, on every offset asked for.

    When no count is kept, a paginator that says which window it will read next
    (``expecting``) has that window read in the counting query (a count over the ranked
    matches beside the window's rows): the matches are found, checked and scored once rather
    than once for the count and again for the window.
    """

    def __init__(self, entries, queryset, narrowed_by=None, lower_score_first=False):
        self.entries = entries
        self.queryset = queryset
        self.narrowed_by = narrowed_by  # see bounded()
        self.lower_score_first = lower_score_first  # SQLite's bm25()
        self.start = 0
        self.stop = None
        self.expected = None  # (start, stop) of the window a paginator will read
        self._window = None  # (start, stop, ids) read beside the count
        self._objects = None

    def _derived(self, **changes):
        derived = copy.copy(self)
        derived._objects = None
        for name, value in changes.items():
            setattr(derived, name, value)
        return derived

    def expecting(self, start, stop):
        """These results, told that the window ``[start:stop]`` is read after the count."""
        return self._derived(expected=(start, stop), _window=None)

    def count(self):
        total = cached_count(self.entries, self._count_beside_window if self._beside() else None)
        if self.stop is not None:
            total = min(total, self.stop)
        return max(total - self.start, 0)

    def _beside(self):
        return self.expected is not None and (self.start, self.stop) == (0, None)

    def _count_beside_window(self):
        start, stop = self.expected
        rows = self._read_window(start, stop, counted=True) if stop > start else []
        self._window = (start, stop, [match_id for match_id, _matches in rows])
        if not rows:  # past the last match (or an empty window): nothing to count beside
            return self.entries.count()
        return rows[0][1]

    def _read_window(self, start, stop, counted=False):
        """The rows ``[start:stop]`` of the ranked entries: (id,), or (id, number of matches)
        when ``counted``. The entries are a subquery (scoring.scored_apart), so each match is
        scored before it is sorted, and SQLite, which refuses bm25() in the query of a window
        function, can count too."""
        ranked = self.entries.order_by().values_list("match_id", "score")
        connection = connections[ranked.db]
        sql, params = ranked.query.get_compiler(connection=connection).as_sql()
        scored = scored_apart(sql, connection)
        total = ", COUNT(*) OVER ()" if counted else ""
        direction = "ASC" if self.lower_score_first else "DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ranked.match_id{total} FROM ({scored}) ranked "
                f"ORDER BY ranked.score {direction}, ranked.match_id DESC LIMIT %s OFFSET %s",
                [*params, stop - start, start],
            )
            return cursor.fetchall()

    def __len__(self):
        return len(self._fetch())

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._fetch()[key]
        if key.step is not None or (key.start or 0) < 0 or (key.stop or 0) < 0:
            raise ValueError("search results take only a forward slice")
        start = self.start + (key.start or 0)
        stop = self.stop if key.stop is None else self.start + key.stop
        if self.stop is not None and stop is not None:
            stop = min(stop, self.stop)
        return self._derived(start=start, stop=stop, expected=None)

    def __iter__(self):
        return iter(self._fetch())

    def window_ids(self):
        """The ids of this window's rows, in order (read beside the count, or one query over
        the ranked entries)."""
        if self.stop is not None and self.stop <= self.start:
            return []
        if self._window is not None and self._window[:2] == (self.start, self.stop):
            return list(self._window[2])
        if self.stop is None:  # every match from ``start`` on: no window a paginator reads
            return list(self.entries.values_list("match_id", flat=True)[self.start :])
        return [match_id for (match_id,) in self._read_window(self.start, self.stop)]

    def _fetch(self):
        if self._objects is None:
            ids = self.window_ids()
            # The ids passed the queryset's filters inside the ranking query, but a page may be
            # restricted between that query and this one: the window's few rows are read
            # through the same filters (visibility among them) again, by id.
            rows = self.queryset.order_by()
            if self.narrowed_by is not None:
                # The same rows, with the window's ids inside the narrowing: SQLite otherwise
                # built the list of every visible id (12,000 at 10,000 papers) to check twenty.
                among = self.narrowed_by.filter(pk__in=ids)
                rows = self.queryset.model._default_manager.filter(pk__in=among)
            found = rows.in_bulk(ids) if ids else {}
            self._objects = [found[pk] for pk in ids if pk in found]
        return self._objects
