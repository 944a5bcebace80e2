"""The permission matrix of the README, cell by cell, through the admin's own URLs and forms.

Each cell signs in as the role (or not, for anonymous), tries the action the way the admin's
buttons or a hand-made POST would, and checks what happened to the data, not what the page says.
A refused cell also checks that the live pages are exactly as they were. The administrator
column shows that every probe does detect the action when it is allowed.
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, TaskState

from papers.confidentiality import collection_for
from papers.models import BoardDocument, ProposalPage
from papers.models.choices import Audience
from tests.factories import BoardDocumentFactory, ProposalPageFactory, StandardPageFactory
from tests.module_data import kept_for_the_module, reread
from tests.papers.workflow_support import (
    build_board,
    build_people,
    edit_form,
    edit_url,
    fresh,
    in_progress,
    task_state,
)

ROLE_COLUMNS = ["officer", "chair", "board_member", "councillor", "anonymous", "admin"]
Y, N = True, False

# action -> allowed for (officer, chair, board member, councillor, anonymous, administrator).
# The README's matrix is checked against this table (test_readme_matrix_matches).
MATRIX = {
    "admin access": (Y, Y, N, N, N, Y),
    "create a draft page": (Y, Y, N, N, N, Y),
    "edit a draft": (Y, Y, N, N, N, Y),
    "submit for approval": (Y, Y, N, N, N, Y),
    "publish directly": (N, Y, N, N, N, Y),
    "unpublish": (N, Y, N, N, N, Y),
    "delete a live page": (N, Y, N, N, N, Y),
    "move a live page out of its section": (N, N, N, N, N, Y),
    "move a draft out of its section": (N, N, N, N, N, Y),
    "change privacy": (N, N, N, N, N, N),
    "approve (workflow action URL)": (N, Y, N, N, N, Y),
    "approve (edit form)": (N, Y, N, N, N, Y),
    "reject with a comment": (N, Y, N, N, N, Y),
    "see the approval queue": (N, Y, N, N, N, Y),
    "see the site history report": (Y, Y, N, N, N, Y),
    "see a page's history": (Y, Y, N, N, N, Y),
    "revert a page with the Chair to a revision (admin API)": (N, Y, N, N, N, Y),
    "copy a page with the Chair (admin API)": (N, Y, N, N, N, Y),
    "move a page with the Chair (admin API)": (N, Y, N, N, N, Y),
    "create an alias (admin API)": (N, Y, N, N, N, Y),
    "publish (admin API)": (N, Y, N, N, N, Y),
    "unpublish (admin API)": (N, Y, N, N, N, Y),
    "move a document to a less restricted collection": (N, Y, N, N, N, Y),
    "replace the file of a document a restricted page attaches": (N, Y, N, N, N, Y),
}

NEW_SUMMARY = "Changed by the matrix test."


@pytest.fixture(scope="module")
def shared_scene(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module's 146 tests (tests/module_data.py): a scene for each cost
    more than its probe."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        yield build_scene(build_board(), build_people())


@pytest.fixture
def scene(db, shared_scene):
    """The module's scene, read afresh, and an administrator's client to read the admin's
    forms (signed in per test: a test's sign-in gives the second factor, tests/conftest.py)."""
    scene = reread(shared_scene)
    scene.admin_client = Client()
    scene.admin_client.force_login(scene.people.admin)
    return scene


def build_scene(board, people):
    """A live proposal, one awaiting the Chair (submitted by the officer), a live and a draft
    page in the 'about' section, and a board-only document on a board-only page."""
    pending = ProposalPageFactory(parent=board.proposals, title="Extend the equipment contract")
    draft = pending.get_latest_revision_as_object()
    draft.summary = "Awaiting the Chair's approval."
    draft.save_revision(user=people.officer)
    pending.get_workflow().start(pending, people.officer)
    unpublished = StandardPageFactory(
        parent=board.about, title="Draft membership note", slug="draft-note", live=False
    )
    # A board-only document, attached to a board-only page.
    secret = BoardDocumentFactory(
        title="Appendix: bid prices",
        file=ContentFile(b"Bid prices.", name="bids.txt"),
        collection=collection_for(Audience.BOARD),
    )
    restricted = ProposalPageFactory(
        parent=board.proposals,
        title="Bids received",
        audience=Audience.BOARD,
        exempt_paragraph="3",
        attachments=[{"type": "attachment", "value": {"document": secret.pk, "title": ""}}],
    )
    restricted.save_revision().publish()
    board.secret = secret
    board.pending = pending
    board.unpublished = unpublished
    board.people = people
    return board


def snapshot(scene):
    """What the public sees: each live page's content, place and privacy."""
    rows = {}
    for page in Page.objects.filter(depth__gte=2).specific():
        rows[page.pk] = (
            page.title,
            getattr(page, "summary", None),
            page.live,
            page.url_path,
            page.live_revision_id,
            PageViewRestriction.objects.filter(page=page).count(),
        )
    for document in BoardDocument.objects.all():
        rows[f"document {document.pk}"] = (document.collection_id, document.file.name)
    return rows


# -- probes: each tries the action and reports whether it took effect -------------------------


def probe_admin_access(client, s):
    response = client.get(reverse("wagtailadmin_home"))
    dashboard = response.status_code == 200 and any(
        t.name == "wagtailadmin/home.html" for t in response.templates
    )
    if not dashboard:
        assert response.status_code in (302, 403), response.status_code
    return dashboard


def probe_create_draft(client, s):
    url = reverse("wagtailadmin_pages:add", args=["papers", "proposalpage", s.proposals.pk])
    data = _add_form(s, url)
    data["title"] = "A proposal drafted in the matrix test"
    data["slug"] = "matrix-draft"
    client.post(url, data)
    return ProposalPage.objects.filter(slug="matrix-draft").exists()


def _add_form(s, url):
    from wagtail.test.utils.form_data import querydict_from_html

    response = s.admin_client.get(url)
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name in ("body", "attachments", "options_appraisal"):
        data[f"{name}-count"] = "0"
    return data


def probe_edit_draft(client, s):
    data = edit_form(s.admin_client, s.proposal)
    data["summary"] = NEW_SUMMARY
    client.post(edit_url(s.proposal), data)
    return fresh(s.proposal).get_latest_revision_as_object().summary == NEW_SUMMARY


def probe_submit(client, s):
    data = edit_form(s.admin_client, s.proposal)
    data["action-submit"] = "submit"
    client.post(edit_url(s.proposal), data)
    return in_progress(s.proposal)


def probe_publish(client, s):
    data = edit_form(s.admin_client, s.proposal)
    data["summary"] = NEW_SUMMARY
    data["action-publish"] = "publish"
    client.post(edit_url(s.proposal), data)
    return fresh(s.proposal).summary == NEW_SUMMARY


def probe_unpublish(client, s):
    client.post(reverse("wagtailadmin_pages:unpublish", args=[s.proposal.pk]))
    return not fresh(s.proposal).live


def probe_delete_live(client, s):
    client.post(reverse("wagtailadmin_pages:delete", args=[s.proposal.pk]))
    return not Page.objects.filter(pk=s.proposal.pk).exists()


def _move_out(client, page, s):
    url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, s.home.pk])
    client.post(url)
    return Page.objects.get(pk=page.pk).get_parent().pk == s.home.pk


