"""The social value page (/social-value/, issue 14 item 4): what each contract's awarding
proposal promised against what its reviews have heard was delivered, and the price / quality /
social value weightings of proposals side by side.

Everything is read through papers.visibility: a contract only where its provider page is
visible (``visible_contracts``), commitments only of proposals the reader may see
(``visible_commitments``), readings only where both are (``visible_deliveries``). A restricted
proposal's commitments or a members-only contract are neither shown nor counted in a total.
The figures are read in a fixed number of queries, whatever the number of contracts; the SVG
bars and the tables beside them are drawn from the same rows.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .choices import SocialValueUnit
from .models import Contract, ProposalPage, SocialValueCommitment, SocialValueDelivery
from .visibility import (
    visible_commitments,
    visible_contracts,
    visible_deliveries,
    visible_pages,
)

MAX_PROPOSALS = 50  # weightings compared: the newest proposals that give them
BAR_WIDTH = 400  # the bars' full width stands for BAR_SCALE per cent of the target
BAR_SCALE = 150
BAR_HEIGHT, BAR_GAP = 22, 10


@dataclass
class Row:
    """One commitment of one contract, with the latest reading of what was delivered."""

    commitment: SocialValueCommitment
    reading: SocialValueDelivery | None

    @property
    def delivered(self):
        return None if self.reading is None else self.reading.delivered

    @property
    def percent(self):
        """Delivered as a whole per cent of the target (None when unreported or no target)."""
        if self.delivered is None or not self.commitment.target:
            return None
        share = self.delivered * 100 / self.commitment.target
        return share.quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def status(self):
        if self.delivered is None:
            return "Not yet reported"
        return "Met" if self.delivered >= self.commitment.target else "Short of target"

    @property
    def shortfall(self):
        return self.delivered is not None and self.delivered < self.commitment.target

    @property
    def bar(self):
        """The bar's width in the chart: its share of target, capped at the scale."""
        if self.percent is None:
            return 0
        return round(BAR_WIDTH * min(float(self.percent), BAR_SCALE) / BAR_SCALE, 1)


@dataclass
class ContractRows:
    contract: Contract
    rows: list = field(default_factory=list)

    @property
    def chart_height(self):
        return len(self.rows) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP


@dataclass
class Total:
    """Promised and delivered for one measure and unit, added up across contracts."""

    label: str
    unit: str
    promised: Decimal = Decimal(0)
    delivered: Decimal = Decimal(0)
    commitments: int = 0
    reported: int = 0


def commitment_rows(user):
    """[ContractRows] for every contract ``user`` may see whose awarding proposal they may see
    and that carries commitments, by provider then the provider's order: four queries."""
    proposals = visible_pages(user, ProposalPage.objects.all()).values("pk")
    contracts = list(
        visible_contracts(user, Contract.objects.filter(awarded_by__in=proposals))
        .select_related("provider", "awarded_by")
        .order_by("provider__title", "sort_order", "pk")
    )
    proposal_ids = {contract.awarded_by_id for contract in contracts}
    commitments = visible_commitments(
        user, SocialValueCommitment.objects.filter(proposal_id__in=proposal_ids)
    ).order_by("sort_order", "pk")
    by_proposal = {}
    for commitment in commitments:
        by_proposal.setdefault(commitment.proposal_id, []).append(commitment)
    readings = visible_deliveries(
        user,
        SocialValueDelivery.objects.filter(
            provider_id__in={contract.provider_id for contract in contracts},
            commitment__proposal_id__in=proposal_ids,
        ),
    ).order_by("review_date", "sort_order", "pk")
    latest = {}
    for reading in readings:  # oldest first, so the last one read stays
        latest[(reading.provider_id, reading.commitment_id)] = reading
    result = []
    for contract in contracts:
        rows = [
            Row(commitment, latest.get((contract.provider_id, commitment.pk)))
            for commitment in by_proposal.get(contract.awarded_by_id, [])
        ]
        if rows:
            result.append(ContractRows(contract, rows))
    return result


def totals(groups):
    """Promised against delivered per measure and unit across contracts; shares (%) are not
    added up, so they are left out."""
    found = {}
    for group in groups:
        for row in group.rows:
            commitment = row.commitment
            if commitment.unit == SocialValueUnit.PERCENT:
                continue
            key = (commitment.get_measure_display(), commitment.unit)
            total = found.setdefault(key, Total(*key))
            total.promised += commitment.target
            total.commitments += 1
            if row.delivered is not None:
                total.delivered += row.delivered
                total.reported += 1
    return sorted(found.values(), key=lambda total: (total.label, total.unit))


def weighted_proposals(user):
    """The newest proposals ``user`` may see that give all three weightings: one query."""
    proposals = visible_pages(
        user,
        ProposalPage.objects.filter(
            price_weighting__isnull=False,
            quality_weighting__isnull=False,
            social_value_weighting__isnull=False,
        ),
    )
    return list(proposals.order_by("-paper_date", "-pk")[:MAX_PROPOSALS])


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def social_value(request):
    groups = commitment_rows(request.user)
    return render(
        request,
        "papers/social_value.html",
        {
            "groups": groups,
            "totals": totals(groups),
            "proposals": weighted_proposals(request.user),
            "max_proposals": MAX_PROPOSALS,
            "bar_width": BAR_WIDTH,
            "bar_scale": BAR_SCALE,
            "target_x": round(BAR_WIDTH * 100 / BAR_SCALE, 1),
            "bar_height": BAR_HEIGHT,
            "bar_gap": BAR_GAP,
        },
    )
