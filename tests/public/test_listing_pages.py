"""Every page of a long listing, the later ones read from the end (papers.pagination), shows
the right rows in the right order: together the pages are the whole list, once, as the reader
may see it."""

import datetime
import re

import pytest

from home.models import StandardPage
from papers.models import Decision, ProposalPage
from papers.models.choices import Audience
from papers.models.indexes import PAGE_SIZE
from papers.search.register import PAGE_SIZE as REGISTER_PAGE_SIZE
from tests.factories import MeetingPageFactory, MinutesPageFactory, ProposalPageFactory
from tests.public.helpers import board_member, restrict

pytestmark = pytest.mark.django_db

PROPOSAL_LINK = re.compile(r'<h2 class="app-listing__title"><a [^>]*>([^<]*)</a>')
DECISION_ITEM = re.compile(r'data-decision="(\d+)"')
PROPOSALS_STATED = re.compile(r"Showing 1 to \d+ of (\d+) proposals")


def listed(client, path, pattern):
    response = client.get(path)
    assert response.status_code == 200, path
    return pattern.findall(response.content.decode())


def every_page(client, path, pattern, count, size, last=True):
    pages = -(-count // size)
    shown = [listed(client, f"{path}?page={n}", pattern) for n in range(1, pages + 1)]
    assert all(len(rows) == size for rows in shown[:-1])
    if last:  # the register's page number is a search parameter: numbers only
        assert shown[-1] == listed(client, f"{path}?page=last", pattern)
    return [row for rows in shown for row in rows]


@pytest.fixture
def proposals():
    """Two and a bit pages of proposals, several on each paper date, some board-only."""
    made = []
    for n in range(2 * PAGE_SIZE + 7):
        made.append(
            ProposalPageFactory(
                title=f"Proposal number {n:03d}",
                paper_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n // 3),
            )
        )
    for page in made[3::9]:
        restrict(page, Audience.BOARD)
    return made


def newest_first(pages):
    pages = [ProposalPage.objects.get(pk=p.pk) for p in pages]
    pages.sort(key=lambda p: (p.paper_date, p.first_published_at, p.pk), reverse=True)
    return [p.title for p in pages]


def test_proposals_index_pages_together_list_every_visible_proposal_once(client, proposals):
    public = [p for p in proposals if p.audience == Audience.PUBLIC]
    shown = every_page(client, "/proposals/", PROPOSAL_LINK, len(public), PAGE_SIZE)
    assert shown == newest_first(public)
    assert listed(client, "/proposals/", PROPOSALS_STATED) == [str(len(public))]


def test_a_board_member_pages_through_the_board_only_proposals_too(client, proposals):
    client.force_login(board_member())
    shown = every_page(client, "/proposals/", PROPOSAL_LINK, len(proposals), PAGE_SIZE)
    assert shown == newest_first(proposals)
    assert listed(client, "/proposals/", PROPOSALS_STATED) == [str(len(proposals))]


def test_the_proposals_counted_are_those_listed(client, proposals):
    """The index counts on Wagtail's page table alone (``counted_pages``): not the drafts,
    not a page of another type placed below the index, not an alias of a board-only one."""
    index = proposals[0].get_parent()
    ProposalPageFactory(parent=index, title="A draft proposal", live=False)
    index.add_child(instance=StandardPage(title="Not a proposal", slug="not-a-proposal"))
    proposals[3].create_alias(parent=index, update_slug="alias-of-a-board-only-one")
    public = [p for p in proposals if p.audience == Audience.PUBLIC]
    assert listed(client, "/proposals/", PROPOSALS_STATED) == [str(len(public))]
    client.force_login(board_member())
    assert listed(client, "/proposals/", PROPOSALS_STATED) == [str(len(proposals) + 1)]


def test_register_pages_together_list_every_visible_decision_once(client):
    minutes = []
    for _ in range(7):
        meeting = MeetingPageFactory()
        minutes.append(MinutesPageFactory(parent=meeting, decisions=[{}] * 9))
    restrict(minutes[2], Audience.BOARD)
    visible = [m for m in minutes if m.audience == Audience.PUBLIC]
    expected = [
        str(d.pk)
        for d in Decision.objects.filter(minutes__in=visible).order_by(
            "-minutes__paper_date", "-minutes_id", "sort_order", "pk"
        )
    ]
    assert len(expected) > 2 * REGISTER_PAGE_SIZE
    shown = every_page(
        client, "/decisions/", DECISION_ITEM, len(expected), REGISTER_PAGE_SIZE, last=False
    )
    assert shown == expected
