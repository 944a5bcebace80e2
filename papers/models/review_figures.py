"""The figures of the 12-month review (issue 12, item 5), counted from the records.

``compute_figures(audience, start, end)`` counts, for a period, what a reader of ``audience``
may see (``papers.visibility``, with the stand-in reader the Chair's previews use): a public
pack counts public meetings, proposals, trails and providers only, never a restricted item, not
even as a number. The result is plain JSON (``ReviewPackPage.figures`` freezes it when the page
is saved). Every query here reads a whole period at once: the number of queries does not grow
with the number of meetings, proposals or members.
"""

import datetime
import statistics

from django.db import models
from django.utils import timezone

from ..attendance import Count, Row, percentage, tally
from ..choices import (
    AdviceFollowed,
    AdviceReached,
    Audience,
    MeetingStatus,
    RagRating,
    Stage,
    TrailStepKind,
)
from ..preview import stand_in_reader
from ..visibility import visible_pages, visible_trail_steps
from ..working_days import (
    NOTICE_CLEAR_DAYS,
    REQUIRED_CLEAR_DAYS,
    clear_days,
    clear_working_days,
)
from .meetings import SEATED_ROLES, AgendaItem, MeetingAttendance, MeetingPage
from .proposals import ProposalPage
from .providers import ContractReview, ProviderProfilePage
from .snippets import Member
from .trail import TrailStep
from .training import TrainingCompletion, TrainingModulePage

# The stand-in reader (papers.preview) whose eyes each audience's pack counts with.
READER_FOR_AUDIENCE = {
    Audience.PUBLIC: "public",
    Audience.MEMBERS: "councillor",
    Audience.BOARD: "board",
}
NO_COMMITTEE = "No Cabinet Committee recorded"
NO_SERVICE_AREA = "No service area recorded"


def reader_for(audience):
    return stand_in_reader(READER_FOR_AUDIENCE.get(audience, "public"))


