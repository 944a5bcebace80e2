"""What needs the board's attention among its contracts (issue 14, item 3).

The rules are pure functions of dates and ratings, so they can be tested day by day; the
``flags_for`` step reads what they need from the database once for a whole list of contracts.
The reader's visibility applies: a recommissioning proposal the reader may not see counts as
none, so the register never hints at a restricted paper.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone

from .choices import ProposalStatus, RagRating
from .models import Contract, ContractReview, ProposalPage
from .performance import rating_history
from .visibility import visible_contracts, visible_pages

ENDING_WINDOW_MONTHS = 18
WORSE = {RagRating.GREEN: 0, RagRating.AMBER: 1, RagRating.RED: 2}
CONCERNING = (RagRating.AMBER, RagRating.RED)

REVIEW_OVERDUE = "review_overdue"
RATING_WORSE = "rating_worse"
ENDING_NO_PROPOSAL = "ending_no_proposal"
REASONS = {
    REVIEW_OVERDUE: "Review overdue",
    RATING_WORSE: "Rating turned amber or red",
    ENDING_NO_PROPOSAL: "Ends within 18 months, no recommissioning proposal yet",
}


@dataclass(frozen=True)
class Flag:
    key: str

    @property
    def label(self):
        return REASONS[self.key]


def today():
    """The day the rules are judged on (the site's time zone); tests set it."""
    return timezone.localdate()


def add_months(day, months):
    """``day`` moved by whole months, on the last day of a shorter month (31 Aug + 6 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_overdue(review_date, end_date, today):
    """A review was due before today, and the contract is still running."""
    return review_date is not None and review_date < today and end_date >= today


def turned_amber_or_red(ratings):
    """The latest of ``ratings`` (oldest first) is amber or red and worse than the one before
    it; a first rating that is amber or red counts as a turn. Repeats are not turns."""
    changes = [r for i, r in enumerate(ratings) if i == 0 or r != ratings[i - 1]]
    if not changes or changes[-1] not in CONCERNING:
        return False
    return len(changes) == 1 or WORSE[changes[-1]] > WORSE[changes[-2]]


def ending_without_proposal(end_date, today, has_proposal):
    """The contract ends within 18 months (and has not ended) and no proposal to recommission
    it has reached the analyse stage: the report's "engage Members early"."""
    window_end = add_months(today, ENDING_WINDOW_MONTHS)
    return not has_proposal and today <= end_date <= window_end


def flags(*, review_date, end_date, ratings, has_proposal, today):
    """Every reason a contract needs the board's attention, in a fixed order."""
    found = []
    if review_overdue(review_date, end_date, today):
        found.append(Flag(REVIEW_OVERDUE))
    if turned_amber_or_red(ratings):
        found.append(Flag(RATING_WORSE))
    if ending_without_proposal(end_date, today, has_proposal):
        found.append(Flag(ENDING_NO_PROPOSAL))
    return found


def ratings(contract, reviews):
    """The contract's ratings oldest first: at each of its reviews, then now."""
    return [entry.rating for entry in rating_history(contract, reviews)]


def reviews_by_provider(contracts):
    """Every review of the contracts' providers, grouped by provider id: one query."""
    grouped = {}
    provider_ids = {c.provider_id for c in contracts}
    for review in ContractReview.objects.filter(provider_id__in=provider_ids):
        grouped.setdefault(review.provider_id, []).append(review)
    return grouped


def proposals_in_hand(contracts, user):
    """Ids of the contracts' recommissioning proposals that ``user`` may see and that are not
    withdrawn: one query."""
    ids = {c.recommissioning_proposal_id for c in contracts if c.recommissioning_proposal_id}
    if not ids:
        return set()
    proposals = visible_pages(user, ProposalPage.objects.filter(pk__in=ids))
    proposals = proposals.exclude(status=ProposalStatus.WITHDRAWN)
    return set(proposals.values_list("pk", flat=True))


def flags_for(contracts, user, today):
    """{contract pk: [Flag]} for each of ``contracts`` (a list) as ``user`` may know them."""
    contracts = list(contracts)
    if not contracts:
        return {}
    reviews = reviews_by_provider(contracts)
    in_hand = proposals_in_hand(contracts, user)
    return {
        contract.pk: flags(
            review_date=contract.review_date,
            end_date=contract.end_date,
            ratings=ratings(contract, reviews.get(contract.provider_id, [])),
            has_proposal=contract.recommissioning_proposal_id in in_hand,
            today=today,
        )
        for contract in contracts
    }


def needing_attention(user, today):
    """{reason key: [contract]} over every contract ``user`` may see, each list in end-date
    order, every reason present (empty when nothing needs it): the dashboard's panel."""
    contracts = list(
        visible_contracts(user, Contract.objects.all())
        .select_related("provider")
        .order_by("end_date", "provider__title", "sort_order")
    )
    found = flags_for(contracts, user, today)
    grouped = {key: [] for key in REASONS}
    for contract in contracts:
        for flag in found[contract.pk]:
            grouped[flag.key].append(contract)
    return grouped
