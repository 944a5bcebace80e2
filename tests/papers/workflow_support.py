"""Shared set-up for the roles and workflow tests: the board's sections, a user per role, and the
admin's own edit form, read back from the edit view's HTML and posted as the browser would.

Test modules import the fixtures ``board_fixture`` and ``people_fixture`` (named ``board`` and
``people``).
"""

from types import SimpleNamespace

import pytest
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from tests.admin_forms import edit_url, form_data_from_html
from tests.factories import (
    BoardMemberUserFactory,
    ChairUserFactory,
    CouncillorUserFactory,
    MeetingIndexPageFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    ProviderIndexPageFactory,
    StandardPageFactory,
    SuperuserFactory,
    TrainingIndexPageFactory,
)

ROLES = ["officer", "chair", "board_member", "councillor", "anonymous"]


@pytest.fixture(name="board")
def board_fixture(db):
    return build_board()


def build_board():
    """The five sections under the home page, a live proposal and a live 'about' sub-page."""
    proposals = ProposalIndexPageFactory()
    about = StandardPageFactory(title="About the board", slug="about")
    return SimpleNamespace(
        home=proposals.get_parent().specific,
        about=about,
        meetings=MeetingIndexPageFactory(),
        proposals=proposals,
        providers=ProviderIndexPageFactory(),
        training=TrainingIndexPageFactory(),
        proposal=published(ProposalPageFactory(parent=proposals, title="Recommission home care")),
        terms=published(
            StandardPageFactory(parent=about, title="Terms of reference", slug="terms")
        ),
    )


def published(page):
    """Publish ``page`` through a revision, as the admin does, so it has a live revision."""
    page.save_revision().publish()
    return fresh(page)


@pytest.fixture(name="people")
def people_fixture(db):
    return build_people()


def build_people():
    """A user per role, and an administrator."""
    return SimpleNamespace(
        officer=OfficerFactory(username="officer-w"),
        chair=ChairUserFactory(username="chair-w"),
        board_member=BoardMemberUserFactory(username="member-w"),
        councillor=CouncillorUserFactory(username="councillor-w"),
        admin=SuperuserFactory(username="admin-w"),
    )


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# -- the admin's edit form ------------------------------------------------------------------


def block_form_data(block, value):
    """A block value in the shape the admin's JavaScript submits it (None: leave it out)."""
    if isinstance(block, blocks.StreamBlock):
        items = [(child.block_type, block_form_data(child.block, child.value)) for child in value]
        data = {
            str(n): {"type": kind, "value": val, "deleted": "", "order": str(n)}
            for n, (kind, val) in enumerate(items)
        }
        data["count"] = str(len(items))
        return data
    if isinstance(block, blocks.StructBlock):
        data = {
            name: block_form_data(child, value.get(name))
            for name, child in block.child_blocks.items()
        }
        return {name: val for name, val in data.items() if val is not None}
    if isinstance(block, blocks.ListBlock):
        data = {
            str(n): {
                "value": block_form_data(block.child_block, item),
                "deleted": "",
                "order": str(n),
            }
            for n, item in enumerate(value)
        }
        data["count"] = str(len(value))
        return data
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source if value else "", features=block.features)
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else None
    if isinstance(block, blocks.ChooserBlock):
        return str(value.pk) if value else ""
    return "" if value is None else str(value)


def edit_form(client, page):
    """The edit view's form data as the browser would post it, with no button pressed."""
    response = client.get(edit_url(page))
    assert response.status_code == 200, f"edit view answered {response.status_code}"
    data = form_data_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript; fill them in from the draft being edited.
    draft = page.specific.get_latest_revision_as_object()
    for field in draft._meta.get_fields():
        if isinstance(field, StreamField):
            flat = nested_form_data(
                {field.name: block_form_data(field.stream_block, getattr(draft, field.name))}
            )
            for key, value in flat.items():
                data[key] = value
    return data


def post_edit(client, page, action=None, **changes):
    """Edit ``page`` in the admin and press a button: None (save draft), "submit", "publish",
    "workflow-action" (then pass workflow_action_name=...)."""
    data = edit_form(client, page)
    workflow_action = changes.pop("workflow_action_name", None)
    for name, value in changes.items():
        data[name] = value
    if action:
        data[f"action-{action}"] = action
    if workflow_action:
        data["workflow-action-name"] = workflow_action
    return client.post(edit_url(page), data)


# -- what happened --------------------------------------------------------------------------


def fresh(page):
    return type(page.specific).objects.get(pk=page.pk)


def workflow_state(page):
    return (
        WorkflowState.objects.filter(
            base_content_type=page.get_base_content_type(), object_id=str(page.pk)
        )
        .order_by("-pk")
        .first()
    )


def task_state(page):
    state = workflow_state(page)
    return state.current_task_state if state else None


def logged_actions(page):
    return list(
        PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)
    )


def in_progress(page):
    state = workflow_state(page)
    return (
        state is not None
        and state.status == WorkflowState.STATUS_IN_PROGRESS
        and state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    )
