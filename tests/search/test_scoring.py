"""The engine's scores are the backend's own, built from its compiler's public methods.

papers.search.scoring rebuilds the rank Wagtail's database backends order by (their private
``_build_rank_expression``) from the public ``build_tsrank``, and matches PostgreSQL entries
through a GIN index on ``title || body`` (papers migration 0023): these tests fail if a new
Wagtail or modelsearch release scores or matches differently.
"""

import random
import string

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from modelsearch.conf import get_app_config
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.models import StandardPage
from papers.models import Decision, MinutesPage, ProposalPage
from papers.search.database import STATEMENT_SETTINGS
from papers.search.kinds import KINDS
from papers.search.query import parse
from papers.search.scoring import IndexedDocument, match_scores, score_sign
from tests.query_plans import statements_run_by, steps_given_word_vectors

from .conftest import client_for

pytestmark = pytest.mark.django_db

QUERIES = ["care", "home care", '"home care"', "transport OR equipment", "care -transport"]


@pytest.mark.parametrize("words", QUERIES)
def test_scores_are_the_backends_own(site, words):
    backend = get_search_backend()
    query = parse(words).query
    pages = backend.search(query, Page.objects.live(), order_by_relevance=False)
    expected = {
        page.pk: pytest.approx(score_sign(backend) * (page.s or 0.0))
        for page in pages.annotate_score("s")
    }
    assert match_scores(backend, Page.objects.live(), query) == expected, words
    # Decisions: the same matches. (Wagtail's PostgreSQL annotate_score gave a decision 1.0
    # here where the engine's rank, unchanged by the move, gives 0.098: scores pinned for
    # pages only until that is understood.)
    decisions = backend.search(query, Decision.objects.all(), order_by_relevance=False)
    assert set(match_scores(backend, Decision.objects.all(), query)) == {
        decision.pk for decision in decisions
    }, words
    assert match_scores(backend, Page.objects.live(), parse("care").query)  # not vacuous


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgres_match_of_a_word_in_most_entries_is_answered_from_the_gin_index(site):
    """Priced as nearly free, ``title || body`` was computed for every entry to match a word
    in most of them (a scan of the whole table); migration 0023's function carries its cost.
    (A word in all but a few entries is still scanned for: PostgreSQL prices the index's
    recheck as if it ran, and it never does for a plain word.)"""
    index_entry = get_app_config().get_model("IndexEntry")
    table = index_entry._meta.db_table
    with connection.cursor() as cursor:
        # A decade of minutes: many more entries, nine in ten of them naming the cabinet.
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "
            "title_norm, title_text, body_text) "
            "SELECT %s, 'minutes-' || n, to_tsvector('english', 'Minutes ' || n), "
            "to_tsvector('simple', ''), to_tsvector('english', b), 1.0, 'Minutes ' || n, b "
            "FROM (SELECT n, CASE WHEN n %% 10 = 0 THEN 'The board noted the report. ' "
            "ELSE 'The cabinet agreed the recommendation. ' END AS b "
            "FROM generate_series(1, 2000) n) generated",
            [ContentType.objects.get_for_model(MinutesPage).pk],
        )
        cursor.execute(f"ANALYZE {table}")  # as the migration does; autovacuum would, later
    backend = get_search_backend()
    compiler = backend.query_compiler_class(ProposalPage.objects.all(), parse("cabinet").query)
    tsquery = compiler.build_tsquery(compiler.query, config=compiler.get_config(backend))
    matches = index_entry.objects.alias(document=IndexedDocument()).filter(document=tsquery)
    assert matches.count() >= 0.9 * 2000 - 1
    # Planned as the search statement is (papers.search.database): with parallel workers the
    # planner may price a parallel scan of a table this small under the index.
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in STATEMENT_SETTINGS:
            cursor.execute(setting)
        plan = matches.explain()
    assert "papers_search_document_fn_gin" in plan, plan


def test_the_site_registers_its_own_page_kind():
    assert list(KINDS)[:6] == ["proposal", "decision", "minutes", "meeting", "provider", "training"]
    assert KINDS["page"].model is StandardPage  # registered by this site's search app
    assert KINDS["page"].join == "standardpage"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the table's storage is PostgreSQL's")
def test_postgres_keeps_a_long_paper_s_word_vectors_in_its_index_row(site):
    """Ranking a match reads its vectors: a long paper's stay in its index entry's row
    (migration 0027), not in the table's TOAST store, where each was a lookup of its own.
    A new Wagtail or modelsearch migration that altered these columns would undo that."""
    index_entry = get_app_config().get_model("IndexEntry")
    table = index_entry._meta.db_table
    rng = random.Random(7)
    # A few thousand bytes of vector that compress poorly: over the ~2 kB at which PostgreSQL
    # moves a value out of its row by default, under the page that a row must fit in.
    words = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(9)) for _ in range(350)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = %s::regclass",
            [table],
        )
        (toast,) = cursor.fetchone()

        def toast_rows():
            cursor.execute(f"SELECT count(*) FROM {toast}")
            return cursor.fetchone()[0]

        before = toast_rows()
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "
            "title_norm, title_text, body_text) VALUES (%s, 'long-paper', "
            "to_tsvector('simple', 'A long paper'), to_tsvector('simple', ''), "
            "to_tsvector('simple', %s), 1.0, '', '')",
            [ContentType.objects.get_for_model(ProposalPage).pk, words],
        )
        cursor.execute(f"SELECT pg_column_size(body) FROM {table} WHERE object_id = 'long-paper'")
        assert cursor.fetchone()[0] > 2500  # long enough to have been moved out by default
        assert toast_rows() == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's word vectors are FTS5's own"
)
def test_postgres_search_statement_scores_each_match_before_grouping_them(site, users):
    """Each pass of the search page's statement (papers.search.database) scores its matches in
    a subquery of their own, then takes each object's best score: merged, PostgreSQL carried
    every match's word vectors into the grouping and ranked there."""
    client = client_for(users, "board")  # a reader of exempt minutes: all three passes
    statements = statements_run_by(lambda: client.get("/search/?q=care"))
    statement = [(sql, params) for sql, params in statements if sql.startswith("WITH ")]
    assert len(statement) == 1, [sql[:100] for sql, _ in statements]
    sql, params = statement[0]
    assert sql.count("@@") >= 3  # pages, decisions, exempt minute items
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in STATEMENT_SETTINGS:
            cursor.execute(setting)
        assert not steps_given_word_vectors(sql, params)
