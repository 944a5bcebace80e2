"""The forward plan (/forward-plan/ and its feed): Key Decisions the board will advise on, by
month; restricted proposals only as their exempt agenda item's public notice, or not at all."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from papers.models.choices import Audience, MeetingStatus, ProposalStatus
from tests import factories as f
from tests.public.helpers import restrict

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Brackenfold tender evaluation"
PUBLIC_NOTICE_TITLE = "Community transport contract"


def in_days(days, hour=10):
    now = timezone.localtime()
    return now.replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days)


def meeting(days, agenda=(), **fields):
    return f.MeetingPageFactory(start=in_days(days), agenda=list(agenda), **fields)


def item(proposal, number="4", **fields):
    return {
        "number": number,
        "public_title": fields.pop("public_title", "Options"),
        "proposal": proposal,
        **fields,
    }


@pytest.fixture
def plan():
    """A public Key Decision on the next meeting's agenda, a board-only one on a later meeting as
    an exempt item, a board-only one on no agenda, and papers that are not ahead of the board."""
    public = f.ProposalPageFactory(
        title="Voluntary sector grants",
        key_decision_reference="26/00058",
        expected_decision_date=(in_days(70)).date(),
    )
    secret = restrict(
        f.ProposalPageFactory(
            title=SECRET_TITLE,
            key_decision_reference="27/00009",
            expected_decision_date=(in_days(100)).date(),
        ),
        Audience.BOARD,
    )
    unlisted = restrict(
        f.ProposalPageFactory(
            title="Quietly planned divestment", key_decision_reference="27/00010"
        ),
        Audience.BOARD,
    )
    decided = f.ProposalPageFactory(
        title="Already decided",
        key_decision_reference="25/00012",
        status=ProposalStatus.DECISION_TAKEN,
    )
    not_key = f.ProposalPageFactory(title="Not a key decision", key_decision_reference="")
    next_meeting = meeting(30, [item(public), item(decided, number="5"), item(not_key, number="6")])
    later = meeting(
        80,
        [
            item(
                secret,
                public_title=PUBLIC_NOTICE_TITLE,
                is_exempt=True,
                exempt_paragraph="3",
            )
        ],
    )
    cancelled = meeting(10, [item(public)], status=MeetingStatus.CANCELLED)
    past = meeting(-30, [item(public)])
    return {
        "public": public,
        "secret": secret,
        "unlisted": unlisted,
        "next": next_meeting,
        "later": later,
        "cancelled": cancelled,
        "past": past,
    }


def test_the_public_see_key_decisions_by_month_and_exempt_ones_only_by_their_notice(client, plan):
    response = client.get("/forward-plan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 Key Decisions ahead" in html
    public = plan["public"]
    assert f'href="{public.url}"' in html and "26/00058" in html
    assert plan["next"].url in html
    assert plan["cancelled"].url not in html and plan["past"].url not in html
    expected = public.expected_decision_date
    assert f'<time datetime="{expected:%Y-%m-%d}">{expected:%-d %B %Y}</time>' in html
    assert f'id="month-{expected:%Y-%m}"' in html
    # The board-only paper: its agenda item's public title and notice, nothing of its own.
    assert PUBLIC_NOTICE_TITLE in html and "Exempt item, Schedule 12A paragraph 3" in html
    secret = plan["secret"]
    for leak in (
        SECRET_TITLE,
        "27/00009",
        secret.url,
        f"{secret.expected_decision_date:%-d %B %Y}",
    ):
        assert leak not in html, leak
    assert plan["later"].url in html
    assert "Quietly planned divestment" not in html and "27/00010" not in html
    assert "Already decided" not in html and "Not a key decision" not in html


def test_months_are_in_date_order(client, plan):
    html = client.get("/forward-plan/").content.decode()
    later_month = f'id="month-{timezone.localtime(plan["later"].start):%Y-%m}"'
    first_month = f'id="month-{plan["public"].expected_decision_date:%Y-%m}"'
    if later_month != first_month:
        assert html.index(first_month) < html.index(later_month)


def test_a_board_member_sees_the_restricted_key_decisions_in_full(client, plan):
    client.force_login(f.BoardMemberUserFactory())
    html = client.get("/forward-plan/").content.decode()
    assert "3 Key Decisions ahead" in html
    assert SECRET_TITLE in html and "27/00009" in html and plan["secret"].url in html
    assert "Quietly planned divestment" in html and "Not yet on an agenda" in html
    assert PUBLIC_NOTICE_TITLE not in html  # the paper itself, not its notice


def test_a_councillor_sees_members_papers_but_not_board_ones(client, plan):
    members = restrict(
        f.ProposalPageFactory(title="Libraries delivery model", key_decision_reference="27/00011"),
        Audience.MEMBERS,
    )
    client.force_login(f.CouncillorUserFactory())
    html = client.get("/forward-plan/").content.decode()
    assert "Libraries delivery model" in html and members.url in html
    assert SECRET_TITLE not in html and "Quietly planned divestment" not in html
    client.logout()
    assert "Libraries delivery model" not in client.get("/forward-plan/").content.decode()


def test_the_feed_is_the_publics_whoever_asks(client, plan):
    client.force_login(f.BoardMemberUserFactory())
    response = client.get("/forward-plan/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Voluntary sector grants", PUBLIC_NOTICE_TITLE]
    assert "Key Decision 26/00058" in feed.entries[0].summary
    body = response.content.decode()
    assert SECRET_TITLE not in body and "27/00009" not in body and "divestment" not in body


def test_the_pages_head_advertises_the_feed(client, plan):
    html = client.get("/forward-plan/").content.decode()
    assert 'title="Forward plan of Key Decisions (RSS)" href="/forward-plan/feed/"' in html
