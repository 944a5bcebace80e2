"""This site removes what a fresh Wagtail install grants by default.

Wagtail's own migrations create an "Editors" and a "Moderators" group with add/change (and, for
moderators, publish) rights on the root page, admin access and document/image rights, and a
"Moderators approval" workflow on the root page. On this site only the groups set up by the
board papers add-on (``papers.roles``: Officers, Chair, Board members, Members) hold rights, and
only the "Chair approval" workflow moderates. A migration (run once) rather than the post_migrate
set-up, so that a group an administrator later chooses to call "Editors" is never deleted on a
deploy.

The add-on's ``papers/0002`` did this until it became a no-op (it is the site's business, not the
add-on's). On a database where it ran, Wagtail's workflow is gone or retired already; then this
migration leaves everything as it is, so a group created since under one of these names stays.
"""

from django.db import migrations

DEFAULT_GROUPS = ["Editors", "Moderators"]
DEFAULT_WORKFLOW = "Moderators approval"


def remove_defaults(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")

    if not Workflow.objects.filter(name=DEFAULT_WORKFLOW, active=True).exists():
        return  # removed already, by papers/0002 before it became a no-op (see above)
    for workflow in Workflow.objects.filter(name=DEFAULT_WORKFLOW):
        tasks = Task.objects.filter(workflow_tasks__workflow=workflow, name=DEFAULT_WORKFLOW)
        if WorkflowState.objects.filter(workflow=workflow).exists():
            # It has been used: keep its history, but take it off every page and retire it.
            WorkflowPage.objects.filter(workflow=workflow).delete()
            WorkflowContentType.objects.filter(workflow=workflow).delete()
            workflow.active = False
            workflow.save(update_fields=["active"])
            tasks.update(active=False)
        else:
            task_ids = list(tasks.values_list("pk", flat=True))
            workflow.delete()  # cascades to its WorkflowPage and WorkflowTask rows
            Task.objects.filter(pk__in=task_ids, task_states__isnull=True).delete()

    # Deleting the groups cascades to their page, collection and site permissions and memberships.
    Group.objects.filter(name__in=DEFAULT_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_create_homepage"),
        # After the add-on's former removal, so that an existing database keeps its order.
        ("papers", "0002_remove_wagtail_default_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(remove_defaults, migrations.RunPython.noop)]
