"""Attendance (issue 12, item 2): the rules over hand-written rows, and /attendance/ over
factory records, its totals equal to those counted by hand."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers import attendance_views
from papers.attendance import Row, tally
from papers.attendance_views import MEETINGS_PER_PAGE
from papers.models.choices import AttendanceStatus, MeetingStatus
from tests import factories as f
from tests.papers.review_pack_support import PRESENT, SUB, at, build_records
from tests.public.helpers import board_member

HELD, CANCELLED = MeetingStatus.HELD, MeetingStatus.CANCELLED
DAY = datetime.date(2025, 4, 1)


def row(meeting, status, member, group, meeting_status=HELD, note=""):
    return Row(meeting, DAY, meeting_status, member, f"Cllr {member}", group, status, note)


def test_substitutes_count_for_themselves_and_cancelled_meetings_for_no_one():
    rows = [
        row(1, AttendanceStatus.PRESENT, 1, "Green"),
        row(1, AttendanceStatus.APOLOGIES, 2, "Labour"),
        row(1, AttendanceStatus.SUBSTITUTE, 3, "Labour", note="for Cllr 2"),
        row(2, AttendanceStatus.ABSENT, 1, "Green"),
        row(3, AttendanceStatus.APOLOGIES, 1, "Green", meeting_status=CANCELLED),
    ]
    result = tally(rows, [(3, DAY, "Cancelled one", CANCELLED)])
    members = {t.label: (t.attended, t.expected, t.substitute) for t in result.members}
    assert members == {"Cllr 1": (1, 2, 0), "Cllr 2": (0, 1, 0), "Cllr 3": (1, 1, 1)}
    groups = {t.label: (t.attended, t.expected) for t in result.groups}
    assert groups == {"Green": (1, 2), "Labour": (1, 2)}
    assert (result.total.attended, result.total.expected, result.total.rate) == (2, 4, 50.0)
    assert (result.held, result.cancelled) == (2, 1)
    first = [m for m in result.meetings if m.expected == 3][0]
    assert first.substitutions == ["Cllr 3 (for Cllr 2)"]


def test_no_rows_no_rate():
    assert tally([]).total.rate is None


def table(soup, name):
    rows = {}
    for tr in soup.select(f"[data-table={name}] tbody tr"):
        if tr.th is None:
            continue
        rows[tr.th.get_text(" ", strip=True)] = [
            td.get_text(" ", strip=True) for td in tr.select("td")
        ]
    return rows


@pytest.mark.django_db
def test_the_page_totals_equal_the_hand_counts(client):
    build_records()
    response = client.get("/attendance/?from=2025-04-01&to=2026-03-31")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    groups = table(soup, "attendance-groups")
    # By hand (tests/papers/review_pack_support.py): Labour is Ben 1 of 2 and Cal, substitute,
    # 1 of 1; the board-only meeting of 1 December 2025 is not the public's and not counted.
    assert groups["Labour"][-2:] == ["2 of 3", "66.7%"]
    assert groups["Conservative"][-2:] == ["2 of 2", "100.0%"]
    assert groups["Green"][-2:] == ["1 of 2", "50.0%"]
    assert groups["All members"][-2:] == ["5 of 7", "71.4%"]
    members = table(soup, "attendance-members")
    assert members["Cllr Cal Dunmore"][:3] == ["Labour", "0", "1"]  # present 0, substitute 1
    assert members["Cllr Ben Okoro"][-1] == "1 of 2 (50.0%)"
    meetings = table(soup, "attendance-meetings")
    assert meetings["1 October 2025"][0] == "Cancelled (not counted)"
    assert "Cllr Cal Dunmore" in meetings["1 April 2025"][-1]
    assert "1 December 2025" not in meetings
    heading = soup.select_one("[role=status]").get_text(" ", strip=True)
    assert "2 held, 1 cancelled, attendance 71.4%" in heading


def heading(soup):
    return " ".join(soup.select_one("[role=status]").get_text().split())


@pytest.mark.django_db
def test_the_current_municipal_year_when_no_period_is_given(client, monkeypatch):
    build_records()
    monkeypatch.setattr(attendance_views, "today", lambda: datetime.date(2026, 3, 1))
    soup = BeautifulSoup(client.get("/attendance/").content, "html.parser")
    # 1 May 2025 to 30 April 2026: the meeting of 1 July 2025 and the cancelled one; not the
    # meetings of 1 April 2025 (the year before) or 1 June 2026 (the year after).
    assert heading(soup).startswith("From 1 May 2025 to 30 April 2026: 1 held, 1 cancelled")
    meetings = table(soup, "attendance-meetings")
    assert set(meetings) == {"1 July 2025", "1 October 2025"}
    assert table(soup, "attendance-members")["Cllr Ada Marsh"][-1] == "1 of 1 (100.0%)"
    assert table(soup, "attendance-groups")["All members"][-2:] == ["2 of 3", "66.7%"]
    # The year before is a link away; the year after has not started.
    earlier = soup.select_one("[data-link=earlier-year]")["href"]
    assert earlier == "?from=2024-05-01&to=2025-04-30"
    assert soup.select_one("[data-link=later-year]") is None

    monkeypatch.setattr(attendance_views, "today", lambda: datetime.date(2026, 7, 1))
    soup = BeautifulSoup(client.get("/attendance/").content, "html.parser")
    assert heading(soup).startswith("From 1 May 2026 to 30 April 2027: 1 held, 0 cancelled")
    assert table(soup, "attendance-members")["Cllr Ada Marsh"][-1] == "0 of 1 (0.0%)"
    later = soup.select_one("[data-link=earlier-year]")["href"]
    soup = BeautifulSoup(client.get(f"/attendance/{later}").content, "html.parser")
    assert heading(soup).startswith("From 1 May 2025 to 30 April 2026: 1 held, 1 cancelled")
    assert soup.select_one("[data-link=later-year]")["href"] == "?from=2026-05-01&to=2027-04-30"


@pytest.mark.django_db
def test_a_start_or_an_end_alone_is_twelve_months(client):
    build_records()
    soup = BeautifulSoup(client.get("/attendance/?from=2025-04-01").content, "html.parser")
    assert heading(soup).startswith("From 1 April 2025 to 31 March 2026: 2 held, 1 cancelled")
    assert table(soup, "attendance-groups")["All members"][-2:] == ["5 of 7", "71.4%"]
    soup = BeautifulSoup(client.get("/attendance/?to=2026-06-30").content, "html.parser")
    assert heading(soup).startswith("From 1 July 2025 to 30 June 2026: 2 held, 1 cancelled")
    assert table(soup, "attendance-members")["Cllr Ada Marsh"][-1] == "1 of 2 (50.0%)"


@pytest.mark.django_db
def test_a_board_member_sees_the_public_record_too(client):
    build_records()
    client.force_login(board_member())
    soup = BeautifulSoup(client.get("/attendance/?from=2025-04-01").content, "html.parser")
    assert "1 July 2025" in table(soup, "attendance-meetings")
    assert "1 December 2025" not in table(soup, "attendance-meetings")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2025-13-01", "The from date is not a date we recognise"),
        ("to=yesterday", "The to date is not a date we recognise"),
        ("from=2026-01-01&to=2025-01-01", "must be the same as or after"),
        ("from=%00%27;--", "The from date is not a date we recognise"),
        ("from=9999-06-01", "The from date must be between 1900 and 2199"),
    ],
)
def test_bad_dates_get_a_clear_message(client, query, message):
    response = client.get(f"/attendance/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem with the dates" in body
    assert message in body
    assert "govuk-error-message" in body


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def meeting_rows(soup):
    return [tr for tr in soup.select("[data-table=attendance-meetings] tbody tr") if tr.th]


@pytest.mark.django_db
def test_queries_and_rows_do_not_grow_with_the_number_of_meetings(client):
    members = [f.MemberFactory() for _ in range(4)]

    def add_meetings(count, offset):
        for n in range(count):
            f.MeetingPageFactory(
                start=at(2025, 1 + (n + offset) % 12, 1 + (n + offset) // 12),
                status=MeetingStatus.HELD,
                agenda=[],
                attendees=[(m, PRESENT if i else SUB) for i, m in enumerate(members)],
            )

    add_meetings(2, 0)
    client.get("/attendance/")  # warm up: site root, settings
    small = queries_for(client, "/attendance/?from=2025-01-01")
    add_meetings(MEETINGS_PER_PAGE + 8, 2)  # a year of more meetings than a page lists
    large = queries_for(client, "/attendance/?from=2025-01-01")
    assert large == small
    # The figures count every meeting of the year; the meetings are listed a page at a time.
    first = BeautifulSoup(client.get("/attendance/?from=2025-01-01").content, "html.parser")
    assert table(first, "attendance-groups")["All members"][-2] == "240 of 240"
    assert len(meeting_rows(first)) == MEETINGS_PER_PAGE
    assert (
        "Meetings 1 to 50 of 60"
        in first.select_one("[data-table=attendance-meetings]").caption.text
    )
    second = first.select_one("nav[aria-label='Pages of meetings'] a[rel=next]")["href"]
    assert "from=2025-01-01" in second
    soup = BeautifulSoup(client.get(f"/attendance/{second}").content, "html.parser")
    assert len(meeting_rows(soup)) == 60 - MEETINGS_PER_PAGE
    assert table(soup, "attendance-groups")["All members"][-2] == "240 of 240"
    substitutes = [tr.select("td")[-1].get_text(strip=True) for tr in meeting_rows(soup)]
    assert all(name == members[0].name for name in substitutes)
