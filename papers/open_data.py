"""Open data (/open-data/): a page linking every export the site has, and the board's records
as JSON shaped after Open Civic Data / Popolo (papers.popolo) and as CSV.

Every export reads through papers.visibility with the requester as the reader: the public get
public content only; a restricted proposal (and so its advice trail) is not there at all, and a
vote on an exempt decision is not there for anyone who may not read that decision, not even
its id or counts. Anonymous answers are cached like any public page (papers.caching: a complete
anonymous GET 200 is kept and purged on publish). The JSON comes a page of results at a time,
and each page, like each CSV, is read in a fixed number of queries whatever its length.
"""

from collections import defaultdict

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from . import popolo
from .choices import AdviceReached
from .csv_export import write_csv
from .models import (
    AgendaItem,
    CabinetCommittee,
    Decision,
    MeetingPage,
    Member,
    ProposalPage,
    RecordedVote,
    TrailStep,
)
from .open_data_docs import COLLECTIONS, CSV_EXPORTS, ID_NOTE, OTHER_EXPORTS
from .site_address import absolute_url
from .tally import VoteTally
from .visibility import (
    decision_is_readable,
    readable_decisions,
    readable_votes,
    visible_decisions,
    visible_pages,
    visible_trail_steps,
)

PAGE_SIZE = 100
# A CSV is a page of rows too: a decade of decisions as one file took 18 s to build at 10,000
# papers, and one client repeating it could hold a worker (issue 10). Spreadsheets open each
# page; ``Link: rel="next"`` names the following one.
CSV_PAGE_SIZE = 1000


def board_name():
    return getattr(settings, "WAGTAIL_SITE_NAME", "Commissioning Advisory Board")


# The columns each export reads, and no more: a page row loaded in full (body, stream fields,
# search and revision columns) cost about 1.4 ms to build, for fields no export shows.
# ``url_path`` is for each page's address (Page.get_full_url), ``path`` for a minutes page's
# meeting (``meeting_ids``).
MEETING_FIELDS = ("id", "title", "status", "start", "end", "venue", "url_path")
AGENDA_FIELDS = (
    "id",
    "meeting_id",
    "sort_order",
    "number",
    "public_title",
    "is_exempt",
    "exempt_paragraph",
    "proposal_id",
)
PROPOSAL_FIELDS = (
    "id",
    "title",
    "url_path",
    "reference",
    "summary",
    "key_decision_reference",
    "decision_maker",
    "expected_decision_date",
    "stage",
    "status",
    "service_area__name",
    "cabinet_committee__id",
)
DECISION_MINUTES_FIELDS = ("minutes__paper_date", "minutes__url_path", "minutes__path")


def decision_fields(*related):
    """Every column of a decision (an export shows them all) and only these of ``related``."""
    own = [field.attname for field in Decision._meta.concrete_fields]
    return (*own, *related)


def visible_bill_ids(user, ids):
    """Those of the proposals ``ids`` that ``user`` may see: one query over the proposals the
    page of results links, for linking records to bills."""
    proposals = ProposalPage.objects.filter(pk__in={pk for pk in ids if pk is not None})
    return set(visible_pages(user, proposals).values_list("pk", flat=True))


def meeting_ids(minutes_pages):
    """{minutes id: its meeting's id} for ``minutes_pages``, in one query (a meeting is the
    minutes' parent in the tree)."""
    parent_paths = {m.pk: m.path[: -Page.steplen] for m in minutes_pages}
    by_path = dict(
        Page.objects.filter(path__in=set(parent_paths.values())).values_list("path", "pk")
    )
    return {pk: by_path.get(path) for pk, path in parent_paths.items()}


# -- what each collection lists, for a reader ---------------------------------------------------


def events(request, rows):
    linked = [item.proposal_id for meeting in rows for item in meeting.agenda_items.all()]
    bills = visible_bill_ids(request.user, linked)
    return [popolo.event(meeting, request, bills) for meeting in rows]


def bills(request, rows):
    return [popolo.bill(proposal, request) for proposal in rows]


def motions(request, rows):
    bills = visible_bill_ids(request.user, [d.proposal_id for d in rows])
    meetings = meeting_ids({d.minutes for d in rows})
    return [
        popolo.motion(d, decision_is_readable(d, request.user), request, bills, meetings)
        for d in rows
    ]


