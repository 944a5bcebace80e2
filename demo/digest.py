"""Changes for the backbench digest: three proposals (one public, one for members, one for the
board) move on in the commissioning cycle, each published by the Chair as a new revision, so the
digest of the week the demo is seeded lists them under "papers that moved stage" (with the
decisions of the minutes published that week and the items on the next meetings' agendas).

Idempotent: a proposal already at its new stage is left alone, so a later run makes no
revision (and a later week's digest is quiet, as it would be on a real site)."""

from papers.models.choices import Stage

# slug: the stage it moves to.
MOVES = {
    "voluntary-sector-strategic-grants": Stage.PLAN,  # public, from analyse
    "libraries-alternative-delivery-model": Stage.PLAN,  # members only, from analyse
    "community-transport-contract-award": Stage.REVIEW,  # board only, from do
}


def seed(ctx):
    proposals = ctx.pages["proposal_pages"]
    for slug, stage in MOVES.items():
        page = proposals.get(slug)
        if page is None or not page.live or page.stage == stage:
            continue
        page = page.specific_class.objects.get(pk=page.pk)
        page.stage = stage
        revision = page.save_revision(user=ctx.users.get("officer"), log_action=True)
        revision.publish(user=ctx.users.get("chair"), skip_permission_checks=True)
        ctx.say(f"Digest: {page.title} moved to {stage.label}")
