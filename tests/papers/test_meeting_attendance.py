"""Attendance from the membership (issue 16): a new meeting lists the board's current members as
present; the member chooser shows party and role and leaves out those already chosen."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from papers.models import MeetingPage
from papers.models.choices import AttendanceStatus, BoardRole
from tests import factories as f
from tests.admin_forms import add_url, form_errors
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    login,
    people_fixture,
)

pytestmark = pytest.mark.django_db

CHOOSER = "wagtailsnippetchoosers_papers_member:choose"


@pytest.fixture
def membership(db):
    return {
        "chair": f.MemberFactory(name="Cllr Ada Quill", board_role=BoardRole.CHAIR),
        "member": f.MemberFactory(name="Cllr Bo Rivers", political_group="Green"),
        "other": f.MemberFactory(name="Cllr Cy Stone", political_group="Labour"),
        "substitute": f.MemberFactory(name="Cllr Di Tarn", board_role=BoardRole.SUBSTITUTE),
        "former": f.MemberFactory(name="Cllr Ed Umber", is_current=False),
    }


def add_form(client, parent):
    response = client.get(add_url(MeetingPage, parent))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_meeting_lists_the_current_members_as_present(client, board, people, membership):
    login(client, people.officer)
    html = add_form(client, board.meetings)
    data = querydict_from_html(html, form_id="page-edit-form")
    rows = int(data["attendance-TOTAL_FORMS"])
    chosen = [data[f"attendance-{n}-member"] for n in range(rows)]
    expected = [membership[k].pk for k in ("chair", "member", "other")]
    assert chosen == [str(pk) for pk in expected]  # the Chair first, then by name
    assert all(data[f"attendance-{n}-status"] == "present" for n in range(rows))
    for name in ("Cllr Ada Quill", "Cllr Bo Rivers", "Cllr Cy Stone"):
        assert name in html
    assert "Cllr Di Tarn" not in html and "Cllr Ed Umber" not in html

    # The officer marks one member's apologies and saves: the rows are kept as sent.
    data["title"] = "17 September 2025"
    data["start"] = "2025-09-17 10:00"
    data["slug"] = "2025-09-17"
    data["attendance-1-status"] = AttendanceStatus.APOLOGIES
    for key in [k for k in data if k.startswith("body") or k.startswith("attachments")]:
        del data[key]
    data.update({"body-count": "0", "attachments-count": "0"})
    response = client.post(add_url(MeetingPage, board.meetings), data)
    assert response.status_code == 302, form_errors(response)
    meeting = MeetingPage.objects.child_of(board.meetings).get(title="17 September 2025")
    draft = meeting.get_latest_revision_as_object()
    assert [(a.member_id, a.status) for a in draft.attendance.all()] == [
        (expected[0], "present"),
        (expected[1], "apologies"),
        (expected[2], "present"),
    ]


def test_editing_a_meeting_keeps_its_own_attendance(client, board, people, membership):
    meeting = f.MeetingPageFactory(
        parent=board.meetings, attendees=[(membership["former"], AttendanceStatus.PRESENT)]
    )
    login(client, people.officer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[meeting.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    assert data["attendance-TOTAL_FORMS"] == "1"
    assert data["attendance-0-member"] == str(membership["former"].pk)


def test_member_chooser_shows_party_and_role_and_leaves_out_those_chosen(
    client, people, membership
):
    login(client, people.officer)
    chosen = ",".join(str(membership[k].pk) for k in ("chair", "member", "other"))
    html = client.get(reverse(CHOOSER), {"exclude": chosen}).content.decode()
    assert "Party" in html and "Role on the board" in html
    assert "Substitute member" in html and "Cllr Di Tarn" in html
    for name in ("Cllr Ada Quill", "Cllr Bo Rivers", "Cllr Cy Stone"):
        assert name not in html
    # Search inside the pop-up keeps leaving them out.
    results = client.get(
        reverse("wagtailsnippetchoosers_papers_member:choose_results"),
        {"exclude": chosen, "q": "Cllr"},
    ).content.decode()
    assert "Cllr Di Tarn" in results and "Cllr Bo Rivers" not in results
    assert f"exclude={chosen.replace(',', '%2C')}" in html
    # Nonsense in the parameter is ignored, never an error.
    assert client.get(reverse(CHOOSER), {"exclude": "x,;1'"}).status_code == 200


def test_meeting_form_wires_the_chooser_to_the_chosen_members(client, board, people, membership):
    login(client, people.officer)
    html = add_form(client, board.meetings)
    assert "papers/member-chooser.js" in html
    assert "papers-member-exclude" in html  # the chooser's linked field