def probe_move_live(client, s):
    return _move_out(client, s.terms, s)


def probe_move_draft(client, s):
    return _move_out(client, s.unpublished, s)


def probe_privacy(client, s):
    url = reverse("wagtailadmin_pages:set_privacy", args=[s.proposal.pk])
    client.post(url, {"restriction_type": "login", "password": "", "groups": []})
    return PageViewRestriction.objects.filter(page=s.proposal).exists()


def _task_finished_as(status, s):
    return TaskState.objects.get(pk=s.task_state_id).status == status


def probe_approve_url(client, s):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[s.pending.pk, "approve", s.task_state_id]
    )
    client.post(url, {"comment": "Approved in the matrix test."})
    return _task_finished_as(TaskState.STATUS_APPROVED, s)


def probe_approve_edit_form(client, s):
    data = edit_form(s.admin_client, s.pending)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    client.post(edit_url(s.pending), data)
    return _task_finished_as(TaskState.STATUS_APPROVED, s)


def probe_reject(client, s):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[s.pending.pk, "reject", s.task_state_id]
    )
    client.post(url, {"comment": "Please add the social value weighting."})
    return _task_finished_as(TaskState.STATUS_REJECTED, s)


def probe_queue(client, s):
    response = client.get(reverse("wagtailadmin_home"))
    if response.status_code != 200:
        return False
    content = response.content.decode()
    if "Awaiting your review" not in content:
        return False
    panel = content.split("Awaiting your review", 1)[1]
    return s.pending.title in panel


def probe_site_history(client, s):
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    return response.status_code == 200 and s.pending.title in response.content.decode()


def probe_page_history(client, s):
    response = client.get(reverse("wagtailadmin_pages:history", args=[s.pending.pk]))
    return response.status_code == 200 and "Workflow" in response.content.decode()


def _api_action(client, page, name, **data):
    url = reverse("wagtailadmin_api:pages:action", args=[page.pk, name])
    return client.post(url, json.dumps(data), content_type="application/json")


def probe_api_revert(client, s):
    before = Page.objects.get(pk=s.pending.pk).latest_revision_id
    first = s.pending.revisions.order_by("pk").first()
    _api_action(client, s.pending, "revert_to_page_revision", revision_id=first.pk)
    return Page.objects.get(pk=s.pending.pk).latest_revision_id != before


