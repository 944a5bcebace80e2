"""What a listing costs does not grow with the number of restricted papers, and a listing
tests visibility once, not again for the rows it has already chosen (issue 10)."""

import pytest
from django.db import connection, transaction

from papers.models import AccessLogEntry, ProposalPage
from papers.models.choices import Audience
from tests.factories import ProposalPageFactory
from tests.public.helpers import board_member, cold_get, councillor, restrict
from tests.query_plans import plan_steps, statements_run_by

pytestmark = pytest.mark.django_db


def api_titles(response):
    return {item["title"] for item in response.json()["items"]}


@pytest.mark.parametrize("who", [None, councillor, board_member])
def test_the_api_listing_costs_the_same_with_more_restricted_papers(client, who):
    if who is not None:
        client.force_login(who())
    for n in range(3):
        ProposalPageFactory(title=f"Open paper {n}")
    restrict(ProposalPageFactory(title="Board paper 0"), Audience.BOARD)
    restrict(ProposalPageFactory(title="Members paper 0"), Audience.MEMBERS)
    path = "/api/v2/pages/?limit=50"
    response, few = cold_get(client, path)
    for n in range(1, 6):
        restrict(ProposalPageFactory(title=f"Board paper {n}"), Audience.BOARD)
        restrict(ProposalPageFactory(title=f"Members paper {n}"), Audience.MEMBERS)
    response, many = cold_get(client, path)
    assert len(many) == len(few), "\n".join(q[:150] for q in many)
    titles = api_titles(response)
    assert {f"Open paper {n}" for n in range(3)} <= titles
    # Who sees what is unchanged: the rule of papers.visibility, as on the HTML pages.
    members = {f"Members paper {n}" for n in range(6)}
    board = {f"Board paper {n}" for n in range(6)}
    if who is None:
        assert not titles & (members | board)
    elif who is councillor:
        assert members <= titles and not titles & board
    else:
        assert members | board <= titles
    if who is not None:
        # Each restricted paper read through the API is logged with its audience.
        logged = {e.object_title: e.audience for e in AccessLogEntry.objects.all()}
        seen = members if who is councillor else members | board
        assert {title: logged[title] for title in seen} == {
            title: Audience.MEMBERS if title in members else Audience.BOARD for title in seen
        }


def test_a_listing_reads_its_rows_by_id_without_testing_visibility_again(client):
    client.force_login(board_member())
    for n in range(25):
        ProposalPageFactory(title=f"Paper {n:02d}")
    restrict(ProposalPageFactory(title="Board paper"), Audience.BOARD)
    first, _ = cold_get(client, "/proposals/")
    response, queries = cold_get(client, "/proposals/?page=2")
    # The two pages list every paper the member may see, each once.
    bodies = first.content.decode() + response.content.decode()
    for title in [f"Paper {n:02d}" for n in range(25)] + ["Board paper"]:
        assert bodies.count(title) == 1, title
    rows = [q for q in queries if q.startswith("SELECT") and '"papers_proposalpage"."summary"' in q]
    assert len(rows) == 1
    assert "wagtailcore_pageviewrestriction" not in rows[0]
    assert ProposalPage.objects.count() == 26


def test_the_navigation_reads_the_home_pages_sections_by_their_depth(client):
    """Treebeard finds a page's children as the pages one level down within its path range,
    and the home page's range holds every page of the site: without the (depth, path) index
    (papers migration 0026) the navigation on every page read them all (28-35 ms a request at
    100,000 papers on PostgreSQL). PostgreSQL reads a small table whole whatever its indexes,
    so there the plan is asked for with sequential scans priced out: the index must serve the
    range (the path column's "C" collation) for the planner to pick it."""
    ProposalPageFactory(title="Open paper")
    statements = statements_run_by(lambda: client.get("/"))
    navigation = [
        (sql, params) for sql, params in statements if "show_in_menus" in sql.partition("WHERE")[2]
    ]
    assert navigation
    for sql, params in navigation:
        if connection.vendor == "sqlite":
            plan = " / ".join(plan_steps(sql, params))
            assert "papers_page_depth_path (depth=? AND path>? AND path<?)" in plan, plan
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " / ".join(row[0] for row in cursor.fetchall())
        assert "papers_page_depth_path" in plan, plan


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite only: other databases get Wagtail's condition"
)
def test_a_section_index_reads_its_papers_in_the_listing_s_order_on_sqlite(client):
    """A section index picks its page of papers by walking the papers' own index in the
    listing's order and stops after the page shown. Finding the children through the (depth,
    path) index instead, SQLite read every paper in the section and sorted them all to show
    twenty (12 ms at 10,000 papers)."""
    for n in range(25):
        ProposalPageFactory(title=f"Paper {n:02d}")
    # SQLite plans by its tables' statistics, which seed_demo gathers as this does.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    statements = statements_run_by(lambda: cold_get(client, "/proposals/?page=2"))
    listing = [
        (sql, params)
        for sql, params in statements
        if sql.startswith('SELECT "papers_proposalpage"."page_ptr_id" AS "pk"')
        and "ORDER BY" in sql
    ]
    assert len(listing) == 1, [sql[:150] for sql, _ in statements]
    plan = " / ".join(plan_steps(*listing[0]))
    assert "SCAN papers_proposalpage USING COVERING INDEX papers_prop_paper_d" in plan, plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
