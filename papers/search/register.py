"""The decisions register: every decision the reader may see, newest first."""

from django.db import DatabaseError
from django.db.models import OuterRef, Subquery
from wagtail.search.backends import get_search_backend

from ..caching import cached_rows
from ..models import CabinetCommittee, Decision, TrailStep
from ..models.choices import AdviceFollowed, Outcome, TrailStepKind
from ..pagination import ListingPaginator
from ..visibility import (
    minutes_of_visible_decisions,
    readable_decisions,
    reads_any_exempt,
    visible_decisions,
    visible_trail_steps,
)
from . import forms as search_params
from .query import parse
from .scoring import ENGINE_WINDOW, uses_database_backend

PAGE_SIZE = 25
# Newest minutes first, each minutes' decisions in their order; the pk makes it a total order.
REGISTER_ORDER = ("-minutes__paper_date", "-minutes_id", "sort_order", "pk")
KEY_DECISION = {"yes": "Key Decisions only", "no": "Not Key Decisions"}


def matching_ids(readable, query, with_exempt):
    """Decisions matching ``query`` among ``readable``: a subquery, or ids from Elasticsearch.

    An exempt decision is matched by its words only for those who read exempt business
    (``with_exempt``); the register still lists it to others, as its notice.
    """
    backend = get_search_backend()
    if uses_database_backend(backend):
        # A search backend filters by indexed fields only: the reader's narrowing (a join to
        # the minutes' page) goes in as ``pk IN (subquery)``, run inside the search's query.
        within = Decision.objects.filter(pk__in=readable.values("pk"))
        results = backend.search(query, within, order_by_relevance=False)
        return results.get_queryset().order_by().values("pk")
    searchable = Decision.objects.all()
    if not with_exempt:
        searchable = searchable.filter(is_exempt=False)
    found = backend.search(query, searchable, order_by_relevance=True)
    return [decision.pk for decision in found[:ENGINE_WINDOW]]


def register_rows(ids):
    """The register's rows of ``ids`` (already chosen among those the reader may see), in full."""
    decisions = Decision.objects.filter(pk__in=ids).select_related("minutes", "cabinet_committee")
    return decisions.order_by(*REGISTER_ORDER)


def decision_years(user):
    """The years (newest first) with decisions ``user`` may see, read from their minutes."""
    minutes = minutes_of_visible_decisions(user, Decision.objects.all())
    return [d.year for d in cached_rows(minutes.dates("paper_date", "year", order="DESC"))]


def key_decision_steps(user):
    """The Key Decision steps with a recorded answer of the trails of proposals ``user`` may see."""
    steps = visible_trail_steps(user, TrailStep.objects.filter(kind=TrailStepKind.KEY_DECISION))
    return steps.exclude(advice_followed="")


def advice_followed_by_proposal(user, proposal_ids):
    """{proposal id: whether its Key Decision followed the board's advice} for the proposals
    (of ``proposal_ids``: a page's) ``user`` may see: the latest Key Decision step of each
    trail."""
    steps = key_decision_steps(user).filter(proposal_id__in=proposal_ids)
    steps = steps.order_by("proposal_id", "date", "sort_order", "pk")
    return dict(steps.values_list("proposal_id", "advice_followed"))


def proposals_whose_advice(user, wanted):
    """The proposals ``user`` may see whose latest Key Decision step answers one of ``wanted``,
    as a subquery (steps are few; never a list of ids read into Python)."""
    answered = TrailStep.objects.filter(kind=TrailStepKind.KEY_DECISION).exclude(advice_followed="")
    # The same "latest" as ``advice_followed_by_proposal``'s ordering, read from the other end.
    # Chosen among all steps, then the visibility test applied once outside: every step of a
    # trail is exactly as visible as its proposal, so this is the same answer without repeating
    # the visibility test per step inside the correlated subquery.
    latest = answered.filter(proposal_id=OuterRef("proposal_id")).order_by(
        "-date", "-sort_order", "-pk"
    )
    latest_steps = answered.filter(pk=Subquery(latest.values("pk")[:1]))
    latest_steps = visible_trail_steps(user, latest_steps.filter(advice_followed__in=wanted))
    return latest_steps.values("proposal_id")


def _followed(value):
    return AdviceFollowed(value) if value in AdviceFollowed.values else None


def register_context(request):
    querydict = request.GET
    params = search_params.read(querydict, ("outcome", "committee", "advice"))
    messages = list(params.messages)
    visible = visible_decisions(request.user, Decision.objects.all())
    years = decision_years(request.user)

    decisions = visible
    if params.selected["outcome"]:
        decisions = decisions.filter(outcome__in=params.selected["outcome"])
    if params.selected["committee"]:
        decisions = decisions.filter(cabinet_committee__slug__in=params.selected["committee"])
    if params.selected["advice"]:
        wanted = sorted(params.selected["advice"])
        decisions = decisions.filter(proposal_id__in=proposals_whose_advice(request.user, wanted))
    year = querydict.get("year", "")
    if year:
        if year.isdigit() and int(year) in years:
            decisions = decisions.filter(minutes__paper_date__year=int(year))
        else:
            messages.append("There are no decisions for that year, so all years are shown.")
            year = ""
    key = querydict.get("key", "")
    if key == "yes":
        decisions = decisions.exclude(key_decision_reference="")
    elif key == "no":
        decisions = decisions.filter(key_decision_reference="")
    else:
        key = ""
    parsed = parse(params.q)
    messages += parsed.messages
    if parsed:
        try:
            readable = readable_decisions(request.user, Decision.objects.all())
            found = matching_ids(readable, parsed.query, reads_any_exempt(request.user))
            # Found by their words only among those the reader may read in full.
            decisions = decisions.filter(pk__in=found).filter(pk__in=readable.values("pk"))
        except DatabaseError:
            messages.append("Search could not run for those words. Try different words.")
            decisions = decisions.none()

    decisions = decisions.order_by(*REGISTER_ORDER)
    paginator = ListingPaginator(decisions, PAGE_SIZE, rows=register_rows)
    page = paginator.get_page(params.page)
    shown = {decision.proposal_id for decision in page.object_list if decision.proposal_id}
    advice = advice_followed_by_proposal(request.user, shown) if shown else {}
    extra = {"year": year, "key": key}

    def link(number):
        query = params.querystring(page=number)
        more = "&".join(f"{k}={v}" for k, v in extra.items() if v)
        return "?" + "&".join(filter(None, [query, more]))

    return {
        "params": params,
        "parsed": parsed,
        "notices": messages,
        "results_page": page,
        "total": paginator.count,
        # Each with whether its Key Decision followed the board's advice: only for proposals
        # the reader may see (None otherwise, as for one without a Key Decision yet).
        "decisions": [
            (d, d.get_url(request), _followed(advice.get(d.proposal_id))) for d in page.object_list
        ],
        "advice_choices": AdviceFollowed.choices,
        "years": years,
        "year": year,
        "key": key,
        "key_choices": KEY_DECISION,
        "outcomes": Outcome.choices,
        "committees": CabinetCommittee.objects.order_by("name"),
        "previous_url": link(page.number - 1) if page.has_previous() else None,
        "next_url": link(page.number + 1) if page.has_next() else None,
        "filtered": bool(params.has_filters or year or key or parsed),
    }
