"""Issue 9, finding 1: approval publishes exactly what the Chair reviewed, and a page with the
Chair cannot be changed by an officer through any admin route (edit form, revisions, the admin
API's actions, bulk actions)."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from papers.models import ProposalPage
from papers.models.choices import Audience
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    edit_form,
    edit_url,
    fresh,
    in_progress,
    login,
    people_fixture,
    post_edit,
    task_state,
)

SECRET = "Preferred bidder: Example Care Ltd at 14.20 an hour."
REVIEWED = "The options for recommissioning home care, for advice."


def api_action(client, page, name, **data):
    url = reverse("wagtailadmin_api:pages:action", args=[page.pk, name])
    return client.post(url, json.dumps(data), content_type="application/json")


def approve(client, user, page):
    login(client, user)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state(page).pk]
    )
    return client.post(url, {"comment": "Approved."})


@pytest.fixture
def attack(client, board, people):
    """The issue's steps up to the revert: draft A (public, new text), then B (board, the
    original text) submitted to the Chair."""
    page = board.proposal
    login(client, people.officer)
    response = post_edit(client, page, summary=SECRET, audience=Audience.PUBLIC)
    assert response.status_code == 302
    revision_a = fresh(page).latest_revision
    response = post_edit(
        client,
        page,
        "submit",
        summary=REVIEWED,
        audience=Audience.BOARD,
        exempt_paragraph="3",
    )
    assert response.status_code == 302 and in_progress(page)
    revision_b = fresh(page).latest_revision
    assert revision_b.pk != revision_a.pk
    return page, revision_a, revision_b


def test_officer_cannot_revert_a_page_with_the_chair_through_the_admin_api(
    client, board, people, attack
):
    page, revision_a, revision_b = attack

    response = api_action(client, page, "revert_to_page_revision", revision_id=revision_a.pk)

    assert response.status_code == 403, response.content
    assert "with the Chair" in response.json()["detail"]
    assert fresh(page).latest_revision_id == revision_b.pk

    # The Chair previews B and approves; B goes live, board-only; the public cannot read it.
    login(client, people.chair)
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state(page).task_id])
    )
    assert REVIEWED in preview.content.decode()
    assert approve(client, people.chair, page).status_code == 302
    live = fresh(page)
    assert live.live_revision_id == revision_b.pk
    assert (live.summary, live.audience) == (REVIEWED, Audience.BOARD)
    client.logout()
    public = client.get(live.url)
    assert public.status_code in (302, 403) and SECRET not in public.content.decode()


def test_officer_cannot_revert_through_the_revisions_view(client, board, people, attack):
    page, revision_a, revision_b = attack
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision_a.pk])
    data = edit_form(client, page)
    data["summary"] = SECRET
    client.post(url, data)
    assert fresh(page).latest_revision_id == revision_b.pk


def test_approval_publishes_the_submitted_revision_when_a_newer_one_slipped_in(
    client, board, people, attack
):
    """Should any route still save a revision behind the Chair's back, approving publishes the
    revision that was submitted and previewed; the newer one stays a draft."""
    page, revision_a, revision_b = attack
    sneaked = revision_a.as_object()
    Page.save_revision(sneaked, user=people.officer)  # Wagtail's own, without the guard
    newer = fresh(page).latest_revision
    assert newer.pk not in (revision_a.pk, revision_b.pk)

    approve(client, people.chair, page)

    live = fresh(page)
    assert live.live_revision_id == revision_b.pk
    assert (live.summary, live.audience) == (REVIEWED, Audience.BOARD)
    assert live.has_unpublished_changes  # the officer's newer draft is kept, unpublished
    client.logout()
    assert client.get(live.url).status_code in (302, 403)


def test_chair_edits_and_approves_from_the_edit_form_publishes_the_chair_s_edit(
    client, board, people, attack
):
    page, _, _ = attack
    login(client, people.chair)
    edited = "Edited by the Chair while approving."
    post_edit(client, page, "workflow-action", workflow_action_name="approve", summary=edited)
    live = fresh(page)
    assert live.summary == edited and not live.has_unpublished_changes


def page_state(page):
    page = Page.objects.get(pk=page.pk)
    return (page.path, page.url_path, page.latest_revision_id, page.live)


WRITE_ACTIONS = {
    "revert_to_page_revision": lambda s: {"revision_id": s.revision_a.pk},
    "copy": lambda s: {
        "destination_page_id": s.board.proposals.pk,
        "title": "Copy",
        "slug": "copy",
        "keep_live": False,
    },
    # Before its sibling: the only move a proposal has (proposals live in one index).
    "move": lambda s: {"destination_page_id": s.board.proposals.pk, "position": "first-child"},
    "delete": lambda s: {},
    "create_alias": lambda s: {"destination_page_id": s.board.proposals.pk, "update_slug": "alias"},
    "publish": lambda s: {},
    "unpublish": lambda s: {},
}


@pytest.fixture
def draft_with_chair(client, board, people):
    """A never-published proposal the officer drafted and submitted (an officer may delete or
    move a draft, but not while the Chair has it)."""
    page = ProposalPage(title="Draft with the Chair", slug="draft-with-chair", live=False)
    board.proposals.add_child(instance=page)
    page.save_revision(user=people.officer)
    page = fresh(page)
    login(client, people.officer)
    post_edit(client, page, summary=SECRET)
    revision_a = fresh(page).latest_revision
    post_edit(client, page, "submit", summary=REVIEWED)
    assert in_progress(page)

    class Scene:
        pass

    scene = Scene()
    scene.board, scene.page, scene.revision_a = board, fresh(page), revision_a
    return scene


@pytest.mark.parametrize("name", list(WRITE_ACTIONS))
def test_every_admin_api_action_is_refused_to_an_officer_while_the_chair_reviews(
    client, people, draft_with_chair, name
):
    scene = draft_with_chair
    before = page_state(scene.page)
    pages_before = Page.objects.count()

    response = api_action(client, scene.page, name, **WRITE_ACTIONS[name](scene))

    assert response.status_code in (400, 403), (response.status_code, response.content)
    assert page_state(scene.page) == before
    assert Page.objects.count() == pages_before
    assert in_progress(scene.page)


def test_the_same_api_actions_work_for_an_officer_once_the_chair_has_decided(
    client, people, draft_with_chair
):
    """The lock is the only reason for the refusals above."""
    scene = draft_with_chair
    login(client, people.chair)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[scene.page.pk, "reject", task_state(scene.page).pk],
    )
    client.post(url, {"comment": "Please add the weighting."})
    login(client, people.officer)
    response = api_action(
        client, scene.page, "revert_to_page_revision", revision_id=scene.revision_a.pk
    )
    assert response.status_code == 200, response.content
    assert fresh(scene.page).get_latest_revision_as_object().summary == SECRET
    response = api_action(client, scene.page, "delete")
    assert response.status_code == 204, response.content
    assert not Page.objects.filter(pk=scene.page.pk).exists()


@pytest.mark.parametrize("action", ["delete", "move"])
def test_bulk_actions_skip_a_page_with_the_chair(client, board, people, draft_with_chair, action):
    scene = draft_with_chair
    before = page_state(scene.page)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    url += f"?id={scene.page.pk}&next=/admin/"
    data = {"chooser": board.about.pk} if action == "move" else {}
    client.post(url, data)
    assert Page.objects.filter(pk=scene.page.pk).exists()
    assert page_state(scene.page) == before


def test_chair_may_still_act_on_a_page_in_review(client, people, draft_with_chair):
    scene = draft_with_chair
    login(client, people.chair)
    response = api_action(
        client, scene.page, "revert_to_page_revision", revision_id=scene.revision_a.pk
    )
    assert response.status_code == 200, response.content
    assert not Revision.objects.filter(pk=scene.revision_a.pk, user=people.chair).exists()


# -- finding 4: one control decides a page's audience ------------------------------------------


@pytest.mark.parametrize("role", ["chair", "admin"])
def test_no_second_privacy_control_on_a_board_page_even_for_the_chair_and_administrators(
    client, board, people, role
):
    login(client, getattr(people, role))
    for page in (board.proposal, board.proposals):
        response = client.post(
            reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
            {"restriction_type": "login", "password": "", "groups": []},
        )
        assert response.status_code in (302, 403)  # the admin's "no permission" redirect
        assert not page.get_view_restrictions().exists()
    html = client.get(edit_url(board.proposal)).content.decode()
    assert 'data-a11y-dialog-show="set-privacy"' not in html
    assert "Set by “Audience” on the Confidentiality tab" in html
