"""Content for the public-surface tests: a public meeting with minutes and a decision, a
board-only proposal, and minutes restricted to the board, each with words found nowhere else."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models.choices import Audience
from papers.roles import BOARD_MEMBERS, MEMBERS
from tests.factories import (
    BoardMemberUserFactory,
    CouncillorUserFactory,
    DecisionFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    ProposalPageFactory,
)


def restrict(page, audience):
    """Make ``page`` members- or board-only the way an officer would: save it with that audience.

    The confidentiality rules (papers.confidentiality) turn the audience into Wagtail's group view
    restriction; the assertion makes a missing restriction fail here, not pass silently.
    """
    page.audience = audience
    page.exempt_paragraph = "3" if audience == Audience.BOARD else ""
    page.save()
    assert page.get_view_restrictions().exists(), f"{page} saved as {audience} is not restricted"
    return page


def board_member():
    return BoardMemberUserFactory()


def councillor():
    return CouncillorUserFactory()


def build_content():
    """Public and restricted content; returns a dict of the objects the tests look for."""
    for name in (BOARD_MEMBERS, MEMBERS):
        Group.objects.get_or_create(name=name)
    meeting = MeetingPageFactory(title="12 March 2025", slug="2025-03-12")
    public_minutes = MinutesPageFactory(
        parent=meeting,
        title="Minutes of 12 March 2025",
        summary="Minutes with the board's advice on home care.",
        decisions=[
            {
                "reference": "CAB/25/031",
                "title": "Advice on home care lots",
                "resolution": "<p>RESOLVED that home care be re-tendered in lots.</p>",
            }
        ],
    )
    secret_meeting = MeetingPageFactory(title="Private briefing", slug="private-briefing")
    secret_minutes = MinutesPageFactory(
        parent=secret_meeting,
        title="Minutes of the Zanzibarite briefing",
        summary="Quokkaberry negotiations with the incumbent provider.",
        decisions=[
            {
                "reference": "CAB/25/099",
                "title": "Quokkaberry settlement",
                "resolution": "<p>RESOLVED that the Quokkaberry settlement be accepted.</p>",
            }
        ],
    )
    restrict(secret_minutes, Audience.BOARD)
    public_proposal = ProposalPageFactory(
        title="Recommission home care", slug="recommission-home-care"
    )
    board_proposal = restrict(
        ProposalPageFactory(
            title="Flumpington depot disposal",
            slug="flumpington-depot",
            summary="Commercially confidential valuation of the Flumpington depot.",
        ),
        Audience.BOARD,
    )
    members_proposal = restrict(
        ProposalPageFactory(
            title="Transformation briefing on Wobblecombe libraries",
            slug="wobblecombe-libraries",
            summary="Members-only briefing on the Wobblecombe libraries model.",
        ),
        Audience.MEMBERS,
    )
    return {
        "meeting": meeting,
        "public_minutes": public_minutes,
        "public_decision": public_minutes.decisions.get(),
        "secret_meeting": secret_meeting,
        "secret_minutes": secret_minutes,
        "secret_decision": secret_minutes.decisions.get(),
        "public_proposal": public_proposal,
        "board_proposal": board_proposal,
        "members_proposal": members_proposal,
    }


def extra_decision(minutes, **kwargs):
    return DecisionFactory(minutes=minutes, **kwargs)


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_sections(client):
    """The sections /sitemap.xml (a sitemap index) points at, as paths with their query."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS['s']}}}sitemapindex"
    sections = []
    for loc in root.findall("s:sitemap/s:loc", SITEMAP_NS):
        parts = urlsplit(loc.text)
        sections.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert sections
    return sections


def sitemap_text(client):
    """The text of every section of the sitemap, as a crawler following the index reads it."""
    texts = []
    for section in sitemap_sections(client):
        response = client.get(section)
        assert response.status_code == 200
        texts.append(response.content.decode())
    return "".join(texts)


def cold_get(client, path):
    """The response to ``path`` with every cache cleared first, and the SQL it ran."""
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, [query["sql"] for query in queries.captured_queries]
