"""The advice trail: dated steps from the board's advice on a proposal to the Key Decision,
edited on the proposal's form, validated in date order, shown as a timeline, in the API and in
the decisions register, and never to anyone who may not see the proposal."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from papers.models import ProposalPage, TrailStep
from papers.models.choices import AdviceFollowed, Audience
from papers.roles import BOARD_MEMBERS
from tests import factories as f
from tests.admin_forms import (
    assert_refused,
    assert_saved,
    inline_formset,
    post_edit,
    revision_count,
)
from tests.papers.test_proposals import proposal_data
from tests.public.helpers import restrict

pytestmark = pytest.mark.django_db

SECRET_ADVICE = "Hold the break clause in reserve for the east lot"
SECRET_REASONS = "Commercial pressure from the incumbent pricing"


def step(kind, date, **fields):
    """One step as the admin's inline form posts it."""
    data = {
        "kind": kind,
        "date": date,
        "meeting": "",
        "minute_reference": "",
        "advice": "",
        "reached_by": "",
        "committee": "",
        "committee_outcome": "",
        "decision_maker": "",
        "key_decision_reference": "",
        "advice_followed": "",
        "reasons": "",
        "call_in_ends": "",
        "link": "",
    }
    data.update(fields)
    return data


def board_step(date="2025-03-12", **fields):
    given = {"minute_reference": "CAB/25/002", "advice": "Support option 2."}
    return step("board", date, **{**given, "reached_by": "majority", **fields})


def committee_step(committee, date="2025-03-25", **fields):
    given = {"committee": str(committee.pk), "committee_outcome": "endorsed"}
    return step("committee", date, **{**given, **fields})


def decision_step(date="2025-04-02", followed="followed", reasons="", **fields):
    return step(
        "key_decision",
        date,
        decision_maker="Cabinet Member for Adult Social Care",
        key_decision_reference="25/00012",
        advice_followed=followed,
        reasons=reasons,
        **fields,
    )


def call_in_step(date="2025-04-03", ends="2025-04-10", **fields):
    return step("call_in", date, call_in_ends=ends, **fields)


@pytest.fixture
def proposal():
    return f.ProposalPageFactory(slug="recommission-home-care")


def edit_with_trail(client, proposal, steps, publish=False):
    return post_edit(client, proposal, proposal_data(trail=inline_formset(steps)), publish=publish)


# -- the admin form --------------------------------------------------------------------------


def test_a_full_trail_saves_and_reaches_the_public_only_when_published(
    admin_client, client, proposal
):
    committee = proposal.cabinet_committee
    steps = [
        board_step(),
        committee_step(committee, link="https://democracy.example.gov.uk/asc/2025-03-25"),
        decision_step(followed="not_followed", reasons="The budget would not stretch to it."),
        call_in_step(),
    ]
    assert_saved(edit_with_trail(admin_client, proposal, steps))
    # A draft: the live page (and so the public) has no trail yet.
    assert not TrailStep.objects.filter(proposal=proposal).exists()
    assert "The budget would not stretch to it." not in client.get(proposal.url).content.decode()

    assert_saved(edit_with_trail(admin_client, proposal, steps, publish=True))
    live = ProposalPage.objects.get(pk=proposal.pk)
    assert [s.kind for s in live.trail.all()] == ["board", "committee", "key_decision", "call_in"]
    assert live.advice_followed == AdviceFollowed.NOT_FOLLOWED
    html = client.get(proposal.url).content.decode()
    assert "The budget would not stretch to it." in html
    assert '<time datetime="2025-04-02">2 April 2025</time>' in html


def test_a_board_step_takes_its_meetings_date(admin_client, proposal):
    meeting = f.MeetingPageFactory(agenda=[])
    day = timezone.localtime(meeting.start).date()
    steps = [board_step(date="", meeting=str(meeting.pk))]
    assert_saved(edit_with_trail(admin_client, proposal, steps, publish=True))
    assert TrailStep.objects.get(proposal=proposal).date == day


