"""The Chair's approval workflow, end to end through the admin, as the officer and the Chair."""

import datetime
import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from papers.models import ProposalPage
from papers.workflows import TASK_NAME, WORKFLOW_NAME
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    edit_form,
    edit_url,
    fresh,
    in_progress,
    logged_actions,
    login,
    people_fixture,
    post_edit,
    task_state,
    workflow_state,
)

REVISED = "Revised: the contracts would now be let in twelve zones, not six."


def submit(client, people, page, **changes):
    login(client, people.officer)
    response = post_edit(client, page, "submit", **changes)
    assert response.status_code == 302, response.status_code
    return workflow_state(page)


def act(client, user, page, action, comment=""):
    login(client, user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state(page).pk])
    return client.post(url, {"comment": comment})


def test_every_section_is_under_the_chair_approval_workflow(board):
    for section in (board.about, board.meetings, board.proposals, board.providers, board.training):
        workflow = section.get_workflow()
        assert workflow is not None and workflow.name == WORKFLOW_NAME
        tasks = list(workflow.tasks.specific())
        assert [t.name for t in tasks] == [TASK_NAME]
        assert [g.name for g in tasks[0].groups.all()] == ["Chair"]
    assert board.proposal.get_workflow().name == WORKFLOW_NAME  # inherited by every page


def test_officer_submits_and_the_public_keeps_the_approved_version(client, board, people):
    before = board.proposal.summary
    state = submit(client, people, board.proposal, summary=REVISED)

    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == people.officer
    assert state.current_task_state.task.name == TASK_NAME
    live = fresh(board.proposal)
    assert live.summary == before and live.has_unpublished_changes
    assert live.get_latest_revision_as_object().summary == REVISED

    client.logout()
    public = client.get(live.url)
    assert public.status_code == 200
    assert before in public.content.decode() and REVISED not in public.content.decode()


def test_submitting_through_the_form_keeps_every_other_field(client, board, people):
    """The admin form round trip (our test helper included) loses nothing from the page."""
    original = fresh(board.proposal)
    submit(client, people, board.proposal, summary=REVISED)
    draft = fresh(board.proposal).get_latest_revision_as_object()
    for name in ("title", "stage", "status", "key_decision_reference", "price_weighting"):
        assert getattr(draft, name) == getattr(original, name), name
    for name in ("body", "options_appraisal"):
        assert getattr(draft, name).get_prep_value() != []
        assert _blocks(getattr(draft, name)) == _blocks(getattr(original, name))


def _blocks(stream):
    """Block types and values, without the keys the rich text editor adds to paragraphs."""
    return [
        (b.block_type, re.sub(r' data-block-key="[^"]*"', "", str(b.block.get_prep_value(b.value))))
        for b in stream
    ]


def test_page_is_locked_for_the_officer_while_the_chair_reviews(client, board, people):
    submit(client, people, board.proposal, summary=REVISED)
    submitted = fresh(board.proposal).latest_revision_id
    response = post_edit(client, board.proposal, None, summary="A late change")
    assert response.status_code == 200  # the form comes back: the page is locked
    assert fresh(board.proposal).latest_revision_id == submitted


def test_chair_sees_previews_compares_and_approves(client, board, people):
    submit(client, people, board.proposal, summary=REVISED)
    login(client, people.chair)

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in dashboard and board.proposal.title in dashboard

    task = task_state(board.proposal)
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[board.proposal.pk, "live", "latest"],
        )
    )
    assert compare.status_code == 200
    assert "twelve" in compare.content.decode()  # the diff shows the new words

    response = act(client, people.chair, board.proposal, "approve", "Approved, thank you.")
    assert response.status_code == 302
    live = fresh(board.proposal)
    assert live.summary == REVISED and not live.has_unpublished_changes
    task.refresh_from_db()
    assert task.status == TaskState.STATUS_APPROVED and task.finished_by == people.chair
    assert task.comment == "Approved, thank you."
    assert workflow_state(board.proposal).status == WorkflowState.STATUS_APPROVED

    client.logout()
    assert REVISED in client.get(live.url).content.decode()


def test_chair_previews_the_submitted_version(client, board, people):
    submit(client, people, board.proposal, summary=REVISED)
    login(client, people.chair)
    task = task_state(board.proposal)
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[board.proposal.pk, task.task_id])
    )
    assert preview.status_code == 200 and REVISED in preview.content.decode()


def test_chair_approves_from_the_edit_form(client, board, people):
    submit(client, people, board.proposal, summary=REVISED)
    login(client, people.chair)
    response = post_edit(client, board.proposal, "workflow-action", workflow_action_name="approve")
    assert response.status_code == 302
    assert fresh(board.proposal).summary == REVISED


