"""Minutes started from the agenda through the admin (issue 16, part 2 of "Build")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from papers.minutes_from_agenda import OPEN_LABEL, START_LABEL, URL_NAME
from papers.models import MinutesPage
from papers.models.choices import AttendanceStatus, Audience, MeetingStatus
from tests import factories as f
from tests.admin_forms import edit_url
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    fresh,
    login,
    people_fixture,
    post_edit,
    published,
)

pytestmark = pytest.mark.django_db


def held_meeting(board, **kwargs):
    """A held meeting with apologies, a board-only exempt paper and a public paper."""
    secret = published(
        f.ProposalPageFactory(
            parent=board.proposals,
            title="Facilities management: the provider's recovery plan",
            audience=Audience.BOARD,
            exempt_paragraph="3",
            key_decision_reference="25/00077",
        )
    )
    public = board.proposal
    present, away, sub = f.MemberFactory(), f.MemberFactory(), f.MemberFactory()
    meeting = f.MeetingPageFactory(
        parent=board.meetings,
        start=timezone.make_aware(datetime.datetime(2025, 9, 17, 10)),
        status=MeetingStatus.HELD,
        agenda=[
            {"number": "1", "public_title": "Apologies and substitutes"},
            {"number": "2", "public_title": "Declarations of interest"},
            {"number": "3", "public_title": "Home care", "proposal": public},
            {
                "number": "4",
                "public_title": "Facilities management contract (exempt)",
                "proposal": secret,
                "is_exempt": True,
                "exempt_paragraph": "3",
            },
        ],
        attendees=[
            (present, AttendanceStatus.PRESENT),
            (away, AttendanceStatus.APOLOGIES),
            (sub, AttendanceStatus.SUBSTITUTE),
        ],
        **kwargs,
    )
    meeting = published(meeting)
    return meeting, public, secret, away, sub


def start_url(meeting):
    return reverse(URL_NAME, args=[meeting.pk])


def test_officer_starts_the_minutes_as_a_draft_from_the_agenda(client, board, people):
    f.MinutesPageFactory(
        parent=f.MeetingPageFactory(parent=board.meetings, agenda=[]),
        items=[{"number": "6/25", "title": "Earlier", "text": "<p>x</p>"}],
        decisions=[{"reference": "CAB/25/004"}],
    )
    meeting, public, secret, away, sub = held_meeting(board)
    login(client, people.officer)

    response = client.post(start_url(meeting))

    minutes = MinutesPage.objects.child_of(meeting).get()
    assert response.status_code == 302 and response.url == edit_url(minutes)
    # A draft through a revision saved by the officer, not live: the Chair still approves it.
    assert not minutes.live
    assert minutes.latest_revision.user == people.officer
    assert PageLogEntry.objects.filter(
        page=minutes, action="wagtail.create", user=people.officer
    ).exists()
    draft = minutes.get_latest_revision_as_object()
    items = list(draft.minute_items.all())
    assert [(i.number, i.title) for i in items] == [
        ("7/25", "Apologies and substitutes"),
        ("8/25", "Declarations of interest"),
        ("9/25", "Home care"),
        ("10/25", "Facilities management contract (exempt)"),
    ]
    assert [(i.is_exempt, i.exempt_paragraph) for i in items][2:] == [(False, ""), (True, "3")]
    assert f"Apologies were received from {away.name}." in items[0].text
    assert f"{sub.name} attended as a substitute" in items[0].text
    decisions = list(draft.decisions.all())
    assert [(d.reference, d.proposal_id, d.title) for d in decisions] == [
        ("CAB/25/005", public.pk, public.title),
        ("CAB/25/006", secret.pk, "Facilities management contract (exempt)"),
    ]
    assert decisions[0].key_decision_reference == public.key_decision_reference
    assert decisions[0].cabinet_committee == public.cabinet_committee
    assert decisions[1].key_decision_reference == "25/00077"
    assert (decisions[0].is_exempt, decisions[1].is_exempt) == (False, True)
    assert decisions[1].exempt_paragraph == "3"
    # Saved rows keep the agenda's order on every database (PostgreSQL returns rows with equal
    # sort orders in any order, which paired the edit form's decisions with the wrong papers).
    assert [i.sort_order for i in minutes.minute_items.order_by("sort_order")] == [0, 1, 2, 3]
    assert list(minutes.decisions.values_list("reference", flat=True)) == [
        "CAB/25/005",
        "CAB/25/006",
    ]
    assert [d.sort_order for d in minutes.decisions.all()] == [0, 1]

    # The edit form opens on it with everything filled in.
    form = client.get(response.url).content.decode()
    assert "Facilities management contract (exempt)" in form and "CAB/25/006" in form
    assert "Minutes started from the agenda" in form


def test_the_action_opens_existing_minutes_instead(client, board, people):
    meeting, *_ = held_meeting(board)
    login(client, people.officer)
    first = client.post(start_url(meeting))
    again = client.post(start_url(meeting))
    assert MinutesPage.objects.child_of(meeting).count() == 1
    assert again.status_code == 302 and again.url == first.url
    assert client.get(start_url(meeting)).url == first.url
    header = client.get(edit_url(meeting)).content.decode()
    assert OPEN_LABEL in header and START_LABEL not in header


def test_meeting_edit_page_offers_the_action_once_the_meeting_is_held(client, board, people):
    meeting, *_ = held_meeting(board)
    login(client, people.officer)
    page = client.get(edit_url(meeting)).content.decode()
    assert START_LABEL in page and start_url(meeting) in page
    # The meetings listing offers it too.
    listing = client.get(reverse("wagtailadmin_explore", args=[board.meetings.pk]))
    assert start_url(meeting) in listing.content.decode()


def test_an_upcoming_meeting_has_no_minutes_yet(client, board, people):
    meeting = published(
        f.MeetingPageFactory(
            parent=board.meetings,
            start=timezone.now() + datetime.timedelta(days=30),
            status=MeetingStatus.SCHEDULED,
        )
    )
    login(client, people.officer)
    assert START_LABEL not in client.get(edit_url(meeting)).content.decode()
    response = client.post(start_url(meeting), follow=True)
    assert "once the meeting has been held" in response.content.decode()
    assert not MinutesPage.objects.child_of(meeting).exists()


def test_only_those_who_may_add_pages_under_the_meeting_can_start_minutes(client, board, people):
    meeting, *_ = held_meeting(board)
    for user in (people.board_member, people.councillor):
        login(client, user)
        response = client.post(start_url(meeting))
        # Refused: no admin access (sent to the admin's sign-in) or a plain 403.
        assert response.status_code == 403 or "/login/" in response.url
    client.logout()
    assert client.post(start_url(meeting)).status_code == 302
    assert not MinutesPage.objects.child_of(meeting).exists()
    # Without the CSRF token the action is refused.
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(people.officer)
    assert csrf_client.post(start_url(meeting)).status_code == 403
    assert not MinutesPage.objects.child_of(fresh(meeting)).exists()


def test_the_meeting_as_last_saved_counts(client, board, people):
    """Marked held and its apologies recorded in a draft (awaiting the Chair): the minutes
    start from that version, not the live one."""
    meeting, _, _, away, _ = held_meeting(board)
    meeting.status = MeetingStatus.SCHEDULED
    meeting.start = timezone.now() + datetime.timedelta(days=1)
    meeting.end = meeting.start + datetime.timedelta(hours=2)
    meeting = published(meeting)
    draft = meeting.get_latest_revision_as_object()
    draft.status = MeetingStatus.HELD
    draft.save_revision(user=people.officer)
    login(client, people.officer)
    assert START_LABEL in client.get(edit_url(meeting)).content.decode()
    client.post(start_url(meeting))
    minutes = MinutesPage.objects.child_of(meeting).get()
    first = minutes.get_latest_revision_as_object().minute_items.first()
    assert f"Apologies were received from {away.name}." in first.text


def test_saving_the_meeting_with_the_tick_starts_and_opens_the_minutes(client, board, people):
    """'Draft the minutes when I save' on the meeting's form: one save records the meeting and
    drafts its minutes (each minute linked to its paper), and the officer lands on them."""
    meeting, public, secret, _, _ = held_meeting(board)
    login(client, people.officer)
    response = post_edit(client, meeting, start_minutes="on")
    minutes = MinutesPage.objects.child_of(meeting).get()
    assert response.status_code == 302 and response.url == edit_url(minutes)
    draft = minutes.get_latest_revision_as_object()
    assert [i.proposal_id for i in draft.minute_items.all()] == [None, None, public.pk, secret.pk]
    # Saved again with the tick, the meeting opens the same minutes: no second draft.
    response = post_edit(client, meeting, start_minutes="on")
    assert response.url == edit_url(minutes) and MinutesPage.objects.child_of(meeting).count() == 1


def test_the_tick_on_a_meeting_not_yet_held_says_why_nothing_started(client, board, people):
    meeting, *_ = held_meeting(board)
    meeting.status = MeetingStatus.SCHEDULED
    meeting.start = timezone.now() + datetime.timedelta(days=3)
    meeting.end = meeting.start + datetime.timedelta(hours=2)
    meeting = published(meeting)
    login(client, people.officer)
    response = post_edit(client, meeting, start_minutes="on")
    assert not MinutesPage.objects.child_of(meeting).exists()
    follow = client.get(response.url).content.decode()
    assert "The minutes were not started: the meeting has not been held yet" in follow