def votes_by_decision(user, decisions):
    """{(minutes id, reference): [votes]} of the readable votes on ``decisions``, one query."""
    grouped = defaultdict(list)
    minutes = {d.minutes_id for d in decisions}
    votes = readable_votes(user, RecordedVote.objects.filter(minutes_id__in=minutes))
    for vote in votes.select_related("member").order_by("minutes_id", "sort_order"):
        grouped[(vote.minutes_id, vote.decision_reference)].append(vote)
    return grouped


def vote_events(request, rows):
    bills = visible_bill_ids(request.user, [d.proposal_id for d in rows])
    meetings = meeting_ids({d.minutes for d in rows})
    votes = votes_by_decision(request.user, rows)
    return [
        popolo.vote_event(
            d, VoteTally.of(votes[(d.minutes_id, d.reference)]), request, bills, meetings
        )
        for d in rows
    ]


def people(request, rows):
    return [popolo.person(member) for member in rows]


def organizations(request, rows):
    return list(rows)


def voted_decisions(user):
    """Decisions ``user`` may read in full that have a recorded vote ``user`` may read."""
    votes = readable_votes(user, RecordedVote.objects.all()).filter(
        minutes_id=OuterRef("minutes_id"), decision_reference=OuterRef("reference")
    )
    return readable_decisions(user, Decision.objects.all()).filter(Exists(votes))


def organization_rows(user):
    """The board, each political group with a member, and each Cabinet Committee: public
    reference data, the same for every reader."""
    groups = Member.objects.order_by("political_group").values_list("political_group", flat=True)
    return (
        [popolo.organization_board(board_name())]
        + [popolo.organization_group(name) for name in dict.fromkeys(groups)]
        + [popolo.organization_committee(c) for c in CabinetCommittee.objects.order_by("name")]
    )


DECISION_ORDER = ("minutes__paper_date", "minutes_id", "sort_order", "pk")

SOURCES = {
    "events": (
        lambda user: (
            visible_pages(user, MeetingPage.objects.only(*MEETING_FIELDS))
            .prefetch_related(
                Prefetch("agenda_items", queryset=AgendaItem.objects.only(*AGENDA_FIELDS))
            )
            .order_by("start", "pk")
        ),
        events,
    ),
    "bills": (
        lambda user: (
            visible_pages(user, ProposalPage.objects.all())
            .select_related("service_area", "cabinet_committee")
            .only(*PROPOSAL_FIELDS)
            .prefetch_related("trail__committee")
            .order_by("paper_date", "pk")
        ),
        bills,
    ),
    "motions": (
        lambda user: (
            visible_decisions(user, Decision.objects.all())
            .select_related("minutes", "cabinet_committee")
            .only(*decision_fields(*DECISION_MINUTES_FIELDS, "cabinet_committee__id"))
            .order_by(*DECISION_ORDER)
        ),
        motions,
    ),
    "vote_events": (
        lambda user: (
            voted_decisions(user)
            .select_related("minutes")
            .only(*decision_fields(*DECISION_MINUTES_FIELDS))
            .order_by(*DECISION_ORDER)
        ),
        vote_events,
    ),
    "people": (lambda user: Member.objects.order_by("name", "pk"), people),
    "organizations": (organization_rows, organizations),
}


