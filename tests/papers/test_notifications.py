"""Wagtail's own workflow emails: the Chair on submission, the officer on approval or rejection."""

from django.core import mail
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    login,
    people_fixture,
    post_edit,
    task_state,
)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def submit(client, people, page):
    login(client, people.officer)
    assert post_edit(client, page, "submit", summary="Revised summary.").status_code == 302


def act(client, people, page, action, comment=""):
    login(client, people.chair)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state(page).pk])
    assert client.post(url, {"comment": comment}).status_code == 302


def test_chair_is_emailed_when_an_officer_submits(client, board, people):
    submit(client, people, board.proposal)
    # The Chair group (and administrators), never the officer who submitted or the readers.
    assert people.chair.email in recipients()
    assert people.officer.email not in recipients()
    assert people.board_member.email not in recipients()
    assert people.councillor.email not in recipients()
    to_chair = [m for m in mail.outbox if people.chair.email in m.to]
    assert board.proposal.title in to_chair[0].subject
    assert reverse("wagtailadmin_pages:edit", args=[board.proposal.pk]) in to_chair[0].body


def test_officer_is_emailed_when_the_chair_approves(client, board, people):
    submit(client, people, board.proposal)
    mail.outbox.clear()
    act(client, people, board.proposal, "approve", "Approved.")
    assert recipients() == [people.officer.email]
    assert "approved" in mail.outbox[0].subject.lower()
    assert board.proposal.title in mail.outbox[0].subject


def test_officer_is_emailed_the_chairs_comment_when_sent_back(client, board, people):
    submit(client, people, board.proposal)
    mail.outbox.clear()
    comment = "Please give the estimated contract value."
    act(client, people, board.proposal, "reject", comment)
    assert recipients() == [people.officer.email]
    assert board.proposal.title in mail.outbox[0].subject
    assert comment in mail.outbox[0].body


def test_resubmission_emails_the_chair_again(client, board, people):
    submit(client, people, board.proposal)
    act(client, people, board.proposal, "reject", "Not yet.")
    mail.outbox.clear()
    login(client, people.officer)
    assert post_edit(client, board.proposal, "submit").status_code == 302
    assert people.chair.email in recipients()


def test_a_chair_who_turned_notifications_off_gets_none(client, board, people):
    profile = UserProfile.get_for_user(people.chair)
    profile.submitted_notifications = False
    profile.save()
    submit(client, people, board.proposal)
    assert people.chair.email not in recipients()
