"""The forward plan (/forward-plan/ and its feed): Key Decisions the board will advise on, by
month; restricted proposals only as their exempt agenda item's public notice, or not at all."""

import datetime

import feedparser
import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from papers.forward_plan import Plan
from papers.models.choices import Audience, MeetingStatus, ProposalStatus
from tests import factories as f
from tests.public.helpers import restrict
from tests.query_plans import statements_run_by, tables_walked

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


def key_decision(title, days=None, **fields):
    expected = in_days(days).date() if days is not None else None
    return f.ProposalPageFactory(
        title=title, key_decision_reference="27/00100", expected_decision_date=expected, **fields
    )


def test_the_page_shows_six_months_and_links_to_later_ones(client):
    key_decision("Soon decided", days=20)
    key_decision("Decided next year", days=300)
    html = client.get("/forward-plan/").content.decode()
    assert "Soon decided" in html and "Decided next year" not in html
    assert "2 Key Decisions ahead" in html
    later = (timezone.localdate().replace(day=1) + datetime.timedelta(days=6 * 31)).replace(day=1)
    assert f'href="?from={later:%Y-%m}" rel="next"' in html
    html = client.get(f"/forward-plan/?from={later:%Y-%m}").content.decode()
    assert "Decided next year" in html and "Soon decided" not in html
    assert 'rel="prev"' in html
    # The last window: no link further on.
    far = client.get(f"/forward-plan/?from={later.year + 1}-{later.month:02d}").content.decode()
    assert 'rel="next"' not in far and "No Key Decisions are planned for these months" in far


def test_undated_and_past_due_key_decisions_are_listed_apart_and_paged(client):
    key_decision("Overdue recommissioning", days=-90)
    for number in range(22):
        key_decision(f"Undated plan {number:02d}")
    html = client.get("/forward-plan/").content.decode()
    assert "Not yet dated or past the expected date" in html
    assert "23 Key Decisions still ahead of the board" in html
    assert "Overdue recommissioning" in html and "Past the expected decision date" in html
    assert html.index("Overdue recommissioning") < html.index("Undated plan 00")
    assert "Undated plan 18" in html and "Undated plan 19" not in html  # 20 to a page
    assert "Page 1 of 2" in html
    second = client.get("/forward-plan/?page=2").content.decode()
    assert "Undated plan 19" in second and "Undated plan 21" in second
    assert "Overdue recommissioning" not in second
    # Past due is not "ahead" in the count; undated is.
    assert "22 Key Decisions ahead" in html


@pytest.mark.parametrize("value", ["junk", "2027-13", "99999-01", "<b>"])
def test_a_month_not_understood_is_said_plainly(client, value):
    response = client.get("/forward-plan/", {"from": value, "page": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The month was not understood" in html and "<b>" not in html.split("<main")[-1]


def test_a_month_before_this_one_shows_this_month(client):
    key_decision("Soon decided", days=20)
    html = client.get("/forward-plan/?from=2001-01").content.decode()
    assert "Soon decided" in html and "The month was not understood" not in html


def plan_queries(client, path):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def add_plan(count, first=0):
    """``count`` more of each kind: dated in the window, later, undated, past due, and a
    board-only one on an upcoming agenda (listed by its notice)."""
    for number in range(first, first + count):
        key_decision(f"In the window {number}", days=20 + number)
        key_decision(f"Later {number}", days=400 + number)
        key_decision(f"Undated {number}")
        key_decision(f"Past due {number}", days=-60 - number)
        secret = restrict(key_decision(f"Secret {number}", days=30), Audience.BOARD)
        public = key_decision(f"On agenda {number}")
        meeting(25 + number, [item(secret, is_exempt=True, exempt_paragraph="3"), item(public)])


def test_queries_do_not_grow_with_the_number_of_key_decisions(client):
    """As an anonymous visitor and as a board member, on one plan (built once for both)."""
    member = Client()
    member.force_login(f.BoardMemberUserFactory())
    readers = {"anonymous": client, "board member": member}
    paths = ["/forward-plan/", "/forward-plan/?page=2", "/forward-plan/feed/"]

    def counts():
        return {
            who: {path: plan_queries(reader, path) for path in paths}
            for who, reader in readers.items()
        }

    add_plan(2)
    small = counts()
    add_plan(25, first=2)
    assert counts() == small


def test_the_plans_statements_find_key_decisions_ahead_through_an_index(plan):
    """Every statement the plan makes finds its Key Decisions by an index on their status, on
    SQLite too (which ignored the partial index this replaced: Django binds the condition's
    values as parameters, and SQLite then scanned every paper, five times a page)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics: a small table is read whole")

    def read_the_plan():
        forward = Plan(f.BoardMemberUserFactory())
        forward.ahead()
        forward.window(forward.this_month)

    statements = [s for s in statements_run_by(read_the_plan) if "papers_proposalpage" in s[0]]
    assert statements
    for sql, params in statements:
        assert "papers_proposalpage" not in tables_walked(sql, params), sql


def test_the_feed_lists_undated_key_decisions_by_title_after_the_window(client):
    key_decision("Soon decided", days=20)
    for title in ["Undated c", "Undated a", "Undated b"]:  # made in an order of their own
        key_decision(title)
    feed = feedparser.parse(client.get("/forward-plan/feed/").content)
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Soon decided", "Undated a", "Undated b", "Undated c"]


def test_with_the_cache_on_the_counts_follow_a_new_key_decision(client, page_cache):
    # The plan's counts are kept for the page cache's generation (papers.caching.cached_count):
    # a paper saved starts a new one, for a board member (never page-cached) as for the public.
    client.force_login(f.BoardMemberUserFactory())
    key_decision("Soon decided", days=20)
    key_decision("Undated plan")
    html = client.get("/forward-plan/").content.decode()
    assert "2 Key Decisions ahead" in html and "1 Key Decision still ahead" in html
    key_decision("Another undated plan")
    html = client.get("/forward-plan/").content.decode()
    assert "3 Key Decisions ahead" in html and "2 Key Decisions still ahead" in html
