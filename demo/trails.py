"""Advice trails: what became of the board's advice on each proposal it considered, step by step
(the board's meeting, the Cabinet Committee, the Key Decision, call-in). Includes advice that was
not followed, on a public proposal and on a board-only one.

Added as a revision by the officer and published by the Chair, as an officer would record it.
Idempotent: a proposal that already has a trail is left alone.
"""

from datetime import date

from django.utils import timezone

from papers.models import ProposalPage, TrailStep
from papers.models.choices import (
    AdviceFollowed,
    AdviceReached,
    CommitteeOutcome,
    ProposalStatus,
    TrailStepKind,
)

from .proposals import ASC, CYPE, ET, GEDC, PR

DEMOCRACY = "https://democracy.example.gov.uk"


def board(meeting, minute, advice, reached):
    return {
        "kind": TrailStepKind.BOARD,
        "meeting": meeting,
        "minute_reference": minute,
        "advice": advice,
        "reached_by": reached,
    }


def committee(day, name, outcome, slug):
    return {
        "kind": TrailStepKind.COMMITTEE,
        "date": day,
        "committee": name,
        "committee_outcome": outcome,
        "link": f"{DEMOCRACY}/committees/{slug}/{day:%Y-%m-%d}",
    }


def decision(day, maker, reference, followed, reasons=""):
    return {
        "kind": TrailStepKind.KEY_DECISION,
        "date": day,
        "decision_maker": maker,
        "key_decision_reference": reference,
        "advice_followed": followed,
        "reasons": reasons,
        "link": f"{DEMOCRACY}/decisions/{reference.replace('/', '-')}",
    }


def call_in(day, ends, called_in=False):
    return {
        "kind": TrailStepKind.CALL_IN,
        "date": day,
        "call_in_ends": ends,
        "called_in": called_in,
    }


TRAILS = {
    "recommission-home-care": [
        board(
            "2025-03-12",
            "CAB/25/002",
            "Support option 2 (twelve zones with a lead provider), with price weighted at no "
            "more than 40% and a rurality payment for rural zones.",
            AdviceReached.MAJORITY,
        ),
        committee(date(2025, 3, 25), ASC, CommitteeOutcome.ENDORSED, "asc"),
        decision(
            date(2025, 4, 2),
            "Cabinet Member for Adult Social Care",
            "25/00012",
            AdviceFollowed.FOLLOWED,
        ),
        call_in(date(2025, 4, 3), date(2025, 4, 10)),
    ],
    "total-facilities-management-contract": [
        board(
            "2025-07-09",
            "CAB/25/005",
            "Hold the break clause in reserve and hold a six-month contract review meeting "
            "with the provider before any decision to exercise it.",
            AdviceReached.CONSENSUS,
        ),
        committee(date(2025, 7, 22), PR, CommitteeOutcome.ENDORSED_WITH_CHANGES, "pr"),
        decision(
            date(2025, 8, 5),
            "Cabinet Member for Corporate and Traded Services",
            "25/00031",
            AdviceFollowed.NOT_FOLLOWED,
            "The Cabinet Member gave notice under the break clause for the east lot at once: "
            "the first-quarter deductions showed the provider could not recover in six months.",
        ),
        call_in(date(2025, 8, 6), date(2025, 8, 13), called_in=True),
    ],
    "libraries-alternative-delivery-model": [
        board(
            "2025-07-09",
            "CAB/25/003",
            "Defer advice until a full business case, including the effect on rural "
            "libraries, is brought to the board.",
            AdviceReached.RECORDED_VOTE,
        ),
        committee(date(2025, 9, 16), GEDC, CommitteeOutcome.DEFERRED, "gedc"),
    ],
    "supported-living-procurement": [
        board(
            "2025-07-09",
            "CAB/25/004",
            "Note progress; keep the social value questions in the final tender.",
            AdviceReached.CONSENSUS,
        ),
        committee(date(2025, 9, 23), ASC, CommitteeOutcome.ENDORSED, "asc"),
        decision(
            date(2026, 1, 12),
            "Cabinet Member for Adult Social Care",
            "25/00047",
            AdviceFollowed.PARTLY,
            "The social value questions were kept, but their weighting was cut from 15% to "
            "10% to keep the price within the budget.",
        ),
        call_in(date(2026, 1, 13), date(2026, 1, 20)),
    ],
    "sen-home-to-school-transport": [
        board(
            "2026-01-14",
            "CAB/26/003",
            "Support a dynamic purchasing system with quality weighted at 40%.",
            AdviceReached.RECORDED_VOTE,
        ),
        committee(date(2026, 1, 27), CYPE, CommitteeOutcome.NOT_ENDORSED, "cype"),
        decision(
            date(2026, 2, 10),
            "Cabinet Member for Education and Skills",
            "26/00004",
            AdviceFollowed.NOT_FOLLOWED,
            "Quality was weighted at 30%, not 40%: the Cabinet Member judged the transport "
            "budget could not bear the higher prices a 40% quality weighting would bring.",
        ),
        call_in(date(2026, 2, 11), date(2026, 2, 18)),
    ],
    "household-waste-recycling-centres-extension": [
        board(
            "2026-09-16",
            "CAB/26/006",
            "Support the two-year extension.",
            AdviceReached.CONSENSUS,
        ),
        committee(date(2026, 9, 24), ET, CommitteeOutcome.ENDORSED, "et"),
        decision(
            date(2026, 10, 1),
            "Cabinet Member for Environment",
            "26/00061",
            AdviceFollowed.FOLLOWED,
        ),
        call_in(date(2026, 10, 2), date(2026, 10, 9)),
    ],
    "voluntary-sector-strategic-grants": [
        board(
            "2026-09-16",
            "CAB/26/005",
            "Develop options 1 and 3 and bring them back to the board in January 2027.",
            AdviceReached.MAJORITY,
        ),
    ],
}


def steps_for(ctx, spec):
    meetings = ctx.pages.get("meeting_pages", {})
    steps = []
    for order, fields in enumerate(spec):
        fields = dict(fields)
        if "meeting" in fields:
            meeting = meetings[fields.pop("meeting")]
            fields["meeting"] = meeting
            fields["date"] = timezone.localtime(meeting.start).date()
        if "committee" in fields:
            fields["committee"] = ctx.snippets[fields["committee"]]
        step = TrailStep(sort_order=order, **fields)
        step.full_clean(exclude=["proposal"])  # demo content must pass the officers' own checks
        steps.append(step)
    return steps


def seed(ctx):
    officer, chair = ctx.users.get("officer"), ctx.users.get("chair")
    pages = ctx.pages.get("proposal_pages", {})
    added = 0
    for slug, spec in TRAILS.items():
        page = pages.get(slug)
        if page is None:
            continue
        page = ProposalPage.objects.get(pk=page.pk)
        if page.trail.exists():
            continue
        page.trail = steps_for(ctx, spec)
        if any(step.kind == TrailStepKind.KEY_DECISION for step in page.trail.all()):
            page.status = ProposalStatus.DECISION_TAKEN
        revision = page.save_revision(user=officer, log_action=True)
        revision.publish(user=chair, skip_permission_checks=True)
        added += 1
    if added:
        ctx.say(f"Advice trails: recorded on {added} proposals.")
