"""This site's migration home/0004 removes Wagtail's default groups and workflow once, on a
fresh database only (the add-on's papers/0002, which did it before, is now a no-op)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

migration = import_module("home.migrations.0004_remove_wagtail_default_roles")
addon_migration = import_module("papers.migrations.0002_remove_wagtail_default_roles")

pytestmark = pytest.mark.django_db


def wagtails_defaults():
    """What Wagtail's own migrations create on a fresh database."""
    root = Page.get_first_root_node()
    editors = Group.objects.create(name="Editors")
    moderators = Group.objects.create(name="Moderators")
    for group in (editors, moderators):
        GroupPagePermission.objects.create(group=group, page=root, permission_type="change")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)
    return workflow


def test_the_add_on_leaves_the_host_sites_groups_alone():
    assert [op.code for op in addon_migration.Migration.operations] == [
        addon_migration.migrations.RunPython.noop
    ]


def test_a_fresh_database_loses_wagtails_default_groups_and_workflow():
    wagtails_defaults()
    migration.remove_defaults(apps, schema_editor=None)
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not GroupApprovalTask.objects.filter(name="Moderators approval").exists()
    assert not GroupPagePermission.objects.filter(page=Page.get_first_root_node()).exists()


def test_a_database_cleared_before_keeps_a_group_made_since_under_a_default_name():
    # papers/0002 ran here before it became a no-op: Wagtail's workflow is gone.
    editors = Group.objects.create(name="Editors")
    migration.remove_defaults(apps, schema_editor=None)
    assert Group.objects.filter(pk=editors.pk).exists()