@pytest.mark.parametrize(
    "steps, message",
    [
        (
            # Reported to the committee before the board considered it.
            lambda c: [committee_step(c, date="2025-03-01"), board_step(date="2025-03-12")],
            "This step (reported to a cabinet committee, 1 March 2025) is dated before the "
            "step that comes first (considered by the board, 12 March 2025)",
        ),
        (
            # Listed after a later-dated step.
            lambda c: [
                board_step(),
                decision_step(date="2025-04-20"),
                committee_step(c, date="2025-03-25"),
            ],
            "Steps are listed in date order: this one (25 March 2025) comes after one dated "
            "20 April 2025.",
        ),
        (
            lambda c: [board_step(), call_in_step(date="2025-04-03", ends="2025-04-01")],
            "The call-in period cannot end before it starts.",
        ),
        (
            lambda c: [board_step(), decision_step(followed="partly")],
            "Give the reasons the decision maker gave for not following the board&#x27;s "
            "advice in full.",
        ),
        (
            lambda c: [board_step(advice="")],
            "Write the board&#x27;s advice, as minuted.",
        ),
        (
            lambda c: [step("committee", "2025-03-25")],
            "Choose the Cabinet Committee the advice was reported to.",
        ),
        (
            lambda c: [step("key_decision", "")],
            "Give the date of this step.",
        ),
    ],
    ids=[
        "committee-before-board",
        "listed-out-of-order",
        "call-in-ends-early",
        "partly-without-reasons",
        "board-without-advice",
        "committee-unnamed",
        "undated",
    ],
)
def test_the_form_refuses_a_trail_out_of_order_or_incomplete(
    admin_client, proposal, steps, message
):
    before = revision_count(proposal)
    response = edit_with_trail(admin_client, proposal, steps(proposal.cabinet_committee))
    assert_refused(response, proposal, before, message)


def test_a_board_step_on_another_day_than_its_meeting_is_refused(admin_client, proposal):
    meeting = f.MeetingPageFactory(agenda=[])
    before = revision_count(proposal)
    response = edit_with_trail(
        admin_client, proposal, [board_step(date="2020-01-01", meeting=str(meeting.pk))]
    )
    day = timezone.localtime(meeting.start).date()
    assert_refused(response, proposal, before, f"The meeting chosen was on {day:%-d %B %Y}")


def test_the_trail_is_on_the_proposals_form(admin_client, proposal):
    html = admin_client.get(f"/admin/pages/{proposal.pk}/edit/").content.decode()
    assert "The advice trail" in html
    assert 'name="trail-TOTAL_FORMS"' in html


# -- what readers see ------------------------------------------------------------------------


def test_the_timeline_is_an_ordered_list_with_dated_steps(client, proposal):
    meeting = f.MeetingPageFactory(agenda=[])
    f.full_trail(proposal, meeting, followed=AdviceFollowed.PARTLY)
    html = client.get(proposal.url).content.decode()
    start = html.index('<ol class="govuk-list app-timeline"')
    timeline = html[start : html.index("</ol>", start)]
    assert timeline.count("<li") == 4
    assert timeline.count("<time datetime=") == 5  # four steps and the call-in's end
    for heading in ("Considered by the board", "Reported to a Cabinet Committee"):
        assert heading in timeline
    assert "By a majority" in timeline and "Advice partly followed" in timeline
    assert f'href="{meeting.url}"' in timeline
    assert "The budget did not allow it." in timeline


def test_a_restricted_meeting_is_not_linked_from_a_public_trail(client, proposal):
    meeting = restrict(f.MeetingPageFactory(agenda=[], title="Private session"), Audience.BOARD)
    f.full_trail(proposal, meeting)
    html = client.get(proposal.url).content.decode()
    assert "app-timeline" in html
    assert meeting.url not in html and "Private session" not in html


def board_member_client(client):
    user = f.BoardMemberUserFactory()
    assert user.groups.filter(name=Group.objects.get(name=BOARD_MEMBERS).name).exists()
    client.force_login(user)
    return client


def secret_trail():
    """A board-only proposal whose Key Decision did not follow the board's advice."""
    proposal = restrict(f.ProposalPageFactory(title="Facilities management"), Audience.BOARD)
    steps = f.full_trail(proposal, followed=AdviceFollowed.NOT_FOLLOWED)
    steps[0].advice = SECRET_ADVICE
    steps[0].save()
    steps[2].reasons = SECRET_REASONS
    steps[2].save()
    return proposal


