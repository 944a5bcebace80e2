"""Agenda items from the papers due, in one action (issue 16): the meeting form's "Add papers
due at this meeting" lists the proposals waiting for the board's advice (title, audience, date,
reference); each one ticked becomes an agenda item when the form is saved, its exempt flag and
paragraph taken from the paper and, for a board-only paper, a neutral public title. A new
meeting's form opens with the apologies item."""

import pytest

from papers.models.choices import Audience, MeetingStatus, ProposalStatus
from tests import factories as f
from tests.admin_forms import (
    add_url,
    assert_refused,
    assert_saved,
    board_page_data,
    edit_url,
    inline_formset,
    post_edit,
    revision_count,
)

pytestmark = pytest.mark.django_db
SECRET = "Community equipment: Quillhaven bid and commercial options"


@pytest.fixture
def officer(client):
    client.force_login(f.OfficerFactory())
    return client


@pytest.fixture
def meeting():
    return f.MeetingPageFactory(agenda=[])


def form(meeting, papers, items=()):
    return board_page_data(
        meeting.title,
        slug=meeting.slug,
        start="2025-09-24 14:00",
        end="2025-09-24 16:00",
        venue=meeting.venue,
        status=MeetingStatus.SCHEDULED,
        cancellation_note="",
        webcast_url="",
        agenda_items=inline_formset(list(items)),
        attendance=inline_formset([]),
        provider_attendance=inline_formset([]),
    )


def post(client, meeting, papers, items=()):
    # A multi-valued field, which nested_form_data would split.
    multiple = {"papers_due": [str(p.pk) for p in papers]}
    return post_edit(client, meeting, form(meeting, papers, items), multiple=multiple)


def saved_items(meeting):
    meeting.refresh_from_db()
    items = meeting.get_latest_revision_as_object().agenda_items.all()
    return [
        (i.number, i.public_title, i.proposal_id, i.is_exempt, i.exempt_paragraph) for i in items
    ]


def test_the_form_lists_the_papers_due_with_audience_date_and_reference(officer, meeting):
    board_paper = f.ProposalPageFactory(
        title=SECRET, audience=Audience.BOARD, exempt_paragraph="3", reference="CAB/25/777"
    )
    done = f.ProposalPageFactory(title="Advice already given", status=ProposalStatus.ADVICE_GIVEN)
    html = officer.get(edit_url(meeting)).content.decode().replace("&#x27;", "'")
    assert "Add papers due at this meeting" in html
    assert f'value="{board_paper.pk}"' in html
    assert "CAB/25/777" in html and "Board only" in html
    assert f'value="{done.pk}"' not in html  # not waiting for the board


def test_ticked_papers_become_agenda_items_in_one_save(officer, meeting):
    public = f.ProposalPageFactory(title="Recommission home care")
    board_paper = f.ProposalPageFactory(title=SECRET, audience=Audience.BOARD, exempt_paragraph="3")
    first = {"number": "1", "public_title": "Apologies and substitutes"}
    response = post(officer, meeting, [public, board_paper], [first])
    assert_saved(response)
    items = saved_items(meeting)
    assert items[0] == ("1", "Apologies and substitutes", None, False, "")
    # Numbered on after the apologies, soonest decision (then title) first.
    assert items[1:] == [
        ("2", "Exempt item (Schedule 12A paragraph 3)", board_paper.pk, True, "3"),
        ("3", "Recommission home care", public.pk, False, ""),
    ]
    assert SECRET not in [i[1] for i in items]  # the confidential title is never the public one
    # Once on the agenda, a paper is no longer offered.
    html = officer.get(edit_url(meeting)).content.decode()
    assert f'name="papers_due" value="{public.pk}"' not in html


def test_a_councillors_only_paper_needs_its_paragraph_chosen(officer, meeting):
    members = f.ProposalPageFactory(title="Members' briefing", audience=Audience.MEMBERS)
    before = revision_count(meeting)
    response = post(officer, meeting, [members])
    assert_refused(response, meeting, before, "is for councillors only: add it with")


def test_a_new_meeting_opens_with_the_apologies_item(officer, meeting):
    html = officer.get(add_url(type(meeting), meeting.get_parent())).content.decode()
    assert 'value="Apologies and substitutes"' in html
