"""/search/: results by type, who sees what, facets, filters, snippets, sorting, paging."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.search.index import insert_or_update_object

from papers.models import Decision
from papers.models.choices import Audience, Stage
from tests.factories import StandardPageFactory
from tests.module_data import reread
from tests.public.helpers import restrict

from .conftest import client_for

pytestmark = pytest.mark.django_db


def titles(response):
    html = response.content.decode()
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]*">(.*?)</a>', html
    )


def links(response):
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="([^"]*)"',
        response.content.decode(),
    )


def facet_counts(response, name):
    html = response.content.decode()
    found = re.findall(
        rf'name="{name}" type="checkbox" value="([^"]+)"[^>]*>\s*<label[^>]*>[^<]*<span[^>]*>\((\d+)\)',
        html,
    )
    return {value: int(count) for value, count in found}


def search(users, who="anonymous", **params):
    return client_for(users, who).get("/search/", params)


def results_block(response):
    html = response.content.decode()
    return html[html.index('id="search-results"') :]


def test_finds_every_kind_of_public_hit(site, users):
    response = search(users, q="home care")
    assert response.status_code == 200
    found = titles(response)
    for title in ["Recommission home care", "Advice on recommissioning home care",
                  "Minutes of 12 March 2025", "Weald Home Care Partnership"]:  # fmt: skip
        assert title in found
    # Anonymous answers are the same for every visitor: kept briefly by shared caches
    # (papers.caching), revalidated by browsers.
    assert {"public", "max-age=0"} <= set(response.headers["Cache-Control"].split(", "))
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_decision_hit_links_to_its_place_in_the_minutes(site, users):
    response = search(users, q="re-tendering")
    decision = site["minutes"].decisions.get(reference="CAB/25/031")
    assert f"{site['minutes'].url}#decision-{decision.pk}" in links(response)


@pytest.mark.parametrize(
    ("word", "allowed"),
    [
        ("zanzibarite", {"board"}),  # only in a board-only proposal
        ("marmalade", {"board"}),  # only in a decision in board-only minutes
        ("quokkaline", {"board", "councillor"}),  # only in a members-only briefing
    ],
)
def test_restricted_words_show_exactly_what_a_missing_word_shows(site, users, word, allowed):
    nowhere = results_block(search(users, q="qwxzvbnotaword")).replace("qwxzvbnotaword", "WORD")
    for who in ("anonymous", "councillor", "board"):
        response = search(users, who, q=word)
        if who in allowed:
            assert titles(response), f"{who} should find {word}"
        else:
            assert titles(response) == []
            if who == "anonymous":
                assert results_block(response).replace(word, "WORD") == nowhere


def test_exempt_minute_text_is_not_searchable(site, users):
    for who in ("anonymous", "councillor"):
        assert titles(search(users, who, q="xylophonic")) == []
    # The exempt minute's title is public, so it still finds the minutes.
    assert "Minutes of 12 March 2025" in titles(search(users, q="Exempt item"))


def test_facet_counts_cover_only_what_the_user_may_see(site, users):
    anonymous = facet_counts(search(users, q="bidder OR home OR transformation"), "type")
    board = facet_counts(search(users, "board", q="bidder OR home OR transformation"), "type")
    assert anonymous["proposal"] == 2  # home care, school transport
    assert board["proposal"] == 4  # and the shortlist and the members' briefing
    assert board["decision"] == anonymous["decision"] + 1  # the marmalade bidder


def test_type_filter_and_counts_of_the_other_types(site, users):
    response = search(users, q="home care", type="decision")
    assert titles(response) == ["Advice on recommissioning home care"]
    counts = facet_counts(response, "type")
    assert counts["decision"] == 1 and counts["proposal"] >= 1  # other types stay countable


def test_stage_filter(site, users):
    response = search(users, q="home", stage=Stage.PLAN)
    # The home care proposal, and its decision (which takes its proposal's stage).
    assert set(titles(response)) == {
        "Recommission home care",
        "Advice on recommissioning home care",
    }
    assert facet_counts(response, "stage")["plan"] == 2


def test_service_area_filter(site, users):
    response = search(users, q="home OR transport", area="children-and-families")
    assert set(titles(response)) == {"Home to school transport", "School transport amendment"}


def test_outcome_filter(site, users):
    response = search(users, q="RESOLVED", outcome="deferred")
    assert titles(response) == ["School transport amendment"]
    counts = facet_counts(response, "outcome")
    assert counts == {"agreed": 1, "deferred": 1}


def test_committee_filter(site, users):
    response = search(
        users, q="home OR transport", committee="environment-and-transport-cabinet-committee"
    )
    assert set(titles(response)) == {"Home to school transport", "School transport amendment"}


def test_date_range(site, users):
    response = search(users, q="home OR transport", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert titles(response) == ["Home to school transport"]


def test_filters_without_words_browse(site, users):
    response = search(users, type="proposal", sort="newest")
    assert titles(response) == ["Recommission home care", "Home to school transport"]


def test_sort_newest(site, users):
    response = search(users, q="home", sort="newest", type="proposal")
    assert titles(response) == ["Recommission home care", "Home to school transport"]


def test_snippet_highlights_and_escapes(site, users):
    page = site["transport"]
    page.summary = "Taxis <script>alert(1)</script> and minibuses for school transport."
    page.save_revision().publish()
    html = search(users, q="minibuses").content.decode()
    assert "<mark>minibuses</mark>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_empty_result_says_so_and_suggests(site, users):
    html = search(users, q="qwxzvbnotaword", type="proposal").content.decode()
    assert "No results for ‘qwxzvbnotaword’" in html
    assert "removing the filters" in html and "decisions register" in html


def test_pagination_and_shareable_urls(site, users):
    from tests.factories import ProposalPageFactory

    for n in range(23):
        ProposalPageFactory(
            title=f"Gazebo paper {n}", summary="About gazebos.", key_decision_reference=""
        )
    first = search(users, q="gazebos")
    assert len(titles(first)) == 20 and "23 results" in first.content.decode()
    second = search(users, q="gazebos", page="2")
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert "page=2" in first.content.decode() and "q=gazebos" in first.content.decode()
    last = search(users, q="gazebos", page="999999")
    assert titles(last) == titles(second) and "only 2 pages" in last.content.decode()


def test_exact_reference_finds_its_paper_first(site, users):
    assert titles(search(users, q="25/00012"))[:2] == [
        "Recommission home care",
        "Advice on recommissioning home care",
    ]
    assert titles(search(users, q="CAB/2024/020"))[0] == "Home to school transport"
    assert titles(search(users, q="cab/25/032"))[0] == "School transport amendment"


def test_a_reference_finds_its_paper_and_decision_even_when_the_other_words_match_nothing(
    site, users
):
    # Every word must match for the engine to find anything; a reference typed exactly is
    # found by its own field whatever else was typed.
    assert titles(search(users, q="CAB/2024/020 xylophone")) == ["Home to school transport"]
    assert titles(search(users, q="xylophone cab/25/032")) == ["School transport amendment"]
    assert titles(search(users, q="25/00012 xylophone")) == [
        "Recommission home care",
        "Advice on recommissioning home care",
    ]


def test_title_matches_rank_above_body_matches(site, users):
    found = titles(search(users, q="home care", type="proposal"))
    assert found == ["Recommission home care", "Home to school transport"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="English stemming needs PostgreSQL")
def test_english_stemming_on_postgresql(site, users):
    assert "The commissioning cycle" in titles(search(users, q="commissioned"))


def test_a_decision_is_not_filtered_or_counted_by_its_board_only_proposals_stage(site, users):
    """Issue 9 finding 6: a public decision about a board-only paper takes no stage or area
    from it, so the filters cannot tell the paper's stage or area to those who may not see it."""
    decision = Decision.objects.create(
        minutes=site["minutes"],
        reference="CAB/25/033",
        title="Equipment advice noted",
        resolution="<p>RESOLVED that the gazumpery advice be noted.</p>",
        proposal=site["shortlist"],  # board-only: stage "do", adults' services
    )
    insert_or_update_object(decision)
    assert titles(search(users, q="gazumpery")) == ["Equipment advice noted"]
    for who in ("anonymous", "councillor"):
        assert titles(search(users, who, q="gazumpery", stage="do")) == []
        assert titles(search(users, who, q="gazumpery", area="adult-social-care")) == []
        assert "do" not in facet_counts(search(users, who, q="gazumpery"), "stage")
    board = search(users, "board", q="gazumpery", stage="do")
    assert titles(board) == ["Equipment advice noted"]


