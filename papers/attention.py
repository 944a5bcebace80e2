"""What needs the board's attention among its contracts (issue 14, item 3).

The rules are pure functions of dates and ratings, so they can be tested day by day;
``with_flags`` states the same rules in SQL, so the register filters and counts in the database
(reading every contract into Python to filter them grew with the register), and
``flags_for`` reads them back from its columns. The reader's visibility applies: a recommissioning proposal the reader may not see counts as
none, so the register never hints at a restricted paper.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower, Trim
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


def _name_key(field):
    """A contract's name as a review names it (``rating_history``: trimmed, any case); NULL
    for an empty name, which matches no review."""
    return Case(When(**{field: ""}, then=Value(None)), default=Lower(Trim(field)))


def with_flags(contracts, user, today):
    """``contracts`` (a Contract queryset) with one boolean column per reason, the rules above
    in SQL: ``review_overdue``, ``rating_worse`` and ``ending_no_proposal``.

    A rating turned amber or red when it is red now (any earlier different rating was
    better), or amber now and the latest review rating differently (by date, then entry)
    was green, or no review rated it differently (amber from the first): exactly
    ``turned_amber_or_red`` over ``ratings``. A recommissioning proposal counts only if
    ``user`` may see it and it is not withdrawn.
    """
    reviews = ContractReview.objects.annotate(key=Lower(Trim("contract"))).filter(
        Q(key=OuterRef("title_key")) | Q(key=OuterRef("reference_key")),
        provider_id=OuterRef("provider_id"),
    )
    latest_other = reviews.exclude(rag_rating=OuterRef("rag_rating")).order_by("-date", "-pk")
    proposals = visible_pages(
        user, ProposalPage.objects.filter(pk=OuterRef("recommissioning_proposal_id"))
    ).exclude(status=ProposalStatus.WITHDRAWN)
    worse = Q(rag_rating=RagRating.RED) | Q(
        Q(previous_rating__isnull=True) | Q(previous_rating=RagRating.GREEN),
        rag_rating=RagRating.AMBER,
    )
    ending = Q(end_date__gte=today, end_date__lte=add_months(today, ENDING_WINDOW_MONTHS))
    return (
        contracts.annotate(
            title_key=_name_key("title"),
            reference_key=_name_key("contract_reference"),
        )
        .annotate(previous_rating=Subquery(latest_other.values("rag_rating")[:1]))
        .annotate(
            review_overdue=Q(review_date__lt=today, end_date__gte=today),
            rating_worse=worse,
            ending_no_proposal=ending & ~Q(Exists(proposals)),
        )
    )


def needs_attention():
    """The condition on ``with_flags`` columns: any reason at all."""
    return Q(review_overdue=True) | Q(rating_worse=True) | Q(ending_no_proposal=True)


def flags_for(contract):
    """The [Flag] of a contract read through ``with_flags``, in the fixed order of REASONS."""
    return [Flag(key) for key in REASONS if getattr(contract, key)]


def needing_attention(user, today):
    """{reason key: [contract]} over every contract ``user`` may see, each list in end-date
    order, every reason present (empty when nothing needs it): the dashboard's panel."""
    contracts = (
        with_flags(visible_contracts(user, Contract.objects.all()), user, today)
        .filter(needs_attention())
        .select_related("provider")
        .order_by("end_date", "provider__title", "sort_order")
    )
    grouped = {key: [] for key in REASONS}
    for contract in contracts:
        for flag in flags_for(contract):
            grouped[flag.key].append(contract)
    return grouped
