"""Deadline warnings: the rules, table-driven over bank holidays (Christmas 2026, Easter 2027),
and the admin dashboard panel that officers and the Chair see."""

import datetime

import pytest
from django.utils import timezone

from papers.deadlines import advice_warning, agenda_warning, notice_warning, warnings_for
from papers.models.choices import Audience, MeetingStatus, ProposalStatus
from tests import factories as f
from tests.public.helpers import restrict

D = datetime.date

# meeting day, agenda published on, today -> warning text (or None), overdue.
# Deadlines counted by hand: five clear working days, neither the publication day nor the
# meeting day counting, weekends and bank holidays skipped.
AGENDA_CASES = [
    # Thu 7 Jan 2027: clear days 30, 31 Dec, 4, 5, 6 Jan (Fri 1 Jan is New Year's Day).
    (D(2027, 1, 7), D(2026, 12, 29), D(2026, 12, 29), None, None),
    (
        D(2027, 1, 7),
        D(2026, 12, 30),
        D(2026, 12, 30),
        "Agenda published on 30 December 2026, only 4 clear working days before the meeting",
        True,
    ),
    # Wed 30 Dec 2026: clear days 21-24 and 29 Dec (Fri 25 Christmas, Mon 28 Boxing Day
    # substitute), so the agenda was due by Sunday 20 December.
    (
        D(2026, 12, 30),
        None,
        D(2026, 12, 21),
        "Agenda not published: it was due by 20 December 2026",
        True,
    ),
    (
        D(2026, 12, 30),
        None,
        D(2026, 12, 14),
        "Agenda not yet published: publish by 20 December 2026",
        False,
    ),
    (D(2026, 12, 30), None, D(2026, 12, 10), None, None),  # more than a week to go
    # Christmas Eve is a working day: published on 23 Dec for 7 Jan gives 24, 29, 30, 31 Dec,
    # 4, 5, 6 Jan = 7 clear working days.
    (D(2027, 1, 7), D(2026, 12, 23), D(2026, 12, 23), None, None),
    # An ordinary fortnight: Wed 17 Mar 2027, clear days 10, 11, 12, 15, 16 March.
    (
        D(2027, 3, 17),
        None,
        D(2027, 3, 3),
        "Agenda not yet published: publish by 9 March 2027",
        False,
    ),
    (D(2027, 3, 17), D(2027, 3, 10), D(2027, 3, 10), "only 4 clear working days", True),
    # Easter 2027: Good Friday 26 and Easter Monday 29 March; Wed 31 Mar needs 22-25 and 30.
    (
        D(2027, 3, 31),
        None,
        D(2027, 3, 22),
        "Agenda not published: it was due by 21 March 2027",
        True,
    ),
    (D(2027, 3, 31), D(2027, 3, 19), D(2027, 3, 19), None, None),
]


@pytest.mark.parametrize("meeting_day, published_on, today, expected, overdue", AGENDA_CASES)
def test_agenda_deadlines(meeting_day, published_on, today, expected, overdue):
    result = agenda_warning(meeting_day, published_on, today)
    if expected is None:
        assert result is None
    else:
        assert result is not None and expected in result[0]
        assert result[1] is overdue


# decision day, today, notice published -> warning text (or None). 28 clear calendar days:
# bank holidays count (they are days, if not working days).
NOTICE_CASES = [
    (D(2027, 1, 29), D(2026, 12, 31), False, None),  # 28 clear days, over Christmas
    (
        D(2027, 1, 28),
        D(2026, 12, 31),
        False,
        "Key Decision expected on 28 January 2027, 27 clear days away, without published notice",
    ),
    (D(2027, 1, 28), D(2026, 12, 31), True, None),  # the forward plan gives notice
    (D(2026, 12, 27), D(2026, 12, 24), False, "2 clear days away"),
    (D(2026, 12, 20), D(2026, 12, 24), False, None),  # already past
]


@pytest.mark.parametrize("decision_day, today, noticed, expected", NOTICE_CASES)
def test_key_decision_notice(decision_day, today, noticed, expected):
    result = notice_warning(decision_day, today, noticed)
    assert (result is None) if expected is None else (expected in result[0])


ADVICE_CASES = [
    (D(2027, 1, 4), D(2026, 12, 24), False, "no board advice is recorded"),
    (D(2027, 1, 4), D(2026, 12, 24), True, None),
    (D(2027, 2, 24), D(2026, 12, 24), False, None),  # not near yet
    (D(2027, 1, 21), D(2026, 12, 24), False, "21 January 2027"),  # 28 days ahead: near
]


@pytest.mark.parametrize("decision_day, today, has_advice, expected", ADVICE_CASES)
def test_advice_before_the_key_decision(decision_day, today, has_advice, expected):
    result = advice_warning(decision_day, today, has_advice)
    assert (result is None) if expected is None else (expected in result[0])


# -- from the records ------------------------------------------------------------------------


@pytest.fixture
def records(db):
    today = timezone.localdate()
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    late_meeting = f.MeetingPageFactory(
        title="Agenda late", start=start + datetime.timedelta(days=3), agenda=[]
    )
    f.MeetingPageFactory(
        title="Agenda on time",
        start=start + datetime.timedelta(days=3),
        agenda_published_on=today - datetime.timedelta(days=14),
        agenda=[],
    )
    f.MeetingPageFactory(
        title="Cancelled",
        start=start + datetime.timedelta(days=3),
        status=MeetingStatus.CANCELLED,
        agenda=[],
    )
    secret = restrict(
        f.ProposalPageFactory(
            title="Unannounced disposal",
            key_decision_reference="27/00020",
            expected_decision_date=today + datetime.timedelta(days=10),
        ),
        Audience.BOARD,
    )
    advised = f.ProposalPageFactory(
        title="Advised and announced",
        key_decision_reference="27/00021",
        status=ProposalStatus.ADVICE_GIVEN,
        expected_decision_date=today + datetime.timedelta(days=10),
    )
    f.full_trail(advised, start=today - datetime.timedelta(days=30))
    advised.trail.exclude(kind="board").delete()  # advice given, decision still to come
    return {"late": late_meeting, "secret": secret, "advised": advised}


def test_the_records_raise_the_warnings_a_person_would_expect(records):
    found = {(w.rule, w.page.pk) for w in warnings_for()}
    secret = records["secret"]
    assert found == {
        ("agenda", records["late"].pk),
        ("notice", secret.pk),
        ("advice", secret.pk),
    }


def test_officers_and_the_chair_see_the_panel_on_the_dashboard(client, records):
    for user in (f.OfficerFactory(), f.ChairUserFactory()):
        client.force_login(user)
        html = client.get("/admin/").content.decode()
        assert "data-deadline-warnings" in html
        assert "3 deadline warnings" in html
        assert "Unannounced disposal" in html and "Agenda late" in html
        assert html.count('data-rule="notice"') == 1
        assert "Advised and announced" not in html
