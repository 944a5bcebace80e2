"""When the Chair approves minutes, each paper they decide follows (issue 16).

Chosen: the papers are updated *in the same approval*. The Chair approved the minutes, which are
the record of the board's decisions, so a second approval of each paper would only repeat it:
when a minutes page is published, each decided proposal gets a new revision (status "Advice
given" and the board's advice from the resolution) saved and published as the approving user,
and the audit log records it. A paper with an unpublished draft (an officer's edit, perhaps
awaiting the Chair) is not published over: the decision is put on top of that draft, which goes
live when the Chair approves it. An exempt decision's resolution never becomes the advice on a
paper less restricted than the board; its public summary does.
"""

import contextlib
import contextvars
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from wagtail.log_actions import LogContext, LogFormatter, log
from wagtail.models import TaskState

from .choices import Audience, Outcome, ProposalStatus
from .models import ProposalPage

logger = logging.getLogger(__name__)

LOG_ACTION = "papers.decision_recorded"
_paused = contextvars.ContextVar("papers_decisions_follow_paused", default=False)
ADVISED = {Outcome.AGREED, Outcome.NOT_AGREED, Outcome.NOTED}
# A paper past the board's advice (or withdrawn) is not moved back by a later minute.
SETTLED = {ProposalStatus.DECISION_TAKEN, ProposalStatus.WITHDRAWN}


class DecisionRecordedFormatter(LogFormatter):
    label = "Decision recorded"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return (
            f"Status and board's advice updated from decision {data.get('decision', '')} "
            f"in the approved minutes “{data.get('minutes', '')}”"
        )


def register_log_action(actions):
    actions.register_action(LOG_ACTION)(DecisionRecordedFormatter)


def approving_user(revision):
    """Who approved ``revision``: the Chair who finished its task, else whoever saved it
    (a direct publish from the edit form saves the revision as the publisher)."""
    state = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .order_by("-finished_at")
        .first()
    )
    return state.finished_by if state else revision.user


def advice_for(decision, proposal):
    """The board's advice as the paper may show it, or None to leave the advice alone."""
    if decision.is_exempt and proposal.audience != Audience.BOARD:
        summary = decision.public_summary.strip()
        return f"<p>{escape(summary)}</p>" if summary else None
    return decision.resolution or None


def changes_for(decision, proposal):
    """The fields of ``proposal`` that ``decision`` changes (empty when nothing does)."""
    if decision.outcome not in ADVISED or proposal.status in SETTLED:
        return {}
    wanted = {"status": ProposalStatus.ADVICE_GIVEN}
    advice = advice_for(decision, proposal)
    if advice is not None:
        wanted["board_advice"] = advice
    return {name: value for name, value in wanted.items() if getattr(proposal, name) != value}


def follow(decision, minutes, user):
    proposal = ProposalPage.objects.get(pk=decision.proposal_id)
    publish_now = proposal.live and not proposal.has_unpublished_changes
    base = proposal if publish_now else proposal.get_latest_revision_as_object()
    changes = changes_for(decision, base)
    if not changes:
        return False
    for name, value in changes.items():
        setattr(base, name, value)
    revision = base.save_revision(user=user, log_action=True)
    if publish_now:
        revision.publish(user=user, skip_permission_checks=True)
    log(
        instance=proposal,
        action=LOG_ACTION,
        user=user,
        revision=revision,
        data={"minutes": minutes.title, "minutes_id": minutes.pk, "decision": decision.reference},
    )
    return True


@contextlib.contextmanager
def paused():
    """Publish minutes without touching their papers: for content loaded as it stands (the
    demo's papers carry their own curated status and advice)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def minutes_published(sender, instance, revision=None, **kwargs):
    if _paused.get():
        return
    user = approving_user(revision) if revision is not None else None
    for decision in instance.decisions.exclude(proposal=None):
        try:
            # A log context of its own: Wagtail's history shows one entry per action and
            # context, so papers sharing the Chair's request would hide each other's entries.
            with transaction.atomic(), LogContext(user=user):
                follow(decision, instance, user)
        except ValidationError as error:
            # The approval of the minutes stands; the paper is left for an officer to update.
            logger.warning(
                "Paper %s not updated from decision %s: %s",
                decision.proposal_id,
                decision.reference,
                error,
            )
