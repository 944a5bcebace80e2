"""The Chair's review: comparing the submitted version with the live one, previews as other
readers, the confirmation after approving, the approval queue, and the wording officers see."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from papers.models.choices import AttendanceStatus, MeetingStatus, ProposalStatus
from tests import factories as f
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    edit_form,
    login,
    people_fixture,
    post_edit,
    published,
    task_state,
)

SECRET_TITLE = "Termination of the Hollins Facilities contract"


def compare_url(page):
    revision = task_state(page).revision_id
    return reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", revision])


@pytest.fixture
def meeting(board):
    greaves = f.MemberFactory(name="Cllr Siobhan Greaves")
    return published(
        f.MeetingPageFactory(parent=board.meetings, attendees=[(greaves, AttendanceStatus.PRESENT)])
    )


def test_compare_shows_changed_attendance_and_status(client, board, people, meeting):
    login(client, people.officer)
    response = post_edit(
        client,
        meeting,
        "submit",
        status=MeetingStatus.HELD,
        **{"attendance-0-status": AttendanceStatus.APOLOGIES},
    )
    assert response.status_code == 302

    login(client, people.chair)
    response = client.get(compare_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There are no differences between these two versions" not in html
    assert "Held" in html and "Scheduled" in html
    assert "Apologies" in html and "Cllr Siobhan Greaves" in html


def test_compare_shows_a_changed_paper_status(client, board, people):
    login(client, people.officer)
    assert post_edit(client, board.proposal, "submit", status="advice_given").status_code == 302
    login(client, people.chair)
    html = client.get(compare_url(board.proposal)).content.decode()
    assert "There are no differences between these two versions" not in html
    assert "For board consideration" in html and "Advice given" in html


# -- wording: "sent to the Chair for approval" -------------------------------------------------


def test_officer_sends_to_the_chair_in_plain_words(client, board, people):
    login(client, people.officer)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[board.proposal.pk]))
    html = form.content.decode()
    assert "Send for Chair approval" in html and "Submit to Chair approval" not in html

    response = post_edit(client, board.proposal, "submit", summary="Revised summary.")
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("has been sent to the Chair for approval" in m for m in shown), shown
    assert not any("moderation" in m for m in shown)


def test_no_paper_status_called_draft():
    assert ProposalStatus.DRAFT.label == "Being prepared"
    assert "Draft" not in ProposalStatus.labels


# -- approving says what happened --------------------------------------------------------------


def test_approving_from_the_dashboard_confirms_the_page_is_live(client, board, people):
    login(client, people.officer)
    post_edit(client, board.proposal, "submit", summary="Revised summary.")
    login(client, people.chair)
    state = task_state(board.proposal)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[board.proposal.pk, "approve", state.pk]
    )
    response = client.post(url, {"comment": ""}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"You approved “{board.proposal.title}”: it is now live on the site." in html


def test_approving_from_the_edit_form_confirms_the_page_is_live(client, board, people):
    login(client, people.officer)
    post_edit(client, board.proposal, "submit", summary="Revised summary.")
    login(client, people.chair)
    response = post_edit(client, board.proposal, "workflow-action", workflow_action_name="approve")
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"You approved “{board.proposal.title}”: it is now live on the site." in shown


def test_requesting_changes_is_not_confirmed_as_approval(client, board, people):
    login(client, people.officer)
    post_edit(client, board.proposal, "submit", summary="Revised summary.")
    login(client, people.chair)
    state = task_state(board.proposal)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[board.proposal.pk, "reject", state.pk]
    )
    response = client.post(url, {"comment": "Please add the costs."})
    assert not any("You approved" in str(m) for m in get_messages(response.wsgi_request))


# -- the approval queue ------------------------------------------------------------------------


def test_queue_shows_each_items_type_and_section(client, board, people, meeting):
    login(client, people.officer)
    post_edit(client, board.proposal, "submit", summary="Revised summary.")
    post_edit(client, meeting, "submit", venue="Medway Room, Sessions House")
    login(client, people.chair)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in html
    assert "Proposal in Commissioning proposals" in html
    assert "Meeting in Meetings" in html


# -- previews as other readers -----------------------------------------------------------------


def preview(client, page, mode):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = edit_form(client, page)
    assert client.post(url, data).json()["is_valid"]
    return client.get(url, {"mode": mode}).content.decode()


def test_preview_as_public_councillor_and_board(client, board, people):
    secret = published(
        f.ProposalPageFactory(
            parent=board.proposals,
            title=SECRET_TITLE,
            audience="board",
            exempt_paragraph="3",
        )
    )
    meeting = published(
        f.MeetingPageFactory(
            parent=board.meetings,
            agenda=[
                {
                    "number": "7",
                    "public_title": "Facilities contract: commercial position",
                    "proposal": secret,
                    "is_exempt": True,
                    "exempt_paragraph": "3",
                }
            ],
        )
    )
    login(client, people.chair)
    # The Chair sees the link to the confidential paper; the public and a councillor do not.
    assert secret.url in preview(client, meeting, "")
    assert secret.url in preview(client, meeting, "board")
    for mode in ("public", "councillor"):
        html = preview(client, meeting, mode)
        assert "Facilities contract: commercial position" in html
        assert secret.url not in html and SECRET_TITLE not in html

    # The board-only paper itself is not shown to the public or a councillor at all.
    for mode in ("public", "councillor"):
        html = preview(client, secret, mode)
        assert "this page is not shown" in html and "Marrowdene" not in html
    assert "this page is not shown" not in preview(client, secret, "board")


def test_preview_of_exempt_minutes_as_a_board_member_and_as_a_councillor(client, board, people):
    """The stand-in board member reads exempt business in full (it is not in the database, so
    its groups come from the preview, not from a query); a councillor gets only the notice."""
    meeting = published(f.MeetingPageFactory(parent=board.meetings))
    minutes = f.MinutesPageFactory(
        parent=meeting,
        items=[
            {
                "number": "15/25",
                "title": "Community equipment: Quillhaven pricing",
                "text": "<p>Quillhaven's unit prices were compared with the framework.</p>",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "The board considered commercial pricing.",
            }
        ],
    )
    minutes = published(minutes)
    login(client, people.chair)
    assert "Quillhaven" in preview(client, minutes, "board")
    councillor = preview(client, minutes, "councillor")
    assert "Exempt item, Schedule 12A paragraph 3" in councillor
    assert "Quillhaven" not in councillor


# -- the meetings list in the admin ------------------------------------------------------------


def test_admin_lists_meetings_newest_first(client, board, people):
    dates = [(2025, 3, 12), (2026, 6, 10), (2025, 9, 17)]
    for year, month, day in dates:
        f.MeetingPageFactory(
            parent=board.meetings,
            start=timezone.make_aware(datetime.datetime(year, month, day, 10)),
            title="",
            slug=f"{year}-{month}-{day}",
        )
    login(client, people.officer)
    html = client.get(reverse("wagtailadmin_explore", args=[board.meetings.pk])).content.decode()
    positions = [
        html.index(title) for title in ("10 June 2026", "17 September 2025", "12 March 2025")
    ]
    assert positions == sorted(positions)