def probe_api_copy(client, s):
    data = {"destination_page_id": s.proposals.pk, "title": "Copied", "slug": "copied"}
    _api_action(client, s.pending, "copy", keep_live=False, **data)
    return Page.objects.filter(slug="copied").exists()


def probe_api_move(client, s):
    before = Page.objects.get(pk=s.pending.pk).path
    data = {"destination_page_id": s.proposals.pk, "position": "first-child"}
    _api_action(client, s.pending, "move", **data)
    return Page.objects.get(pk=s.pending.pk).path != before


def probe_api_alias(client, s):
    data = {"destination_page_id": s.proposals.pk, "update_slug": "aliased"}
    _api_action(client, s.proposal, "create_alias", **data)
    return Page.objects.filter(slug="aliased", alias_of=s.proposal).exists()


def probe_api_publish(client, s):
    _api_action(client, s.pending, "publish")
    return fresh(s.pending).summary == "Awaiting the Chair's approval."


def probe_api_unpublish(client, s):
    _api_action(client, s.proposal, "unpublish")
    return not fresh(s.proposal).live


def _edit_document(client, document, **changes):
    data = {"title": document.title, "collection": str(document.collection_id), "tags": ""}
    data.update(changes)
    client.post(reverse("wagtaildocs:edit", args=[document.pk]), data)
    return BoardDocument.objects.get(pk=document.pk)


def probe_loosen_document(client, s):
    public = collection_for(Audience.PUBLIC)
    return _edit_document(client, s.secret, collection=str(public.pk)).collection == public


def probe_replace_restricted_file(client, s):
    before = s.secret.file.name
    new_file = SimpleUploadedFile("bids-v2.txt", b"New prices.")
    return _edit_document(client, s.secret, file=new_file).file.name != before


PROBES = {
    "admin access": probe_admin_access,
    "create a draft page": probe_create_draft,
    "edit a draft": probe_edit_draft,
    "submit for approval": probe_submit,
    "publish directly": probe_publish,
    "unpublish": probe_unpublish,
    "delete a live page": probe_delete_live,
    "move a live page out of its section": probe_move_live,
    "move a draft out of its section": probe_move_draft,
    "change privacy": probe_privacy,
    "approve (workflow action URL)": probe_approve_url,
    "approve (edit form)": probe_approve_edit_form,
    "reject with a comment": probe_reject,
    "see the approval queue": probe_queue,
    "see the site history report": probe_site_history,
    "see a page's history": probe_page_history,
    "revert a page with the Chair to a revision (admin API)": probe_api_revert,
    "copy a page with the Chair (admin API)": probe_api_copy,
    "move a page with the Chair (admin API)": probe_api_move,
    "create an alias (admin API)": probe_api_alias,
    "publish (admin API)": probe_api_publish,
    "unpublish (admin API)": probe_api_unpublish,
    "move a document to a less restricted collection": probe_loosen_document,
    "replace the file of a document a restricted page attaches": probe_replace_restricted_file,
}

# Actions that change nothing the public sees even when allowed.
READ_ONLY = {
    "admin access",
    "see the approval queue",
    "see the site history report",
    "see a page's history",
}
CELLS = [
    pytest.param(action, role, allowed[i], id=f"{action}|{role}")
    for action, allowed in MATRIX.items()
    for i, role in enumerate(ROLE_COLUMNS)
]


@pytest.mark.parametrize(("action", "role", "allowed"), CELLS)
def test_permission_matrix(client, scene, action, role, allowed):
    user = None if role == "anonymous" else getattr(scene.people, role)
    if user is not None:
        client.force_login(user)
    scene.task_state_id = task_state(scene.pending).pk
    before = snapshot(scene)

    took_effect = PROBES[action](client, scene)

    assert took_effect is allowed, f"{role}: {action} {'refused' if allowed else 'ALLOWED'}"
    if not allowed or action in READ_ONLY:
        assert snapshot(scene) == before, "the live site changed"
        if action.startswith(("approve", "reject")):
            assert in_progress(scene.pending), "the approval task is no longer waiting"


def test_every_cell_has_a_probe():
    assert set(PROBES) == set(MATRIX)
    assert all(len(row) == len(ROLE_COLUMNS) for row in MATRIX.values())


def test_readme_matrix_matches():
    """The README's table says exactly what MATRIX (and so these tests) says."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("<!-- roles:start -->", 1)[1].split("<!-- roles:end -->", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(ROLE_COLUMNS) + 1 and cells[0] in MATRIX:
            table[cells[0]] = tuple(c.startswith("✔") for c in cells[1:])
    assert table == MATRIX
