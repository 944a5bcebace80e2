"""The forward plan: the Key Decisions the board will advise on, by month, with the board
meeting that will consider each and the expected decision date.

Who sees what is ``papers.visibility``'s: a proposal the reader may see is listed in full; one
they may not see is listed only as the public notice of the exempt agenda item that brings it to
a meeting they may see (the item's public title and Schedule 12A paragraph, never the paper's
own title, reference or dates), and not at all if no such item exists.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import F, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import condition, require_GET

from .caching import cached_count, public_etag
from .choices import MeetingStatus, ProposalStatus
from .models import AgendaItem, MeetingPage, ProposalPage
from .models.minutes import exempt_notice
from .pagination import ListingPaginator, first_rows
from .site_address import absolute_url
from .visibility import visible_pages

# Proposals still ahead of the board (advice given, or withdrawn, or decided: not "will advise").
AHEAD = [ProposalStatus.DRAFT, ProposalStatus.FOR_CONSIDERATION]
# A page of the plan: this many months, at most this many entries of each kind (papers the
# reader may see, notices of papers they may not), so its cost never grows with the archive.
WINDOW_MONTHS = 6
WINDOW_LIMIT = 200
FURTHEST_MONTHS = 120  # ?from= reaches ten years ahead at most
UNSCHEDULED_PER_PAGE = 20
MAX_UPCOMING_ITEMS = 2000  # agenda items of meetings still to come read at most
FEED_LIMIT = 100
FEED_UNDATED = 20


@dataclass
class PlanEntry:
    title: str
    month: datetime.date | None  # the first of the month, or None when no date is known yet
    meeting: MeetingPage | None = None
    proposal: ProposalPage | None = None  # only when the reader may see it
    notice: str = ""  # an exempt item's public notice, for a paper the reader may not see
    paper_id: int | None = None  # the proposal's id, for the deadline rules (never shown)

    @property
    def expected_date(self):
        return self.proposal.expected_decision_date if self.proposal else None

    @property
    def when(self):
        """The day that places the entry: the expected decision, else the board's meeting."""
        if self.expected_date:
            return self.expected_date
        return timezone.localtime(self.meeting.start).date() if self.meeting else None


def _first_of_month(day):
    return day.replace(day=1) if day else None


