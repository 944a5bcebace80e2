"""The work of a public request does not grow with the number of papers.

Every public route is requested with a few papers in each section, then again with ten times as
many (more than a listing, a feed or a panel shows), as an anonymous visitor and as a board
member, and must make exactly the same number of database queries: no query per listed item,
nothing that loads every paper. Not a timed test: benchmarks/bench_pages.py measures time.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from papers.models import (
    MeetingPage,
    MinutesPage,
    ProposalPage,
    ProviderProfilePage,
    TrainingModulePage,
)
from papers.models.choices import Audience
from papers.sitemap import PublicSitemap
from tests.factories import (
    AgendaItemFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    ProposalPageFactory,
    ProviderProfilePageFactory,
    TrainingModulePageFactory,
)
from tests.public.helpers import board_member, build_content, restrict

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 24  # per section; LARGE is more than a listing page (20) shows
LISTINGS = {"/meetings/", "/proposals/", "/providers/", "/training/", "/decisions/", "/sitemap.xml"}


def add_papers(count):
    """``count`` more public papers in each section, each meeting with minutes and a decision."""
    for _ in range(count):
        meeting = MeetingPageFactory()
        MinutesPageFactory(parent=meeting, decisions=[{}, {}])
        ProposalPageFactory()
        ProviderProfilePageFactory()
        TrainingModulePageFactory()


def first(model):
    return model.objects.live().order_by("pk").first()


def routes():
    """Every public route, with the same (first) page of each kind at both sizes."""
    proposal = first(ProposalPage)
    decision = first(MinutesPage).decisions.order_by("pk").first()
    listed = []
    for index in ("/meetings/", "/proposals/", "/providers/", "/training/"):
        listed += [index, f"{index}?page=2", f"{index}?page=last"]
    return [
        "/",
        *listed,
        proposal.url,
        first(MinutesPage).url,
        first(MeetingPage).url,
        first(ProviderProfilePage).url,
        first(TrainingModulePage).url,
        "/decisions/",
        "/decisions/?page=2",
        "/contracts/",
        "/contracts/?page=2",
        "/contracts/?attention=yes&sort=value",
        "/contracts/contracts.csv",
        "/feeds/all/",
        "/feeds/minutes/",
        "/feeds/decisions/",
        "/feeds/proposals/",
        "/feeds/all/atom/",
        "/calendar/meetings.ics",
        "/sitemap.xml",
        "/sitemap-pages.xml?p=1",
        "/sitemap-pages.xml?p=2",
        "/sitemap-pages.xml?p=last",
        "/api/v2/pages/",
        "/api/v2/pages/?type=papers.ProposalPage&fields=summary",
        "/api/v2/pages/?search=care",
        f"/api/v2/pages/{proposal.pk}/",
        # A full page of results read with the relations their snippets come from.
        "/search/?type=minutes",
        "/search/?q=minutes",
        "/api/v2/documents/",
        "/api/v2/decisions/",
        f"/api/v2/decisions/{decision.pk}/",
    ]


def query_counts(client, paths):
    counts = {}
    for path in paths:
        for cache in caches.all():
            cache.clear()  # cold, as after a publish: nothing cached from the last request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_queries_per_route_do_not_grow_with_the_number_of_papers(client, monkeypatch):
    """As an anonymous visitor and as a board member, on one site: building it twice (one
    test a reader) cost half a minute on PostgreSQL."""
    # Sections of a few pages, so the sitemap has later sections (read from the end) at both sizes.
    monkeypatch.setattr(PublicSitemap, "limit", 5)
    build_content()  # restricted papers too: visibility filtering is part of every query
    add_papers(SMALL)
    member = Client()
    member.force_login(board_member())
    readers = {"anonymous": client, "board member": member}
    paths = routes()
    small = {who: query_counts(reader, paths) for who, reader in readers.items()}
    add_papers(LARGE - SMALL)
    assert ProposalPage.objects.count() > LARGE
    large = {who: query_counts(reader, paths) for who, reader in readers.items()}
    for who in readers:
        grown = {p: (small[who][p], large[who][p]) for p in paths if large[who][p] > small[who][p]}
        assert grown == {}, f"{who}: queries (at {SMALL} papers, at {LARGE}) per section: {grown}"
        # Listings, the register and the sitemap index make exactly the same queries at both
        # sizes (a sitemap section or a search may hold fewer kinds of page, each one query).
        exact = [p for p in paths if p.split("?")[0] in LISTINGS]
        changed = {
            p: (small[who][p], large[who][p]) for p in exact if large[who][p] != small[who][p]
        }
        assert changed == {}, (
            f"{who}: queries (at {SMALL} papers, at {LARGE}) per section: {changed}"
        )


@pytest.mark.parametrize("who", ["anonymous", "board member"])
def test_a_meeting_page_asks_once_for_its_agendas_papers(client, who):
    """The agenda's links and the agenda packs decide every item's paper together: a meeting
    with eight papers on its agenda costs what one with two does."""
    build_content()
    if who == "board member":
        client.force_login(board_member())

    def meeting_with(papers):
        meeting = MeetingPageFactory(agenda=[])
        for number in range(papers):
            paper = ProposalPageFactory()
            if number % 2:
                paper = restrict(paper, Audience.BOARD)  # left for the restricted pack
            AgendaItemFactory(meeting=meeting, sort_order=number, proposal=paper)
        return meeting.url

    small, large = meeting_with(2), meeting_with(8)
    counts = query_counts(client, [small, large])
    assert counts[large] == counts[small], counts
