"""The "Chair approval" workflow: one Wagtail group approval task for the Chair group.

Wagtail does the rest natively: submitting starts the workflow and emails the Chair; approving the
(last) task publishes the latest revision, or schedules it when it has a future go-live date;
"Request changes" sends it back to the officer with the Chair's comment, and the officer's next
"Resubmit" resumes the same workflow. Every step is written to the audit log.
"""

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

WORKFLOW_NAME = "Chair approval"
TASK_NAME = "Chair approves publication"


def ensure_chair_workflow(chair_group):
    """The workflow with exactly one active task, approved by the Chair group. Idempotent."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    if list(task.groups.all()) != [chair_group]:
        task.groups.set([chair_group])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def assign_chair_approval(page, workflow):
    """Put ``page`` and everything below it under ``workflow``."""
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