def add_months(month, count):
    """The first of the month ``count`` months after (or before) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def upcoming_items(user, now):
    """Agenda items of meetings ``user`` may see, still to be held, that bring a paper."""
    meetings = visible_pages(user, MeetingPage.objects.filter(start__gte=now))
    meetings = meetings.exclude(status=MeetingStatus.CANCELLED)
    return (
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"), proposal__isnull=False)
        .select_related("meeting")
        .order_by("meeting__start", "sort_order", "pk")
    )


def key_decisions():
    """Key Decisions still ahead of the board (whoever may see them)."""
    return ProposalPage.objects.exclude(key_decision_reference="").filter(status__in=AHEAD)


class Plan:
    """The forward plan as ``user`` sees it, read a window at a time: every query is bounded by
    the window, a page of the unscheduled section or the agendas of meetings still to come,
    never by the number of papers.

    A proposal the reader may see is placed by its expected decision date, else by the first
    upcoming meeting (one they may see) whose agenda brings it; one they may not see only by
    that meeting, as its agenda item's public notice, and not at all without one.
    """

    def __init__(self, user, now=None):
        self.user = user
        self.now = now or timezone.now()
        self.this_month = timezone.localdate(self.now).replace(day=1)
        # The agendas still to come are few (a year of meetings), so read once: a subquery per
        # proposal re-tested every meeting's visibility for each of them (a minute at 10,000).
        items = upcoming_items(user, self.now).filter(proposal__in=key_decisions().values("pk"))
        first_items = {}
        for item in items[:MAX_UPCOMING_ITEMS]:
            first_items.setdefault(item.proposal_id, item)
        self.visible = visible_pages(user, key_decisions())
        seen = set(self.visible.filter(pk__in=list(first_items)).values_list("pk", flat=True))
        self.on_agenda = {pk: item for pk, item in first_items.items() if pk in seen}
        self.notice_items = [item for pk, item in first_items.items() if pk not in seen]

    @staticmethod
    def _day(item):
        return timezone.localtime(item.meeting.start).date()

    def _placed(self, first_month, end=None):
        """Papers the reader may see placed from ``first_month`` (up to ``end``)."""
        dated = Q(expected_decision_date__gte=first_month)
        agenda = [
            pk
            for pk, item in self.on_agenda.items()
            if first_month <= self._day(item) and (end is None or self._day(item) < end)
        ]
        if end is not None:
            dated &= Q(expected_decision_date__lt=end)
        return self.visible.filter(dated | Q(expected_decision_date__isnull=True, pk__in=agenda))

    def ahead(self):
        """How many entries the whole plan holds from this month on, dated or not."""
        dated = Q(expected_decision_date__gte=self.this_month)
        undated = Q(expected_decision_date__isnull=True)
        # Kept for the generation, like the unscheduled list's count: every page of the plan,
        # and every reader who sees the same papers, share it.
        return cached_count(self.visible.filter(dated | undated)) + len(self.notice_items)

    def window(self, first_month, months=WINDOW_MONTHS):
        """The entries placed in ``months`` months from ``first_month``, soonest first (at most
        ``WINDOW_LIMIT`` papers the reader may see)."""
        end = add_months(first_month, months)
        pages = self._placed(first_month, end).select_related("cabinet_committee", "service_area")
        pages = pages.order_by(F("expected_decision_date").asc(nulls_last=True), "title", "pk")
        entries = self.entries(pages[:WINDOW_LIMIT])
        entries += [
            self._notice(item) for item in self.notice_items if first_month <= self._day(item) < end
        ]
        return sorted(entries, key=lambda e: (e.when, e.title))

    def later(self, month):
        """Whether anything is placed in or after ``month``."""
        return self._placed(month).exists() or any(
            self._day(item) >= month for item in self.notice_items
        )

    def unscheduled(self):
        """Key Decisions the reader may see with no date yet (nor an upcoming meeting), or whose
        expected date has passed while they are still ahead of the board: past due first."""
        past_due = Q(expected_decision_date__lt=self.this_month)
        undated = Q(expected_decision_date__isnull=True) & ~Q(pk__in=list(self.on_agenda))
        return (
            self.visible.filter(past_due | undated)
            .select_related("cabinet_committee", "service_area")
            .order_by(F("expected_decision_date").asc(nulls_last=True), "title", "pk")
        )

    def entries(self, pages):
        return [self._entry(page) for page in pages]

    def _entry(self, page):
        item = self.on_agenda.get(page.pk)
        meeting = item.meeting if item else None
        entry = PlanEntry(page.title, None, meeting=meeting, proposal=page, paper_id=page.pk)
        entry.month = _first_of_month(entry.when)
        return entry

    def _notice(self, item):
        # The paper is not the reader's to see: the agenda's public notice only.
        notice = exempt_notice(item.exempt_paragraph) if item.is_exempt else ""
        entry = PlanEntry(
            item.public_title, None, meeting=item.meeting, notice=notice, paper_id=item.proposal_id
        )
        entry.month = _first_of_month(entry.when)
        return entry


def by_month(entries):
    return [(month, list(group)) for month, group in groupby(entries, key=lambda e: e.month)]


def _requested_month(value, this_month):
    """The month ``?from=YYYY-MM`` asks for, within the plan's reach, and an error message."""
    if not value:
        return this_month, ""
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return this_month, "The month was not understood: give it as year and month, e.g. 2027-03."
    # The plan looks forward: earlier months are this month's page, far ones the furthest.
    return min(max(month, this_month), add_months(this_month, FURTHEST_MONTHS)), ""


