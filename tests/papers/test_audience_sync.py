"""Audience and Wagtail's view restriction stay in step through the Chair's workflow.

Tightening takes effect the moment a draft is saved; loosening only once the Chair approves
(publishes) it; a restricted page is never live without its restriction.
"""

import pytest
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry, PageViewRestriction

from papers.confidentiality import AUDIENCE_GROUPS
from papers.models import ProposalPage
from papers.models.choices import Audience
from tests.factories import ProposalPageFactory
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    fresh,
    login,
    people_fixture,
    post_edit,
    task_state,
)

pytestmark = pytest.mark.django_db


def restriction_groups(page):
    """The group names of the page's own group restriction (empty set: public)."""
    restriction = PageViewRestriction.objects.filter(page=page).first()
    return {g.name for g in restriction.groups.all()} if restriction else set()


def anonymous_status(page):
    return Client().get(page.url, HTTP_HOST="localhost").status_code


def approve(client, chair, page, comment=""):
    login(client, chair)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state(page).pk]
    )
    response = client.post(url, {"comment": comment})
    assert response.status_code in (200, 302)


def reject(client, chair, page, comment):
    login(client, chair)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state(page).pk]
    )
    client.post(url, {"comment": comment})


def officer_saves(client, people, page, action=None, **changes):
    login(client, people.officer)
    response = post_edit(client, page, action, **changes)
    assert response.status_code == 302, response.content[:2000]


BOARD = set(AUDIENCE_GROUPS[Audience.BOARD])
MEMBERS = set(AUDIENCE_GROUPS[Audience.MEMBERS])


def test_tighten_at_once_loosen_only_on_approval(client, board, people):
    page = board.proposal
    assert restriction_groups(page) == set() and anonymous_status(page) == 200

    # An officer saves a draft making it board-only: restricted at once, before any approval,
    # though the live version (still marked public) is unchanged.
    officer_saves(client, people, page, audience="board", exempt_paragraph="3")
    assert fresh(page).audience == Audience.PUBLIC
    assert restriction_groups(page) == BOARD
    assert anonymous_status(page) == 302

    # Submitted and approved: live as board-only, still restricted.
    officer_saves(client, people, page, "submit")
    assert restriction_groups(page) == BOARD
    approve(client, people.chair, page)
    assert fresh(page).audience == Audience.BOARD and fresh(page).live
    assert restriction_groups(page) == BOARD

    # A draft loosening it to "members" changes nothing yet ...
    officer_saves(client, people, page, audience="members", exempt_paragraph="")
    assert restriction_groups(page) == BOARD
    # ... nor does submitting it ...
    officer_saves(client, people, page, "submit")
    assert restriction_groups(page) == BOARD
    # ... only the Chair's approval.
    approve(client, people.chair, page)
    assert fresh(page).audience == Audience.MEMBERS
    assert restriction_groups(page) == MEMBERS

    # And back to public, again only on approval.
    officer_saves(client, people, page, "submit", audience="public")
    assert restriction_groups(page) == MEMBERS and anonymous_status(page) == 302
    approve(client, people.chair, page)
    assert restriction_groups(page) == set() and anonymous_status(page) == 200


def test_a_rejected_tightening_stays_tight_until_a_looser_version_is_approved(
    client, board, people
):
    page = board.proposal
    officer_saves(client, people, page, "submit", audience="board", exempt_paragraph="3")
    assert restriction_groups(page) == BOARD
    reject(client, people.chair, page, "Not exempt: the figures are already public.")
    # The draft is still board-only, so the page stays restricted (the safe side) ...
    assert restriction_groups(page) == BOARD
    # ... until the officer's public draft is approved.
    officer_saves(client, people, page, "submit", audience="public", exempt_paragraph="")
    assert restriction_groups(page) == BOARD
    approve(client, people.chair, page)
    assert restriction_groups(page) == set()


def test_the_chair_publishing_board_only_in_one_step_is_never_live_unrestricted(board, people):
    """Watch every save of the page row: whenever it is live, its restriction must exist."""
    seen = []

    def watch(sender, instance, **kwargs):
        if isinstance(instance, ProposalPage) and instance.pk:
            seen.append((instance.live, restriction_groups(instance)))

    post_save.connect(watch, weak=False, dispatch_uid="test-watch")
    try:
        page = ProposalPage(
            title="Provider failure: contingency",
            slug="provider-failure",
            audience=Audience.BOARD,
            exempt_paragraph="3",
            live=False,
        )
        board.proposals.add_child(instance=page)
        page.save_revision(user=people.officer).publish(user=people.chair)
    finally:
        post_save.disconnect(dispatch_uid="test-watch")
    assert any(live for live, _ in seen)
    assert all(groups == BOARD for live, groups in seen if live), seen


def test_pages_made_in_code_get_their_restriction(board):
    page = ProposalPageFactory(parent=board.proposals, audience=Audience.MEMBERS)
    assert page.live and restriction_groups(page) == MEMBERS
    assert anonymous_status(page) == 302


def test_restriction_is_recorded_in_the_audit_log(client, board, people):
    page = board.proposal
    officer_saves(client, people, page, audience="board", exempt_paragraph="3")
    actions = PageLogEntry.objects.filter(page=page).values_list("action", "user__username")
    assert ("wagtail.view_restriction.create", people.officer.username) in list(actions)
