"""Approving the minutes carries each decided paper's status and the board's advice
(issue 16): the officer starts the minutes from the agenda, completes the decisions and sends
them to the Chair; the Chair's one approval updates the papers."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text

from papers.decisions_follow import LOG_ACTION, advice_for
from papers.minutes_from_agenda import URL_NAME
from papers.models import MinutesPage
from papers.models.choices import Audience, Outcome, ProposalStatus
from tests import factories as f
from tests.papers.test_minutes_from_agenda import held_meeting
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    fresh,
    login,
    people_fixture,
    post_edit,
    published,
    task_state,
)

pytestmark = pytest.mark.django_db

ADVICE = "RESOLVED that the Cabinet Committee be advised to re-tender home care in twelve zones."
SECRET = "RESOLVED that the provider be served a formal warning notice."
SUMMARY = "The board considered the contract's performance in private."


def write_minutes(client, people, meeting, outcomes):
    """The officer starts the minutes, writes them and sends them to the Chair."""
    login(client, people.officer)
    client.post(reverse(URL_NAME, args=[meeting.pk]))
    minutes = MinutesPage.objects.child_of(meeting).get()
    changes = {
        f"minute_items-{n}-text": rich_text(f"<p>Minute {n}.</p>")
        for n in range(meeting.agenda_items.count())
    }
    for n, (outcome, text) in enumerate(outcomes):
        changes[f"decisions-{n}-outcome"] = outcome
        changes[f"decisions-{n}-resolution"] = rich_text(f"<p>{text}</p>")
    response = post_edit(client, minutes, "submit", **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    return fresh(minutes)


def approve(client, chair, page):
    login(client, chair)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state(page).pk]
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)
    return fresh(page)


def test_approved_minutes_update_each_papers_status_and_advice(client, board, people):
    meeting, public, secret, away, sub = held_meeting(board)
    minutes = write_minutes(
        client, people, meeting, [(Outcome.AGREED, ADVICE), (Outcome.NOTED, SECRET)]
    )
    # Nothing changes before the Chair approves.
    assert fresh(public).status == ProposalStatus.FOR_CONSIDERATION

    minutes = approve(client, people.chair, minutes)

    assert minutes.live
    public, secret = fresh(public), fresh(secret)
    assert public.status == ProposalStatus.ADVICE_GIVEN and ADVICE in public.board_advice
    assert secret.status == ProposalStatus.ADVICE_GIVEN and SECRET in secret.board_advice
    for paper in (public, secret):
        # Published, through a revision saved by the Chair who approved, and logged.
        assert not paper.has_unpublished_changes
        assert paper.live_revision.user == people.chair
        entry = PageLogEntry.objects.get(page=paper, action=LOG_ACTION)
        assert entry.user == people.chair and minutes.title in entry.data["minutes"]
        assert PageLogEntry.objects.filter(
            page=paper, action="wagtail.publish", user=people.chair
        ).exists()
    # The public reads the advice on the paper, and the minutes show the meeting's attendance.
    client.logout()
    page = client.get(minutes.url).content.decode()
    assert "Apologies" in page and away.name in page and sub.name in page
    assert ADVICE in client.get(public.url).content.decode()
    # The Chair's page history says why the paper changed.
    login(client, people.chair)
    history = client.get(reverse("wagtailadmin_pages:history", args=[public.pk]))
    assert "Status and board&#x27;s advice updated from decision" in history.content.decode()


def test_deferred_decisions_and_settled_papers_are_left_alone(client, board, people):
    meeting, public, secret, *_ = held_meeting(board)
    secret.status = ProposalStatus.DECISION_TAKEN
    secret.board_advice = "<p>Earlier advice.</p>"
    published(secret)
    minutes = write_minutes(
        client, people, meeting, [(Outcome.DEFERRED, ADVICE), (Outcome.AGREED, SECRET)]
    )
    approve(client, people.chair, minutes)
    assert fresh(public).status == ProposalStatus.FOR_CONSIDERATION
    assert ADVICE not in fresh(public).board_advice
    assert fresh(secret).status == ProposalStatus.DECISION_TAKEN
    assert "Earlier advice." in fresh(secret).board_advice
    assert not PageLogEntry.objects.filter(action=LOG_ACTION).exists()


def test_an_exempt_decision_never_becomes_advice_on_a_public_paper(client, board, people):
    meeting, public, secret, *_ = held_meeting(board)
    # The exempt item considers a public paper this time.
    item = meeting.agenda_items.get(number="4")
    item.proposal = f.ProposalPageFactory(parent=board.proposals, audience=Audience.PUBLIC)
    item.save()
    paper = published(item.proposal.specific)
    meeting = published(meeting)
    minutes = write_minutes(
        client, people, meeting, [(Outcome.AGREED, ADVICE), (Outcome.AGREED, SECRET)]
    )
    approve(client, people.chair, minutes)
    paper = fresh(paper)
    assert paper.status == ProposalStatus.ADVICE_GIVEN
    assert SECRET not in paper.board_advice
    client.logout()
    assert SECRET not in client.get(paper.url).content.decode()
    # With a public summary written for the purpose, that is the advice the paper shows.
    decision = fresh(minutes).decisions.get(is_exempt=True)
    decision.public_summary = SUMMARY
    assert advice_for(decision, paper) == "<p>" + escape(SUMMARY) + "</p>"


def test_a_paper_with_a_pending_draft_gets_the_decision_on_that_draft(client, board, people):
    meeting, public, *_ = held_meeting(board)
    draft = fresh(public)
    draft.summary = "An officer's revised summary, not yet approved."
    draft.save_revision(user=people.officer)
    minutes = write_minutes(
        client, people, meeting, [(Outcome.AGREED, ADVICE), (Outcome.NOTED, SECRET)]
    )
    approve(client, people.chair, minutes)
    live = fresh(public)
    # The officer's unapproved edit is not published by the minutes' approval ...
    assert "not yet approved" not in live.summary
    # ... and the decision waits on top of it, to go live with it.
    latest = live.get_latest_revision_as_object()
    assert latest.status == ProposalStatus.ADVICE_GIVEN and "not yet approved" in latest.summary


def test_seeding_the_demo_leaves_its_papers_as_written(db):
    """The demo publishes its minutes; its papers keep their own curated status and advice."""
    call_command("seed_demo", password="demo-password-for-tests", verbosity=0)
    assert MinutesPage.objects.live().filter(decisions__proposal__isnull=False).exists()
    assert not PageLogEntry.objects.filter(action=LOG_ACTION).exists()