def _page_number(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def forward_plan(request):
    """/forward-plan/: the Key Decisions the board will advise on, by month, a window of
    months at a time, and those not yet dated or past their expected date."""
    plan = Plan(request.user)
    first, error = _requested_month(request.GET.get("from", ""), plan.this_month)
    end = add_months(first, WINDOW_MONTHS)
    # Ids first, then those rows (papers.pagination): Django's Paginator sorted every
    # unscheduled paper's whole row to take twenty.
    paginator = ListingPaginator(plan.unscheduled(), UNSCHEDULED_PER_PAGE)
    unscheduled = paginator.get_page(_page_number(request.GET.get("page")))
    previous_month = None
    if first > plan.this_month:
        previous_month = max(add_months(first, -WINDOW_MONTHS), plan.this_month)
    context = {
        "months": by_month(plan.window(first)),
        "total": plan.ahead(),
        "error": error,
        "first_month": first,
        "this_month": plan.this_month,
        "last_month": add_months(end, -1),
        "previous_month": previous_month,
        "next_month": end
        if end <= add_months(plan.this_month, FURTHEST_MONTHS) and plan.later(end)
        else None,
        "unscheduled": unscheduled,
        "unscheduled_entries": plan.entries(unscheduled.object_list),
    }
    return render(request, "papers/forward_plan.html", context)


class ForwardPlanFeed(Feed):
    """RSS 2.0 feed of the forward plan, as the public sees it (feeds are cached and shared,
    so always computed for an anonymous visitor: papers.feeds)."""

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return "Forward plan: Key Decisions the board will advise on"

    def description(self):
        return "Key Decisions coming to the Commissioning Advisory Board, by month."

    def link(self):
        return absolute_url(reverse("forward_plan"), self.request)

    def items(self):
        # The coming months, then Key Decisions not yet dated: bounded like the page.
        plan = Plan(AnonymousUser())
        entries = plan.window(plan.this_month)
        undated = plan.unscheduled().filter(expected_decision_date__isnull=True)
        return (entries + plan.entries(first_rows(undated, FEED_UNDATED)))[:FEED_LIMIT]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        parts = []
        if entry.notice:
            parts.append(entry.notice + ".")
        if entry.proposal is not None:
            page = entry.proposal
            parts.append(f"Key Decision {page.key_decision_reference}.")
            if page.decision_maker:
                parts.append(f"Decision maker: {page.decision_maker}.")
        if entry.meeting is not None:
            day = timezone.localtime(entry.meeting.start)
            parts.append(f"To be considered by the board on {day:%-d %B %Y}.")
        if entry.expected_date:
            parts.append(f"Decision expected on {entry.expected_date:%-d %B %Y}.")
        return escape(" ".join(parts))

    def item_link(self, entry):
        page = entry.proposal or entry.meeting
        if page is None:
            return self.link()
        return page.get_full_url(self.request) or absolute_url(page.url, self.request)

    def item_guid(self, entry):
        page = entry.proposal or entry.meeting
        key = f"proposal-{page.pk}" if entry.proposal else f"item-{page.pk}-{entry.title}"
        return f"{self.link()}#{key}"

    item_guid_is_permalink = False

    def item_updateddate(self, entry):
        # The feed's lastBuildDate is the latest of these: when the plan last changed, not the
        # moment it was requested (a feed that changes each second defeats readers' caching).
        page = entry.proposal or entry.meeting
        return page.last_published_at if page is not None else None


def plan_etag(request, *args, **kwargs):
    """The feeds' ETag (the cache generation) and the day: the plan also changes as meetings
    pass, which no invalidation event marks."""
    generation = public_etag(request)
    return f"{generation}-{timezone.localdate():%Y%m%d}" if generation else None


forward_plan_feed = condition(etag_func=plan_etag)(ForwardPlanFeed())