def test_no_facet_counts_a_paper_the_reader_may_not_see(site, users):
    """Every facet, not only "Type", counts only what the reader may open: the board-only
    shortlist (stage "do", adult social care, its committee) is found by a word and by its
    exact reference, and neither reaches the counts of anyone outside the board."""
    dimensions = ("type", "stage", "area", "committee", "outcome")
    query = "zanzibarite OR domiciliary"  # the shortlist; the public home care proposal
    board = {name: facet_counts(search(users, "board", q=query), name) for name in dimensions}
    assert board["stage"] == {"plan": 1, "do": 1}
    assert board["area"] == {"adult-social-care": 2}
    for who in ("anonymous", "councillor"):
        counts = {name: facet_counts(search(users, who, q=query), name) for name in dimensions}
        assert counts["type"] == {"proposal": 1}
        assert counts["stage"] == {"plan": 1}
        assert counts["area"] == {"adult-social-care": 1}
        assert counts["committee"] == {"adult-social-care-cabinet-committee": 1}
        # With "do" ticked, the other facets count what passes it: nothing this reader sees.
        ticked = search(users, who, q=query, stage="do")
        assert titles(ticked) == []
        assert all(facet_counts(ticked, name) == {} for name in ("area", "committee", "type"))
        by_reference = search(users, who, q="CAB/2025/027")
        assert titles(by_reference) == []
        assert all(facet_counts(by_reference, name) == {} for name in dimensions)
    assert titles(search(users, "board", q="CAB/2025/027"))[0] == site["shortlist"].title


