"""Meetings: where they may be created, the admin form's validation, and what a visitor sees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from home.models import HomePage, StandardPage
from papers.models import (
    MeetingIndexPage,
    MeetingPage,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
)
from papers.models.choices import AttendanceStatus, MeetingStatus
from tests import factories as f
from tests.admin_forms import (
    add_url,
    assert_add_refused,
    assert_refused,
    assert_saved,
    board_page_data,
    edit_url,
    inline_formset,
    post_add,
    post_edit,
    revision_count,
    rich_text,
)

pytestmark = pytest.mark.django_db


def meeting_data(title="9 July 2025", agenda=None, attendance=None, **fields):
    data = board_page_data(
        title,
        slug="9-july-2025",
        start="2025-07-09 10:00",
        end="2025-07-09 12:30",
        venue="Darent Room, Sessions House, County Hall",
        status=MeetingStatus.SCHEDULED,
        cancellation_note="",
        webcast_url="",
        agenda_items=inline_formset(
            agenda
            if agenda is not None
            else [
                {"number": "1", "public_title": "Apologies and substitutes"},
                {"number": "2", "public_title": "Home care recommissioning"},
            ]
        ),
        attendance=inline_formset(attendance or []),
        provider_attendance=inline_formset([]),
    )
    data.update(fields)
    return data


# -- where meetings may be created ------------------------------------------------------------


def test_meeting_index_only_under_home_and_only_one():
    home = f.home_page()
    assert MeetingIndexPage.can_create_at(home)
    proposals = f.ProposalIndexPageFactory()
    assert not MeetingIndexPage.can_create_at(proposals)

    f.MeetingIndexPageFactory()
    assert not MeetingIndexPage.can_create_at(home), "a second meetings section was allowed"


def test_meeting_pages_only_in_the_meetings_section():
    home = f.home_page()
    index = f.MeetingIndexPageFactory()
    meeting = f.MeetingPageFactory(parent=index)

    assert MeetingPage.can_create_at(index)
    for wrong in (home, f.ProposalIndexPageFactory(), meeting, f.StandardPageFactory()):
        assert not MeetingPage.can_create_at(wrong), type(wrong).__name__
    assert index.specific.allowed_subpage_models() == [MeetingPage]
    assert meeting.allowed_subpage_models() == [MinutesPage]
    assert MeetingPage.allowed_parent_page_models() == [MeetingIndexPage]


def test_admin_refuses_a_meeting_in_the_wrong_place(admin_client):
    f.MeetingIndexPageFactory()
    for parent in (f.home_page(), f.ProposalIndexPageFactory(), f.StandardPageFactory()):
        assert_add_refused(admin_client, MeetingPage, parent, meeting_data())


def test_admin_refuses_a_second_meetings_section(admin_client):
    f.MeetingIndexPageFactory()
    assert_add_refused(
        admin_client,
        MeetingIndexPage,
        f.home_page(),
        board_page_data("More meetings", intro=rich_text("<p>Again.</p>"))
        | {"slug": "more-meetings"},
    )
    assert MeetingIndexPage.objects.count() == 1


def test_admin_creates_the_meetings_section_under_home(admin_client):
    response = post_add(
        admin_client,
        MeetingIndexPage,
        f.home_page(),
        {
            "title": "Meetings",
            "slug": "meetings",
            "intro": rich_text("<p>Agendas and minutes.</p>"),
            "seo_title": "",
        },
        publish=True,
    )
    assert_saved(response)
    assert MeetingIndexPage.objects.get().get_parent().specific_class is HomePage


def test_admin_creates_a_meeting_with_agenda_and_attendance(admin_client):
    index = f.MeetingIndexPageFactory()
    chair = f.MemberFactory(name="Cllr Margaret Thornbury")
    absent = f.MemberFactory(name="Cllr Dev Kapoor")
    response = post_add(
        admin_client,
        MeetingPage,
        index,
        meeting_data(
            attendance=[
                {"member": str(chair.pk), "status": AttendanceStatus.PRESENT, "note": ""},
                {"member": str(absent.pk), "status": AttendanceStatus.APOLOGIES, "note": ""},
            ]
        ),
        publish=True,
    )
    assert_saved(response)
    meeting = MeetingPage.objects.child_of(index).get()
    assert meeting.live
    assert meeting.slug == "9-july-2025"
    assert timezone.localtime(meeting.start) == timezone.make_aware(
        datetime.datetime(2025, 7, 9, 10, 0)
    )
    assert [item.public_title for item in meeting.agenda_items.all()] == [
        "Apologies and substitutes",
        "Home care recommissioning",
    ]
    assert {(a.member.name, a.status) for a in meeting.attendance.all()} == {
        ("Cllr Margaret Thornbury", AttendanceStatus.PRESENT),
        ("Cllr Dev Kapoor", AttendanceStatus.APOLOGIES),
    }


# -- the edit form ----------------------------------------------------------------------------


@pytest.fixture
def meeting():
    return f.MeetingPageFactory(agenda=[])


def test_edit_form_accepts_a_valid_meeting(admin_client, meeting):
    before = revision_count(meeting)
    response = post_edit(
        admin_client,
        meeting,
        meeting_data(meeting.title, slug=meeting.slug, venue="Medway Room, County Hall"),
        publish=True,
    )
    assert_saved(response)
    meeting.refresh_from_db()
    assert meeting.venue == "Medway Room, County Hall"
    assert meeting.agenda_items.count() == 2
    assert revision_count(meeting) == before + 1


@pytest.mark.parametrize(
    "end", ["2025-07-09 09:30", "2025-07-09 10:00"], ids=["before-start", "at-start"]
)
def test_edit_form_refuses_a_meeting_ending_before_it_starts(admin_client, meeting, end):
    before = revision_count(meeting)
    response = post_edit(
        admin_client, meeting, meeting_data(meeting.title, slug=meeting.slug, end=end)
    )
    assert_refused(response, meeting, before, "The meeting must end after it starts.")
    meeting.refresh_from_db()
    assert meeting.end > meeting.start


def test_edit_form_refuses_a_meeting_without_a_start(admin_client, meeting):
    before = revision_count(meeting)
    response = post_edit(
        admin_client,
        meeting,
        meeting_data(meeting.title, slug=meeting.slug, start=""),
        publish=True,
    )
    assert_refused(response, meeting, before, "This field is required.")


def test_edit_form_refuses_an_exempt_item_without_its_paragraph(admin_client, meeting):
    before = revision_count(meeting)
    agenda = [
        {
            "number": "5",
            "public_title": "Contract performance of a provider",
            "is_exempt": "on",
            "exempt_paragraph": "",
        }
    ]
    response = post_edit(
        admin_client, meeting, meeting_data(meeting.title, slug=meeting.slug, agenda=agenda)
    )
    assert_refused(
        response, meeting, before, "Choose the Schedule 12A paragraph for an exempt item."
    )
    assert meeting.agenda_items.count() == 0


def test_edit_form_refuses_a_board_only_meeting_without_its_paragraph(admin_client, meeting):
    before = revision_count(meeting)
    response = post_edit(
        admin_client,
        meeting,
        meeting_data(meeting.title, slug=meeting.slug, audience="board", exempt_paragraph=""),
    )
    assert_refused(
        response,
        meeting,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )
    meeting.refresh_from_db()
    assert meeting.audience == "public"


def test_edit_form_is_laid_out_for_an_officer(admin_client, meeting):
    response = admin_client.get(edit_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ("Content", "Attachments", "Confidentiality", "Promote"):
        assert f">{tab}" in html or f"{tab}\n" in html, tab
    assert 'name="status"' in html and '<select name="status"' in html
    assert '<select name="audience"' in html
    assert '<select name="exempt_paragraph"' in html
    assert "Date and time the meeting starts." in html
    assert "Agenda" in html and "Attendance and apologies" in html


def test_admin_add_form_for_a_meeting_opens_under_the_meetings_section(admin_client):
    index = f.MeetingIndexPageFactory()
    response = admin_client.get(add_url(MeetingPage, index))
    assert response.status_code == 200
    assert "When and where" in response.content.decode()


# -- what a visitor sees ----------------------------------------------------------------------


def test_meeting_page_shows_date_venue_agenda_attendance_and_minutes(client):
    proposal = f.ProposalPageFactory(title="Recommission home care")
    present = f.MemberFactory(name="Cllr Siobhan Greaves")
    apologies = f.MemberFactory(name="Cllr Alan Whitcombe")
    meeting = f.MeetingPageFactory(
        start=timezone.make_aware(datetime.datetime(2025, 3, 12, 10, 0)),
        venue="Darent Room, Sessions House, County Hall",
        status=MeetingStatus.HELD,
        agenda=[
            {"number": "1", "public_title": "Apologies and substitutes"},
            {
                "number": "3",
                "public_title": "Recommissioning of home care services",
                "proposal": proposal,
            },
        ],
        attendees=[
            (present, AttendanceStatus.PRESENT),
            (apologies, AttendanceStatus.APOLOGIES),
        ],
    )
    minutes = f.MinutesPageFactory(parent=meeting)

    response = client.get(meeting.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 March 2025" in html
    assert "Darent Room, Sessions House, County Hall" in html
    assert "Recommissioning of home care services" in html
    assert "Apologies and substitutes" in html
    assert proposal.url in html
    assert "Cllr Siobhan Greaves" in html and "Cllr Alan Whitcombe" in html
    assert minutes.url in html


def test_exempt_agenda_item_shows_only_its_public_notice(client):
    secret = f.ProposalPageFactory(
        title="Termination of the Hollins Facilities contract",
        audience="board",
        exempt_paragraph="3",
    )
    meeting = f.MeetingPageFactory(
        agenda=[
            {
                "number": "7",
                "public_title": "Facilities-management contract: commercial position",
                "proposal": secret,
                "is_exempt": True,
                "exempt_paragraph": "3",
            }
        ]
    )
    html = client.get(meeting.url).content.decode()
    assert "Facilities-management contract: commercial position" in html
    assert "Schedule 12A" in html and "paragraph 3" in html
    assert "Termination of the Hollins Facilities contract" not in html


def test_cancelled_meeting_says_so(client):
    meeting = f.MeetingPageFactory(
        status=MeetingStatus.CANCELLED,
        cancellation_note="Cancelled: no business to transact.",
        agenda=[],
    )
    html = client.get(meeting.url).content.decode()
    assert "Cancelled: no business to transact." in html


def test_cancelled_meeting_gets_a_note_if_the_officer_gives_none(admin_client, meeting):
    response = post_edit(
        admin_client,
        meeting,
        meeting_data(meeting.title, slug=meeting.slug, status=MeetingStatus.CANCELLED),
        publish=True,
    )
    assert_saved(response)
    meeting.refresh_from_db()
    assert meeting.cancellation_note == "This meeting has been cancelled."


def test_meeting_index_lists_upcoming_and_past_meetings(client):
    now = timezone.now()
    past = f.MeetingPageFactory(
        title="Past meeting", slug="past", start=now - datetime.timedelta(days=60), agenda=[]
    )
    upcoming = f.MeetingPageFactory(
        title="Upcoming meeting",
        slug="upcoming",
        start=now + datetime.timedelta(days=30),
        agenda=[],
    )
    index = past.get_parent()
    response = client.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert upcoming.url in html and past.url in html
    assert [m.pk for m in response.context["upcoming"]] == [upcoming.pk]


def test_meeting_index_hides_draft_meetings(client):
    draft = f.MeetingPageFactory(title="Unannounced meeting", slug="draft", live=False, agenda=[])
    html = client.get(draft.get_parent().url).content.decode()
    assert "Unannounced meeting" not in html


def test_unrelated_page_types_are_not_meetings():
    # A sanity check on the content model other tests depend on.
    assert MeetingPage not in StandardPage.allowed_subpage_models()
    assert MeetingPage not in ProposalIndexPage.allowed_subpage_models()
    assert ProposalPage not in MeetingIndexPage.allowed_subpage_models()


# -- agenda publication and the title from the date (issue 16) --------------------------------


def test_meeting_left_untitled_is_named_and_slugged_by_its_date(admin_client):
    index = f.MeetingIndexPageFactory()
    response = post_add(admin_client, MeetingPage, index, meeting_data(title="", slug=""))
    assert_saved(response)
    meeting = MeetingPage.objects.get()
    assert meeting.title == "9 July 2025" and meeting.slug == "9-july-2025"


def test_meeting_form_shows_the_agenda_deadline_and_a_short_notice_warning(admin_client):
    meeting = f.MeetingPageFactory(start=timezone.make_aware(datetime.datetime(2025, 3, 12, 10)))
    html = admin_client.get(edit_url(meeting)).content.decode()
    assert "Publish the agenda and its papers by Tuesday 4 March 2025" in html
    assert "Set schedule" in html  # where the go-live date is set, said on the form

    response = post_edit(
        admin_client,
        meeting,
        meeting_data(
            meeting.title,
            slug=meeting.slug,
            start="2025-03-12 10:00",
            end="2025-03-12 12:00",
            agenda_published_on="2025-03-07",
        ),
        publish=True,
    )
    assert_saved(response)
    html = admin_client.get(edit_url(meeting)).content.decode()
    assert "only 2 clear working days before the meeting, not five" in html
    # The meetings list in the admin flags it too (once published).
    listing = admin_client.get(f"/admin/pages/{meeting.get_parent().pk}/").content.decode()
    assert "agenda short notice: 2 clear days" in listing


def test_public_meeting_page_says_when_the_agenda_was_published_and_if_late(client):
    meeting = f.MeetingPageFactory(
        start=timezone.make_aware(datetime.datetime(2025, 3, 12, 10)),
        agenda_published_on=datetime.date(2025, 3, 4),
    )
    html = client.get(meeting.url).content.decode()
    assert "Agenda published on 4 March 2025." in html
    assert "less than five clear working days" not in html

    meeting.agenda_published_on = datetime.date(2025, 3, 10)
    meeting.save()
    html = client.get(meeting.url).content.decode()
    assert "less than five clear working days before the meeting (1 clear working day)" in html


def test_paper_chooser_opens_at_proposals_and_shows_reference_date_and_audience(admin_client):
    proposals = f.ProposalIndexPageFactory()
    f.ProposalPageFactory(
        parent=proposals, title="Recommission home care", reference="CAB/2025/014"
    )
    meeting = f.MeetingPageFactory(agenda=[{"number": "1", "public_title": "Home care"}])
    html = admin_client.get(edit_url(meeting)).content.decode()
    assert f"&quot;parentId&quot;: {proposals.pk}" in html or f'"parentId": {proposals.pk}' in html

    url = reverse("wagtailadmin_choose_page_child", args=[proposals.pk])
    listing = admin_client.get(
        url, {"page_type": "papers.proposalpage,papers.providerprofilepage,home.standardpage"}
    ).json()["html"]
    assert "Recommission home care" in listing
    assert "CAB/2025/014 · 12 March 2025 · Public" in listing