@pytest.mark.parametrize("who", ["anonymous", "councillor"])
def test_a_restricted_proposals_trail_reaches_no_one_without_access(client, who):
    proposal = secret_trail()
    # A public decision on it, listed in the register (as an exempt decision's notice).
    minutes = f.MinutesPageFactory(decisions=[])
    f.DecisionFactory(
        minutes=minutes,
        proposal=proposal,
        is_exempt=True,
        exempt_paragraph="3",
        public_summary="Advice on a contract.",
    )
    if who == "councillor":
        client.force_login(f.CouncillorUserFactory())
    surfaces = [
        proposal.url,
        f"/api/v2/pages/{proposal.pk}/",
        "/api/v2/pages/?type=papers.ProposalPage&fields=trail",
        "/decisions/",
        "/decisions/?advice=not_followed",
        f"/api/v2/pages/{minutes.pk}/",
    ]
    for url in surfaces:
        body = client.get(url).content.decode()
        assert SECRET_ADVICE not in body and SECRET_REASONS not in body, url
    register = client.get("/decisions/").content.decode()
    assert "data-advice-followed" not in register
    filtered = client.get("/decisions/?advice=not_followed").content.decode()
    assert "0 decisions match your filters" in filtered

    board = board_member_client(client)
    assert SECRET_REASONS in board.get(proposal.url).content.decode()
    detail = board.get(f"/api/v2/pages/{proposal.pk}/").json()
    assert detail["trail"][2]["advice_followed"] == "not_followed"
    assert detail["trail"][2]["reasons"] == SECRET_REASONS
    filtered = board.get("/decisions/?advice=not_followed").content.decode()
    assert "1 decision matches your filters" in filtered
    assert 'data-advice-followed="not_followed"' in filtered


# -- the API ---------------------------------------------------------------------------------


def test_the_api_detail_carries_the_trail(client, proposal):
    meeting = f.MeetingPageFactory(agenda=[])
    f.full_trail(proposal, meeting, followed=AdviceFollowed.PARTLY)
    trail = client.get(f"/api/v2/pages/{proposal.pk}/").json()["trail"]
    assert [s["kind"] for s in trail] == ["board", "committee", "key_decision", "call_in"]
    board, committee, decision, call_in = trail
    assert board["meeting"]["id"] == meeting.pk and board["reached_by"] == "majority"
    assert board["kind_label"] == "Considered by the board"
    assert committee["committee"] == proposal.cabinet_committee.name
    assert committee["committee_outcome"] == "endorsed"
    assert decision["advice_followed"] == "partly"
    assert decision["reasons"] == "The budget did not allow it."
    assert call_in["called_in"] is False and call_in["call_in_ends"] == str(
        timezone.localtime(meeting.start).date() + datetime.timedelta(days=29)
    )


# -- the decisions register ------------------------------------------------------------------


def test_the_register_filters_and_shows_whether_advice_was_followed(client):
    minutes = f.MinutesPageFactory(decisions=[])
    counts = {
        AdviceFollowed.FOLLOWED: 3,
        AdviceFollowed.PARTLY: 1,
        AdviceFollowed.NOT_FOLLOWED: 2,
    }
    for followed, n in counts.items():
        for _ in range(n):
            proposal = f.ProposalPageFactory()
            f.full_trail(proposal, followed=followed)
            f.DecisionFactory(minutes=minutes, proposal=proposal)
    f.DecisionFactory(minutes=minutes)  # no proposal, so no trail
    f.DecisionFactory(minutes=minutes, proposal=f.ProposalPageFactory())  # no Key Decision yet

    html = client.get("/decisions/").content.decode()
    assert "8 decisions" in html
    assert html.count('data-advice-followed="followed"') == 3
    assert html.count('data-advice-followed="partly"') == 1
    assert html.count('data-advice-followed="not_followed"') == 2
    for value, n in counts.items():
        html = client.get("/decisions/", {"advice": value}).content.decode()
        assert f"{n} decision{'s' if n > 1 else ''} match" in html, value
    html = client.get("/decisions/?advice=partly&advice=not_followed").content.decode()
    assert "3 decisions match your filters" in html
    assert 'id="advice-partly" name="advice" type="checkbox" value="partly" checked' in html
    # An unknown value is dropped with a message, not an error.
    response = client.get("/decisions/?advice=ignored")
    assert response.status_code == 200 and "8 decisions" in response.content.decode()
