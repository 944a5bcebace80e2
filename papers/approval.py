"""What the Chair's approval publishes: exactly the revision the Chair reviewed.

Wagtail's default (``wagtail.workflows.publish_workflow_state``) publishes the page's *latest*
revision when the workflow finishes, even if someone saved a newer one after it was submitted
(issue 9: an officer reverted the page through the admin API while it was with the Chair).
``WAGTAIL_FINISH_WORKFLOW_ACTION`` points here instead:

- the revision the approved task was on (what was submitted, and what the Chair's preview of the
  task shows) is published;
- a newer revision counts only when someone who may publish the page saved it (the Chair editing
  the page and approving from the edit form approves what the edit form showed);
- any other newer revision stays an unpublished draft, and the mismatch is logged.

Wagtail imports this while it defines its models, so this module imports none of them.
"""

import logging

logger = logging.getLogger(__name__)


def revision_to_publish(workflow_state):
    page = workflow_state.content_object
    task_state = workflow_state.current_task_state
    approved = task_state.revision if task_state is not None else None
    latest = page.get_latest_revision()
    if approved is None or latest is None or latest.pk == approved.pk:
        return latest or approved
    author = latest.user
    if author is not None and page.permissions_for_user(author).can_publish():
        return latest
    logger.warning(
        "Page %s: revision %s was saved by %s after revision %s was submitted; "
        "publishing the submitted revision only.",
        page.pk,
        latest.pk,
        author,
        approved.pk,
    )
    return approved


def publish_approved_revision(workflow_state, user=None):
    """``WAGTAIL_FINISH_WORKFLOW_ACTION``: publish (or schedule) the reviewed revision."""
    revision_to_publish(workflow_state).publish(user=user)