def one_year_from(start):
    """The last day of the twelve months that begin on ``start``."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def first_meeting_day(reader):
    """The day of the board's first held meeting that ``reader`` may see, or None."""
    first = (
        visible_pages(reader, MeetingPage.objects.filter(status=MeetingStatus.HELD))
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    return timezone.localtime(first).date() if first else None


def resolve_period(reader, start=None, end=None):
    """(start, end, is_default): a blank start is the first meeting's day, a blank end twelve
    months after the start."""
    is_default = start is None and end is None
    start = start or first_meeting_day(reader) or timezone.localdate()
    end = end or one_year_from(start)
    return start, end, is_default


def meetings_in(reader, start, end):
    """The meetings ``reader`` may see whose day falls in the period, as a queryset."""
    meetings = MeetingPage.objects.filter(start__date__gte=start, start__date__lte=end)
    return visible_pages(reader, meetings)


def attendance_rows(reader, start, end, only=None):
    """(rows, meetings) for ``papers.attendance.tally``: two queries. ``only``: the ids of the
    period's meetings to read (a page of them), or None for all."""
    meetings = meetings_in(reader, start, end)
    if only is not None:
        meetings = meetings.filter(pk__in=only)
    listed = [
        (pk, timezone.localtime(when).date(), title, status)
        for pk, when, title, status in meetings.order_by("start").values_list(
            "pk", "start", "title", "status"
        )
    ]
    days = {pk: day for pk, day, _title, _status in listed}
    records = MeetingAttendance.objects.filter(meeting__in=meetings.values("pk")).values_list(
        "meeting_id",
        "meeting__status",
        "member_id",
        "member__name",
        "member__political_group",
        "status",
        "note",
    )
    rows = [
        Row(meeting_id, days[meeting_id], status, member_id, name, group, attended, note)
        for meeting_id, status, member_id, name, group, attended, note in records.order_by(
            "meeting__start", "sort_order", "pk"
        )
    ]
    return rows, listed


def attendance(reader, start, end):
    return tally(*attendance_rows(reader, start, end))


def attendance_counts(reader, start, end):
    """``papers.attendance.Count`` of each member and status at the period's held meetings:
    one query, one row per member and status however many meetings the period holds."""
    held = meetings_in(reader, start, end).filter(status=MeetingStatus.HELD)
    counted = (
        MeetingAttendance.objects.filter(meeting__in=held.values("pk"))
        .values_list("member_id", "member__name", "member__political_group", "status")
        .annotate(count=models.Count("pk"))
        .order_by()
    )
    return [Count(*row) for row in counted]


def meeting_totals(reader, start, end):
    """(held, cancelled) meetings in the period: one query."""
    totals = meetings_in(reader, start, end).aggregate(
        held=models.Count("pk", filter=models.Q(status=MeetingStatus.HELD)),
        cancelled=models.Count("pk", filter=models.Q(status=MeetingStatus.CANCELLED)),
    )
    return totals["held"], totals["cancelled"]


def _counts(values, labels):
    """[[label, count]] for each label in order, then any other value seen, by count."""
    counted = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    ordered = [[labels[key], counted.pop(key)] for key in labels if key in counted]
    return ordered + sorted(([str(k), n] for k, n in counted.items()), key=lambda c: c[0])


def _proposal_figures(reader, start, end, held):
    """Proposals considered in the period: on the agenda of a held meeting, or with the board's
    advice dated in it, and visible to ``reader``."""
    on_agendas = AgendaItem.objects.filter(
        meeting__in=held.values("pk"), proposal__isnull=False
    ).values("proposal_id")
    advised = TrailStep.objects.filter(
        kind=TrailStepKind.BOARD, date__gte=start, date__lte=end
    ).values("proposal_id")
    considered = visible_pages(
        reader,
        ProposalPage.objects.filter(pk__in=on_agendas)
        | ProposalPage.objects.filter(pk__in=advised),
    )
    rows = list(considered.values_list("stage", "service_area__name"))
    return {
        "considered": len(rows),
        "by_stage": _counts([stage for stage, _ in rows], dict(Stage.choices)),
        "by_service_area": _counts([area or NO_SERVICE_AREA for _, area in rows], {}),
    }


def _trail_figures(reader, start, end):
    """Advice given, the share followed by Cabinet Committee, days from advice to decision and
    decisions taken without advice: one query over the trails of the period's proposals."""
    in_period = TrailStep.objects.filter(date__gte=start, date__lte=end)
    proposals = in_period.values("proposal_id")
    steps = list(
        visible_trail_steps(reader, TrailStep.objects.filter(proposal__in=proposals))
        .select_related("committee", "proposal__cabinet_committee")
        .order_by("proposal_id", "date", "sort_order")
    )
    trails = {}
    for step in steps:
        trails.setdefault(step.proposal_id, []).append(step)

    advice = [
        s
        for s in steps
        if s.kind == TrailStepKind.BOARD and s.advice.strip() and start <= s.date <= end
    ]
    decisions = [
        s
        for s in steps
        if s.kind == TrailStepKind.KEY_DECISION and s.advice_followed and start <= s.date <= end
    ]
    committees, days, without_advice = {}, [], []
    for decision in decisions:
        trail = trails[decision.proposal_id]
        reported = [s for s in trail if s.kind == TrailStepKind.COMMITTEE and s.committee]
        committee = reported[-1].committee if reported else decision.proposal.cabinet_committee
        name = committee.name if committee else NO_COMMITTEE
        counts = committees.setdefault(name, {AdviceFollowed(v): 0 for v in AdviceFollowed})
        counts[decision.advice_followed] += 1
        before = [
            s
            for s in trail
            if s.kind == TrailStepKind.BOARD and s.advice.strip() and s.date <= decision.date
        ]
        if before:
            days.append((decision.date - before[-1].date).days)
        else:
            without_advice.append(decision)
    followed = _followed_row("All Cabinet Committees", _sum_counts(committees.values()))
    return (
        {
            "advice": {
                "given": len(advice),
                "by_reached": _counts([s.reached_by for s in advice], dict(AdviceReached.choices)),
            },
            "advice_followed": {
                **followed,
                "by_committee": [_followed_row(n, c) for n, c in sorted(committees.items())],
            },
            "days_to_decision": {
                "median": _median(days),
                "decisions": len(days),
                "shortest": min(days) if days else None,
                "longest": max(days) if days else None,
            },
        },
        without_advice,
        decisions,
    )


def _median(days):
    """The median number of days (a whole number unless it falls between two), or None."""
    if not days:
        return None
    middle = statistics.median(days)
    return int(middle) if middle == int(middle) else middle


def _sum_counts(counts):
    total = {AdviceFollowed(v): 0 for v in AdviceFollowed}
    for each in counts:
        for key, n in each.items():
            total[key] += n
    return total


def _followed_row(name, counts):
    decisions = sum(counts.values())
    return {
        "committee": name,
        "decisions": decisions,
        "followed": counts[AdviceFollowed.FOLLOWED],
        "partly": counts[AdviceFollowed.PARTLY],
        "not_followed": counts[AdviceFollowed.NOT_FOLLOWED],
        "share": percentage(counts[AdviceFollowed.FOLLOWED], decisions),
    }


def _day(value):
    return f"{value:%-d %B %Y}"


def _deadline_figures(held, decisions, without_advice):
    """The deadline rules (papers.deadlines) applied to the period's past meetings and Key
    Decisions. Only what the records date can be judged: a meeting with no agenda publication
    date, or a proposal with no date, is counted as "not recorded", never as missed."""
    missed, unrecorded = [], {"agenda": 0, "notice": 0}
    for meeting in held.order_by("start").only("title", "start", "agenda_published_on"):
        day = timezone.localtime(meeting.start).date()
        if meeting.agenda_published_on is None:
            unrecorded["agenda"] += 1
            continue
        clear = clear_working_days(meeting.agenda_published_on, day)
        if clear < REQUIRED_CLEAR_DAYS:
            missed.append(
                {
                    "rule": "agenda",
                    "what": f"Meeting on {_day(day)}",
                    "detail": f"agenda published with {clear} clear working days' notice "
                    f"({REQUIRED_CLEAR_DAYS} required)",
                }
            )
    for decision in decisions:
        paper_date = decision.proposal.paper_date
        if paper_date is None:
            unrecorded["notice"] += 1
            continue
        clear = clear_days(paper_date, decision.date)
        if clear < NOTICE_CLEAR_DAYS:
            missed.append(
                {
                    "rule": "notice",
                    "what": f"Key Decision {decision.key_decision_reference or ''} on "
                    f"{_day(decision.date)}".replace("  ", " "),
                    "detail": f"paper published {clear} clear days before the decision "
                    f"({NOTICE_CLEAR_DAYS} required)",
                }
            )
    for decision in without_advice:
        missed.append(
            {
                "rule": "advice",
                "what": f"Key Decision {decision.key_decision_reference or ''} on "
                f"{_day(decision.date)}".replace("  ", " "),
                "detail": "taken with no board advice recorded before it",
            }
        )
    by_rule = {rule: sum(1 for m in missed if m["rule"] == rule) for rule in RULES}
    return {"missed": len(missed), "by_rule": by_rule, "unrecorded": unrecorded, "items": missed}


RULES = ("agenda", "notice", "advice")


def _provider_figures(reader, start, end):
    providers = visible_pages(reader, ProviderProfilePage.objects.all()).values("pk")
    reviews = list(
        ContractReview.objects.filter(
            provider__in=providers, date__gte=start, date__lte=end
        ).values_list("provider_id", "rag_rating")
    )
    return {
        "reviews": len(reviews),
        "providers": len({provider for provider, _ in reviews}),
        "by_rag": _counts([rag for _, rag in reviews], dict(RagRating.choices)),
    }


def _training_figures(reader, end):
    """Completion, by the end of the period, of each training module ``reader`` may see, by
    the board's current seated members who have a sign-in account (completions are recorded
    against accounts)."""
    modules = list(visible_pages(reader, TrainingModulePage.objects.all()).order_by("path"))
    users = Member.objects.filter(
        is_current=True, board_role__in=SEATED_ROLES, user__isnull=False
    ).values_list("user_id", flat=True)
    users = set(users)
    done = {}
    completions = TrainingCompletion.objects.filter(
        module__in=[m.pk for m in modules], user__in=users, completed_on__lte=end
    ).values_list("module_id", "user_id")
    for module_id, user_id in completions:
        done.setdefault(module_id, set()).add(user_id)
    required = [m.pk for m in modules if m.required_for_board_papers]
    all_required = (
        sum(1 for user in users if all(user in done.get(pk, ()) for pk in required))
        if required
        else None
    )
    return {
        "members": len(users),
        "modules": [
            {
                "title": module.title,
                "required": module.required_for_board_papers,
                "done": len(done.get(module.pk, ())),
                "of": len(users),
                "rate": percentage(len(done.get(module.pk, ())), len(users)),
            }
            for module in modules
        ],
        "completed_required": all_required,
    }


def compute_figures(audience, start=None, end=None):
    """Every figure of the review pack for ``audience`` over the period (blank: the first
    twelve months from the board's first meeting), as JSON-ready data."""
    reader = reader_for(audience)
    start, end, is_default = resolve_period(reader, start, end)
    meetings = meetings_in(reader, start, end)
    held = meetings.filter(status=MeetingStatus.HELD)
    present = attendance(reader, start, end)
    trails, without_advice, decisions = _trail_figures(reader, start, end)
    return {
        "audience": audience,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "default": is_default},
        "counted_at": timezone.now().isoformat(timespec="seconds"),
        "meetings": {
            "held": present.held,
            "cancelled": present.cancelled,
            "list": [
                {**m.as_dict(), "date": m.date.isoformat(), "status": m.status}
                for m in present.meetings
                if m.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED)
            ],
        },
        "attendance": {
            "total": present.total.as_dict(),
            "members": [t.as_dict() for t in present.members],
            "groups": [t.as_dict() for t in present.groups],
        },
        "proposals": _proposal_figures(reader, start, end, held),
        **trails,
        "deadlines": _deadline_figures(held, decisions, without_advice),
        "providers": _provider_figures(reader, start, end),
        "training": _training_figures(reader, end),
    }