def page_number(request):
    """``?page=`` as a whole number from 1 (1 when absent), or None for anything else."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        return None
    return int(raw)


def _error(message, status):
    return JsonResponse({"error": message}, status=status)


@require_GET
def collection(request, name):
    """/open-data/<name>.json: one Popolo collection, a page of results at a time."""
    if name not in SOURCES:
        return _error(f"No such collection: choose one of {', '.join(SOURCES)}.", 404)
    rows, build = SOURCES[name]
    number = page_number(request)
    if number is None:
        return _error("page must be a whole number, 1 or more.", 400)
    with popolo.one_site_address():
        paginator = Paginator(rows(request.user), PAGE_SIZE)
        try:
            page = paginator.page(number)
        except EmptyPage:
            return _error(f"There are {paginator.num_pages} pages of {name}.", 404)
        results = build(request, list(page.object_list))
    url = absolute_url(reverse("open_data_collection", args=[name]), request)
    return JsonResponse(
        {
            "meta": {
                "collection": name,
                "documentation": absolute_url(reverse("open_data") + f"#{name}", request),
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "page_size": PAGE_SIZE,
                "next": f"{url}?page={page.next_page_number()}" if page.has_next() else None,
                "previous": (
                    f"{url}?page={page.previous_page_number()}" if page.has_previous() else None
                ),
            },
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


# -- CSV ---------------------------------------------------------------------------------------


def decision_rows(request, decisions):
    for data in motions(request, decisions):
        yield [
            data["id"],
            data["identifier"],
            data["date"],
            data["text"],
            data["result"],
            data["reached_by"] or "",
            "yes" if data["is_exempt"] else "no",
            data["exempt_paragraph"],
            data["key_decision_reference"],
            data["bill_id"] or "",
            data["vote_event_id"] or "",
            data["sources"][0]["url"],
        ]


def trail_steps(user):
    return (
        visible_trail_steps(user, TrailStep.objects.all())
        .select_related("proposal", "committee")
        .only(
            *(field.attname for field in TrailStep._meta.concrete_fields),
            "proposal__reference",
            "proposal__title",
            "committee__name",
        )
        .order_by("proposal__paper_date", "proposal_id", "sort_order", "pk")
    )


def trail_rows(request, steps):
    for step in steps:
        data = popolo.action(step)
        extras = data["extras"]
        yield [
            popolo.bill_id(step.proposal_id),
            step.proposal.reference,
            step.proposal.title,
            step.kind,
            data["date"],
            extras["minute_reference"],
            extras["advice"],
            AdviceReached(step.reached_by).label if step.reached_by else "",
            step.committee.name if step.committee_id else "",
            extras["committee_outcome"],
            extras["decision_maker"],
            extras["key_decision_reference"],
            extras["advice_followed"],
            extras["reasons"],
            extras["call_in_ends"] or "",
            "yes" if step.called_in else "no",
            extras["link"],
        ]


def vote_rows(request, decisions):
    votes = votes_by_decision(request.user, decisions)
    for decision in decisions:
        for vote in VoteTally.of(votes[(decision.minutes_id, decision.reference)]).votes:
            yield [
                popolo.vote_event_id(decision),
                decision.reference,
                decision.minutes.paper_date.isoformat() if decision.minutes.paper_date else "",
                popolo.person_id(vote.member_id),
                vote.member.name,
                vote.member.political_group,
                vote.vote,
            ]


# (the records the reader may see, in order; their rows): a page of records at a time.
CSV_SOURCES = {
    "decisions": (SOURCES["motions"][0], decision_rows),
    "trail": (trail_steps, trail_rows),
    "votes": (SOURCES["vote_events"][0], vote_rows),
}


@require_GET
def csv_export(request, name):
    """/open-data/<name>.csv: the rows the reader may see, formula-safe (papers.csv_export),
    ``CSV_PAGE_SIZE`` records a file (``?page=2`` and so on; ``Link: rel="next"``)."""
    number = page_number(request)
    if number is None:
        return HttpResponse("page must be a whole number, 1 or more.\n", status=400)
    records, rows = CSV_SOURCES[name]
    header = [column for column, _description in CSV_EXPORTS[name]["columns"]]
    paginator = Paginator(records(request.user), CSV_PAGE_SIZE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return HttpResponse(f"There are {paginator.num_pages} pages of {name}.\n", status=404)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{page.number}" if paginator.num_pages > 1 else ""
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.csv"'
    if page.has_next():
        url = absolute_url(reverse("open_data_csv", args=[name]), request)
        response["Link"] = f'<{url}?page={page.next_page_number()}>; rel="next"'
    with popolo.one_site_address():
        write_csv(response, header, rows(request, list(page.object_list)))
    return response


def other_export_links():
    """(URL, title, description) of the exports that live elsewhere on the site."""
    links = []
    for target, title, description in OTHER_EXPORTS:
        if target.startswith("/"):
            url = target
        elif ":" in target:
            name, arg = target.split(":", 1)
            url = reverse(name, args=[arg])
        else:
            url = reverse(target)
        links.append((url, title, description))
    return links


@require_GET
def open_data(request):
    """/open-data/: every export, with what its fields mean."""
    return render(
        request,
        "papers/open_data.html",
        {
            "collections": COLLECTIONS,
            "csv_exports": CSV_EXPORTS,
            "other_exports": other_export_links(),
            "id_note": ID_NOTE,
            "page_size": PAGE_SIZE,
            "csv_page_size": CSV_PAGE_SIZE,
        },
    )