def reads_a_proposal_s_text(queries):
    return any('"papers_proposalpage"."body"' in query["sql"] for query in queries)


def test_with_the_cache_on_a_result_s_text_is_read_once_and_follows_a_new_version(
    site, users, page_cache
):
    """What a result shows of a public page (its text for the snippet, address, reference) is
    kept for the page cache's generation (papers.search.display.shown_pages): the same search
    again, by a reader whose responses are never kept whole, shows the same without reading
    the paper again, and a version published since shows at once."""

    def results(**params):
        with CaptureQueriesContext(connection) as queries:
            response = search(users, "councillor", **params)
        shown = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", results_block(response))
        return shown, reads_a_proposal_s_text(queries.captured_queries)

    first, read = results(q="minibuses")
    assert read and "<mark>minibuses</mark>" in first and "CAB/2024/020" in first
    assert results(q="minibuses") == (first, False)
    page = site["transport"]
    page.summary = "Minibuses and hackney carriages for the school run."
    page.save_revision().publish()
    changed, read = results(q="minibuses")
    assert read and "hackney carriages" in changed


def test_with_the_cache_on_a_result_s_address_is_kept_for_each_site(site, users, page_cache):
    """A paper's address is relative on its own site and whole on another site's search page
    (Wagtail's ``get_url``): what one site's search kept is never shown on the other's."""
    other_root = StandardPageFactory(title="Another council", slug="another-council")
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    reader = client_for(users, "councillor")
    for _ in range(2):  # the second time, each site's from the cache
        own = links(reader.get("/search/", {"q": "minibuses"}))
        other = links(reader.get("/search/", {"q": "minibuses"}, HTTP_HOST="other.example"))
        assert own and own[0].startswith("/proposals/")
        assert other == [f"http://localhost{own[0]}"]


def test_with_the_cache_on_a_paper_restricted_after_it_was_shown_is_shown_only_to_the_board(
    site, users, page_cache
):
    """A public paper's result, kept and shown to everyone, then the paper made board-only by
    an officer: the public (whose whole results page was kept too) and a councillor no longer
    find it, and the board does, with what it says now."""
    for who in ("anonymous", "councillor", "board"):
        assert "Home to school transport" in titles(search(users, who, q="minibuses"))
    page = site["transport"]
    page.summary = "Minibuses for the school run, with the bidders' prices."
    restrict(page, Audience.BOARD)
    for who in ("anonymous", "councillor"):
        shown = results_block(search(users, who, q="minibuses"))
        assert "Home to school transport" not in shown and "bidders" not in shown, who
    board = search(users, "board", q="minibuses")
    assert "Home to school transport" in titles(board)
    assert "bidders" in results_block(board)


def unpublish(site):
    site["transport"].unpublish()


def move_under_the_private_session(site):
    # The March meeting, misfiled under the board-only one: its minutes and their decisions
    # inherit that restriction.
    site["meeting"].move(site["secret_minutes"].get_parent(), pos="last-child")


def revert_to_the_version_before(site):
    site["transport"].revisions.order_by("-created_at", "-pk")[1].publish()


@pytest.mark.parametrize(
    "event, word, title, board_still_finds",
    [
        (unpublish, "minibuses", "Home to school transport", False),
        (move_under_the_private_session, "quincunx", "Advice on recommissioning home care", True),
        (revert_to_the_version_before, "hackney", "Home to school transport", False),
    ],
    ids=["unpublished", "moved-under-a-board-only-meeting", "reverted"],
)
def test_with_the_cache_on_a_result_shown_then_unpublished_moved_or_reverted_is_gone(
    site, users, page_cache, event, word, title, board_still_finds
):
    """A result found and kept (the public's whole results page, a councillor's result) is
    not shown again after its page is unpublished, moved under a board-only meeting or
    reverted to a version without the words: the page cache's generation covers each."""
    page = site["transport"]
    page.save_revision().publish()  # the version a revert goes back to
    page.summary = "Minibuses and hackney carriages for the school run."
    page.save_revision().publish()
    for who in ("anonymous", "councillor", "board"):
        for _ in range(2):  # the second time from the cache
            assert title in titles(search(users, who, q=word)), who
    event(reread(site))
    for who in ("anonymous", "councillor"):
        assert title not in results_block(search(users, who, q=word)), who
    assert (title in titles(search(users, "board", q=word))) == board_still_finds


def test_with_the_cache_on_what_a_restricted_result_shows_is_never_kept(site, users, page_cache):
    """The server keeps nothing restricted: a board-only paper's text is read for each
    search that shows it, and no copy of it is stored, while a public paper's is."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            board = search(users, "board", q="zanzibarite")
        assert titles(board) == ["Community equipment bidder shortlist"]
        assert "<mark>zanzibarite</mark>" in results_block(board)
        assert reads_a_proposal_s_text(queries.captured_queries)
    search(users, "board", q="minibuses")
    stored = list(page_cache._cache.values())  # LocMemCache keeps each value pickled
    assert any(b"minibuses" in value for value in stored)
    assert not any(b"zanzibarite" in value for value in stored)