def test_rejection_comment_reaches_the_officer_and_resubmission_resumes(client, board, people):
    first = submit(client, people, board.proposal, summary=REVISED)
    comment = "Please set out the social value weighting before I approve this."
    act(client, people.chair, board.proposal, "reject", comment)

    state = workflow_state(board.proposal)
    assert state.pk == first.pk and state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert fresh(board.proposal).summary != REVISED  # nothing published

    # The officer sees the comment in the page's workflow history and on the edit view.
    login(client, people.officer)
    history = client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[board.proposal.pk, state.pk])
    )
    assert history.status_code == 200 and comment in history.content.decode()
    edit_view = client.get(edit_url(board.proposal)).content.decode()
    assert "Changes requested" in edit_view or comment in edit_view

    # ... edits and resubmits: the same workflow resumes, the task is back with the Chair.
    better = REVISED + " Social value is weighted at 15 per cent."
    response = post_edit(client, board.proposal, "submit", summary=better)
    assert response.status_code == 302
    resumed = workflow_state(board.proposal)
    assert resumed.pk == first.pk and in_progress(board.proposal)
    assert WorkflowState.objects.filter(object_id=str(board.proposal.pk)).count() == 1
    assert resumed.current_task_state.revision.as_object().summary == better

    act(client, people.chair, board.proposal, "approve")
    assert fresh(board.proposal).summary == better


def test_new_page_drafted_by_an_officer_goes_live_only_when_approved(client, board, people):
    login(client, people.officer)
    url = reverse("wagtailadmin_pages:add", args=["papers", "proposalpage", board.proposals.pk])
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name in ("body", "attachments", "options_appraisal"):
        data[f"{name}-count"] = "0"
    data.update({"title": "Carers' hub", "slug": "carers-hub", "action-submit": "submit"})
    assert client.post(url, data).status_code == 302
    page = ProposalPage.objects.get(slug="carers-hub")
    assert not page.live and in_progress(page)
    assert page.owner == people.officer

    act(client, people.chair, page, "approve")
    assert fresh(page).live


def test_approval_with_a_future_go_live_date_schedules_then_publish_scheduled_publishes(
    client, board, people
):
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    submit(
        client,
        people,
        board.proposal,
        summary=REVISED,
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    act(client, people.chair, board.proposal, "approve")

    page = fresh(board.proposal)
    assert page.summary != REVISED  # not yet
    scheduled = page.scheduled_revision
    assert scheduled is not None and scheduled.approved_go_live_at is not None
    assert "wagtail.publish.schedule" in logged_actions(page)

    call_command("publish_scheduled")
    assert fresh(board.proposal).summary != REVISED  # still in the future

    # Three days on, cron runs publish_scheduled again.
    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    assert "wagtail.publish.scheduled" in logged_actions(board.proposal)
    assert fresh(board.proposal).summary == REVISED


def test_audit_log_records_each_step_with_who(client, board, people):
    already = PageLogEntry.objects.filter(page=board.proposal).count()
    submit(client, people, board.proposal, summary=REVISED)
    act(client, people.chair, board.proposal, "reject", "Not yet.")
    login(client, people.officer)
    post_edit(client, board.proposal, "submit", summary=REVISED + " Better.")
    act(client, people.chair, board.proposal, "approve", "Good.")
    client.post(reverse("wagtailadmin_pages:unpublish", args=[board.proposal.pk]))

    entries = PageLogEntry.objects.filter(page=board.proposal).order_by("pk")[already:]
    entries = PageLogEntry.objects.filter(pk__in=[e.pk for e in entries])
    who = {
        action: set(entries.filter(action=action).values_list("user__username", flat=True))
        for action in (
            "wagtail.workflow.start",
            "wagtail.workflow.reject",
            "wagtail.workflow.resume",
            "wagtail.workflow.approve",
            "wagtail.publish",
            "wagtail.unpublish",
        )
    }
    assert who == {
        "wagtail.workflow.start": {people.officer.username},
        "wagtail.workflow.reject": {people.chair.username},
        "wagtail.workflow.resume": {people.officer.username},
        "wagtail.workflow.approve": {people.chair.username},
        "wagtail.publish": {people.chair.username},
        "wagtail.unpublish": {people.chair.username},
    }
    assert all(entry.timestamp for entry in entries)

    # The Chair reads it in the admin's site history report.
    login(client, people.chair)
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200
    content = report.content.decode()
    for label in (
        "Workflow: start",
        "Workflow: reject",
        "Workflow: approve",
        "Publish",
        "Unpublish",
    ):
        assert label.lower() in content.lower(), label


def test_seed_demo_leaves_two_submissions_for_the_chair_and_runs_twice(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-pass-123", stdout=None)
    states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert states.count() >= 2
    assert {s.requested_by.username for s in states} == {"officer"}
    pages = [s.content_object.specific for s in states]
    assert any(not p.live for p in pages), "a new draft awaits approval"
    edited = [p for p in pages if p.live]
    assert edited, "an edit of a live page awaits approval"
    assert all(p.has_unpublished_changes for p in edited)
    assert all(p.summary != p.get_latest_revision_as_object().summary for p in edited)

    # The demo chair finds both on the dashboard.
    client.force_login(get_user_model().objects.get(username="chair"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    queue = dashboard.split("Awaiting your review", 1)[1]
    assert all(escape(p.title) in queue for p in pages)

    count = WorkflowState.objects.count()
    call_command("seed_demo", password="demo-pass-123", stdout=None)
    assert WorkflowState.objects.count() == count  # no second workflow on a re-run
