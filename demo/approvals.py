"""Leave work in the Chair's queue: a new proposal and an edit of a live one, both submitted by the
officer for the "Chair approval" workflow. The public keeps seeing the live proposal as it was.

Idempotent: a page that has ever been through a workflow is left alone, so a second run (or a
run after the Chair has approved in the demo) starts nothing new.
"""

from datetime import date

from django.test import override_settings
from wagtail.models import WorkflowState

from papers.models import ProposalIndexPage, ProposalPage
from papers.models.choices import Audience, ProposalStatus, Stage

from .helpers import body, child

NEW_SLUG = "carers-support-services"
EDITED_SLUG = "household-waste-recycling-centres-extension"
EDIT_NOTE = (
    " Revised after the contract review meeting: the extension would now run for two years, "
    "not three, with a break clause at twelve months."
)


def seed(ctx):
    officer = ctx.users.get("officer")
    index = ctx.pages.get("proposals") or ProposalIndexPage.objects.first()
    if officer is None or index is None:
        ctx.say("Approvals: no officer or proposals section, nothing submitted.")
        return
    # Demo submissions must not email the (invented) Chair from a real mail server.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        new = child(index, NEW_SLUG) or _add_draft(index, officer)
        _submit(new, officer)
        live = child(index, EDITED_SLUG) or (
            ProposalPage.objects.child_of(index).live().filter(audience=Audience.PUBLIC).first()
        )
        if live is not None and live.live:
            if not _has_workflow(live):
                draft = live.get_latest_revision_as_object()
                draft.summary = (draft.summary or "") + EDIT_NOTE
                draft.save_revision(user=officer, log_action=True)
            _submit(live, officer)


def _add_draft(index, officer):
    page = ProposalPage(
        title="Carers' support services: recommissioning",
        slug=NEW_SLUG,
        reference="CAB/2026/004",
        paper_date=date(2026, 3, 4),
        summary=(
            "The carers' support contracts end in March 2027. This paper asks the board to "
            "advise on a single countywide carers' hub with local outreach, instead of six "
            "district contracts."
        ),
        body=body(
            NEW_SLUG,
            "About 21,000 unpaid carers are known to the council. Six district contracts give "
            "advice, short breaks and carers' assessments; the service each carer receives "
            "depends on where they live.",
            ("heading", "What the board is asked to do"),
            "Advise the Cabinet Member on the preferred model before the specification is "
            "drafted, and on the weighting for social value.",
        ),
        stage=Stage.ANALYSE,
        status=ProposalStatus.FOR_CONSIDERATION,
        audience=Audience.PUBLIC,
        live=False,
        has_unpublished_changes=True,
        owner=officer,
    )
    index.add_child(instance=page)
    page.save_revision(user=officer, log_action=True)
    return page


def _has_workflow(page):
    return WorkflowState.objects.filter(
        base_content_type=page.get_base_content_type(), object_id=str(page.pk)
    ).exists()


def _submit(page, officer):
    if _has_workflow(page):
        return
    workflow = page.get_workflow()
    if workflow is None:
        return
    workflow.start(page, officer)
