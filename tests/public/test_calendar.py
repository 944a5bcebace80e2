"""The meetings calendar: parses, keeps UIDs stable, shows changes and cancellations, and lists
only meetings the public may see; a single meeting can be added from its page."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from papers.calendar import ics_bytes
from papers.models import MeetingPage
from papers.models.choices import Audience, MeetingStatus
from tests.factories import MeetingPageFactory
from tests.public.helpers import board_member, councillor, restrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings():
    public = MeetingPageFactory(
        title="12 March 2025",
        slug="2025-03-12",
        venue="Darent Room, Sessions House, County Hall",
        agenda=[
            {"number": "3", "public_title": "Recommissioning of home care services"},
            {
                "number": "4",
                "public_title": "Contract matter (exempt)",
                "is_exempt": True,
                "exempt_paragraph": "3",
            },
        ],
    )
    private = restrict(
        MeetingPageFactory(title="Zanzibarite settlement meeting", slug="zanzibarite"),
        Audience.BOARD,
    )
    return public, private


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def feed(client):
    return events(client.get(reverse("meetings_calendar")))


def publish(page, **changes):
    page = MeetingPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


def test_calendar_parses_with_times_place_and_link(client, meetings):
    public, _ = meetings
    found = feed(client)
    event = found[f"meeting-{public.pk}@127.0.0.1"]
    assert event.decoded("DTSTART") == public.start
    assert event.decoded("DTEND") == public.end
    assert str(event["LOCATION"]) == "Darent Room, Sessions House, County Hall"
    assert str(event["URL"]).endswith(public.url)
    assert str(event["STATUS"]) == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "Recommissioning of home care services" in description
    assert "exempt item, Schedule 12A paragraph 3" in description
    assert "DTSTAMP" in event


def test_each_event_lists_its_own_meetings_agenda_in_order(client, meetings):
    public, _ = meetings
    other = MeetingPageFactory(
        title="9 April 2025",
        slug="2025-04-09",
        agenda=[
            {"number": "1", "public_title": "Apologies"},
            {"number": "2", "public_title": "Minutes of the last meeting"},
        ],
    )
    found = feed(client)
    agendas = {
        meeting.pk: str(found[f"meeting-{meeting.pk}@127.0.0.1"]["DESCRIPTION"])
        .split("Agenda:\n")[1]
        .split("\n\n")[0]
        .splitlines()
        for meeting in (public, other)
    }
    assert agendas == {
        public.pk: [
            "3. Recommissioning of home care services",
            "4. Contract matter (exempt) (exempt item, Schedule 12A paragraph 3)",
        ],
        other.pk: ["1. Apologies", "2. Minutes of the last meeting"],
    }


def test_restricted_meetings_are_absent_for_everyone(client, meetings):
    public, private = meetings
    for user in (None, councillor(), board_member()):
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("meetings_calendar"))
        uids = set(events(response))
        assert f"meeting-{public.pk}@127.0.0.1" in uids
        assert f"meeting-{private.pk}@127.0.0.1" not in uids
        assert b"Zanzibarite" not in response.content


def test_uid_is_stable_and_sequence_and_last_modified_follow_edits(client, meetings):
    public, _ = meetings
    uid = f"meeting-{public.pk}@127.0.0.1"
    first = publish(public)
    # Published an hour ago (iCalendar times are to the second).
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    MeetingPage.objects.filter(pk=first.pk).update(last_published_at=an_hour_ago)
    before = feed(client)[uid]
    moved = first.start + datetime.timedelta(days=7)
    publish(first, start=moved, end=moved + datetime.timedelta(hours=2), venue="Online")
    after = feed(client)[uid]
    assert after.decoded("DTSTART") == moved
    assert str(after["LOCATION"]) == "Online"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTAMP") >= after.decoded("LAST-MODIFIED")
    assert len([u for u in feed(client) if u == uid]) == 1


def test_cancelled_meeting_is_marked_cancelled_not_dropped(client, meetings):
    public, _ = meetings
    publish(public, status=MeetingStatus.CANCELLED, cancellation_note="Not quorate.")
    event = feed(client)[f"meeting-{public.pk}@127.0.0.1"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Not quorate." in str(event["DESCRIPTION"])


def test_draft_changes_do_not_reach_the_calendar(client, meetings):
    public, _ = meetings
    page = MeetingPage.objects.get(pk=public.pk)
    page.venue = "Secret draft venue"
    page.save_revision()
    assert str(feed(client)[f"meeting-{public.pk}@127.0.0.1"]["LOCATION"]) != "Secret draft venue"


def test_single_meeting_calendar_for_add_to_calendar(client, meetings):
    public, private = meetings
    response = client.get(reverse("meeting_calendar", args=[public.pk]))
    found = events(response)
    assert list(found) == [f"meeting-{public.pk}@127.0.0.1"]
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("meeting_calendar", args=[private.pk])).status_code == 404


def test_single_restricted_meeting_only_for_those_who_may_see_it(client, meetings):
    _, private = meetings
    client.force_login(councillor())
    assert client.get(reverse("meeting_calendar", args=[private.pk])).status_code == 404
    client.force_login(board_member())
    response = client.get(reverse("meeting_calendar", args=[private.pk]))
    assert list(events(response)) == [f"meeting-{private.pk}@127.0.0.1"]
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_upcoming_and_past_meetings_are_both_listed(client):
    past = MeetingPageFactory(start=timezone.now() - datetime.timedelta(days=30), agenda=[])
    future = MeetingPageFactory(start=timezone.now() + datetime.timedelta(days=30), agenda=[])
    uids = set(feed(client))
    assert {f"meeting-{past.pk}@127.0.0.1", f"meeting-{future.pk}@127.0.0.1"} <= uids


def test_the_subscription_keeps_every_upcoming_meeting_and_the_latest_past_ones(
    client, monkeypatch
):
    monkeypatch.setattr("papers.calendar.PAST_MEETINGS", 2)
    now = timezone.now()
    past = [
        MeetingPageFactory(start=now - datetime.timedelta(days=30 * n), agenda=[])
        for n in (4, 3, 2, 1)
    ]
    upcoming = [
        MeetingPageFactory(start=now + datetime.timedelta(days=30 * n), agenda=[])
        for n in (1, 2, 3)
    ]
    uids = set(feed(client))
    kept = past[-2:] + upcoming
    assert uids == {f"meeting-{meeting.pk}@127.0.0.1" for meeting in kept}
    old = past[0]
    assert client.get(reverse("meeting_calendar", args=[old.pk])).status_code == 200


# Text that icalendar escapes (commas, semicolons, backslashes, new lines) or that is not
# ASCII, so that folds fall next to escapes and inside multi-byte characters.
FOLDED_TEXT = "abc de,;\\\n^:é…"


@pytest.mark.parametrize("seed", range(4))
def test_the_calendar_s_bytes_are_icalendar_s_own(seed):
    """papers.calendar folds ASCII lines itself (icalendar folds a character at a time): the
    bytes are those icalendar writes, whatever falls at a fold."""
    rng = random.Random(seed)
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    for length in range(0, 600, 3):
        event = Event()
        ascii_only = rng.random() < 0.7
        alphabet = FOLDED_TEXT[:-2] if ascii_only else FOLDED_TEXT
        event.add("summary", "".join(rng.choice(alphabet) for _ in range(length)))
        event.add("description", "x" * (length % 80) + "\\" + "y" * length)
        calendar.add_component(event)
    assert ics_bytes(calendar) == calendar.to_ical()
