"""The API's ?search= does the same work with a few matching papers as with many.

Searched with a few papers that match, then with more matches than a page of results shows, it
makes no more database queries, and each query asks the full-text index once: no
query per match, and no score looked up per match inside a query (Wagtail's SQLite backend
ordered by relevance through a full-text subquery per matching row, minutes at 10,000 papers).
Not a timed test: benchmarks/bench_pages.py measures time.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from papers.models.choices import Audience
from papers.search.ranked import RankedResults
from tests.factories import ProposalPageFactory
from tests.public.helpers import board_member, build_content, cold_get, restrict
from tests.query_plans import statements_run_by, steps_given_word_vectors

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30  # papers that match; LARGE is more than a page of 20
PATHS = [
    "/api/v2/pages/?search=care",
    "/api/v2/pages/?search=care&type=papers.ProposalPage&fields=summary",
    "/api/v2/pages/?search=home+care&offset=2",
    "/api/v2/pages/?search=care&search_operator=or&limit=5&offset=3",
    "/api/v2/pages/?search=care&order=-title",
]


def full_text_uses(sql):
    """How many times one SQL statement asks the full-text index for matches."""
    return sql.count(" MATCH ") if connection.vendor == "sqlite" else sql.count("@@")


def searched(client):
    """{path: (queries, full-text uses of the busiest query, total_count, items)}."""
    found = {}
    for path in PATHS:
        response, queries = cold_get(client, path)
        body = response.json()
        uses = max(full_text_uses(sql) for sql in queries)
        found[path] = (len(queries), uses, body["meta"]["total_count"], len(body["items"]))
    return found


@pytest.mark.parametrize("who", ["anonymous", "board member"])
def test_api_search_work_does_not_grow_with_the_matches(client, who):
    build_content()  # restricted papers too: the visibility filter is part of the search
    if who == "board member":
        client.force_login(board_member())
    for _ in range(SMALL):
        ProposalPageFactory()  # every one says "home care"
    call_command("update_index", verbosity=0)
    small = searched(client)
    for _ in range(LARGE - SMALL):
        ProposalPageFactory()
    call_command("update_index", verbosity=0)
    large = searched(client)

    for path in PATHS:
        small_queries, small_uses, small_total, _ = small[path]
        large_queries, large_uses, large_total, _ = large[path]
        assert large_total >= small_total + LARGE - SMALL, path  # the matches did grow
        # Fewer is fine: a board member's reads of restricted papers in the window are logged.
        assert large_queries <= small_queries, f"{path}: {small_queries} then {large_queries}"
        assert small_uses == large_uses == 1, f"{path} asks the full-text index per match"
    # Pages of results are full at the larger size: the window, not every match, was read.
    assert large["/api/v2/pages/?search=care"][3] == 20
    assert large["/api/v2/pages/?search=home+care&offset=2"][3] == 20
    assert large["/api/v2/pages/?search=care&search_operator=or&limit=5&offset=3"][3] == 5


def test_a_paper_restricted_while_the_search_runs_is_not_returned(client, monkeypatch):
    """The ranked ids are read, then the paper is restricted, then the window's objects are
    read: they are read through the visibility filter again, so the paper is not in the page."""
    kept = ProposalPageFactory(title="Zephyrine care kept")
    hidden = ProposalPageFactory(title="Zephyrine care hidden")
    call_command("update_index", verbosity=0)
    read_ids = RankedResults.window_ids

    def restricted_in_between(results):
        ids = read_ids(results)
        if hidden.pk in ids:
            restrict(hidden, Audience.BOARD)
        return ids

    monkeypatch.setattr(RankedResults, "window_ids", restricted_in_between)
    for cache in caches.all():
        cache.clear()
    body = client.get("/api/v2/pages/?search=Zephyrine").json()
    titles = [item["title"] for item in body["items"]]
    assert "Zephyrine care kept" in titles and "Zephyrine care hidden" not in titles
    assert kept.pk in [item["id"] for item in body["items"]]


def test_a_search_not_yet_counted_reads_its_matches_once(client, monkeypatch):
    """Not counted yet, the total and the window come from one pass over the matches; the
    answers are those of a count and a window read apart, past the last match too."""
    build_content()
    for _ in range(LARGE):
        ProposalPageFactory()
    call_command("update_index", verbosity=0)
    paths = [
        "/api/v2/pages/?search=care",
        "/api/v2/pages/?search=home+care&offset=21&limit=7",
        "/api/v2/pages/?search=care&offset=500",
    ]

    def answers():
        found = {}
        for path in paths:
            response, queries = cold_get(client, path)
            found[path] = (response.json(), sum(full_text_uses(sql) for sql in queries))
        return found

    together = answers()
    monkeypatch.setattr(RankedResults, "expecting", lambda results, start, stop: results)
    apart = answers()
    for path in paths:
        assert together[path][0] == apart[path][0], path
    assert together["/api/v2/pages/?search=care"][0]["meta"]["total_count"] > 20
    assert len(together["/api/v2/pages/?search=home+care&offset=21&limit=7"][0]["items"]) == 7
    assert together["/api/v2/pages/?search=care"][1] == 1
    assert together["/api/v2/pages/?search=home+care&offset=21&limit=7"][1] == 1
    assert apart["/api/v2/pages/?search=care"][1] == 2
    # Past the last match the window is empty, so the count is read on its own, and the
    # empty window is not read again.
    assert together["/api/v2/pages/?search=care&offset=500"][0]["items"] == []
    assert together["/api/v2/pages/?search=care&offset=500"][1] == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's word vectors are FTS5's own"
)
def test_postgres_scores_each_match_before_counting_and_sorting_them(client):
    """The counted window scores each match in its own subquery (papers.search.scoring
    .scored_apart). Merged into the query around it, PostgreSQL put the score off until after
    the count and carried every match's word vectors through it: with the vectors in the
    index's rows (migration 0027) a common word's matches spilled to disk at 10,000 papers."""
    build_content()
    for _ in range(LARGE):
        ProposalPageFactory()
    call_command("update_index", verbosity=0)
    statements = statements_run_by(lambda: cold_get(client, "/api/v2/pages/?search=care"))
    counted = [(sql, params) for sql, params in statements if "COUNT(*) OVER ()" in sql]
    assert len(counted) == 1, statements
    assert not steps_given_word_vectors(*counted[0])
