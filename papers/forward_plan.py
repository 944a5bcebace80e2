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
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import condition, require_GET

from .caching import public_etag
from .choices import MeetingStatus, ProposalStatus
from .models import AgendaItem, MeetingPage, ProposalPage
from .models.minutes import exempt_notice
from .site_address import absolute_url
from .visibility import visible_pages

# Proposals still ahead of the board (advice given, or withdrawn, or decided: not "will advise").
AHEAD = [ProposalStatus.DRAFT, ProposalStatus.FOR_CONSIDERATION]


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


def upcoming_items(user, now):
    """Agenda items of meetings ``user`` may see, still to be held, that bring a paper."""
    meetings = visible_pages(user, MeetingPage.objects.filter(start__gte=now))
    meetings = meetings.exclude(status=MeetingStatus.CANCELLED)
    return (
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"), proposal__isnull=False)
        .select_related("meeting")
        .order_by("meeting__start", "sort_order")
    )


def plan_entries(user, now=None):
    """The forward plan for ``user``, soonest first."""
    now = now or timezone.now()
    items = list(upcoming_items(user, now))
    key_decisions = ProposalPage.objects.exclude(key_decision_reference="").filter(status__in=AHEAD)
    visible = {
        page.pk: page
        for page in visible_pages(user, key_decisions).select_related(
            "cabinet_committee", "service_area"
        )
    }
    # Which papers on upcoming agendas are Key Decisions still ahead of the board (for a paper
    # the reader may not see, this one fact is what listing its public notice discloses).
    on_agendas = {item.proposal_id for item in items}
    key_ids = set(key_decisions.filter(pk__in=on_agendas).values_list("pk", flat=True))

    entries, placed = [], set()
    for item in items:
        if item.proposal_id not in key_ids or item.proposal_id in placed:
            continue
        placed.add(item.proposal_id)
        page = visible.get(item.proposal_id)
        if page is not None:
            entries.append(
                PlanEntry(page.title, None, meeting=item.meeting, proposal=page, paper_id=page.pk)
            )
        else:
            # The paper is not the reader's to see: the agenda's public notice only.
            notice = exempt_notice(item.exempt_paragraph) if item.is_exempt else ""
            entries.append(
                PlanEntry(
                    item.public_title,
                    None,
                    meeting=item.meeting,
                    notice=notice,
                    paper_id=item.proposal_id,
                )
            )
    # Key Decisions still ahead of the board but on no agenda yet.
    for page in visible.values():
        if page.pk not in placed:
            entries.append(PlanEntry(page.title, None, proposal=page, paper_id=page.pk))
    for entry in entries:
        entry.month = _first_of_month(entry.when)
    today = timezone.localdate(now)
    return sorted(
        (e for e in entries if e.when is None or e.when >= today.replace(day=1)),
        key=lambda e: (e.when is None, e.when or today, e.title),
    )


def by_month(entries):
    return [(month, list(group)) for month, group in groupby(entries, key=lambda e: e.month)]


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def forward_plan(request):
    """/forward-plan/: the Key Decisions the board will advise on, by month."""
    entries = plan_entries(request.user)
    return render(
        request, "papers/forward_plan.html", {"months": by_month(entries), "total": len(entries)}
    )


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
        return plan_entries(AnonymousUser())

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
