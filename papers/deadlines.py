"""Deadline warnings for officers and the Chair (the admin dashboard's panel).

- Agenda papers not published five clear working days before a meeting (Local Government Act
  1972, s.100B; ``papers.working_days`` counts them, skipping bank holidays).
- A Key Decision less than 28 clear days away without published notice (the Local Authorities
  (Executive Arrangements) (Meetings and Access to Information) (England) Regulations 2012,
  reg. 9): notice is published when the public can see the proposal, or its exempt agenda
  item's notice on the forward plan.
- A Key Decision date near with no board advice recorded (no board step in its trail and no
  advice written).

The rules are functions of dates (``agenda_warning``, ``notice_warning``, ``advice_warning``);
``warnings_for`` reads the records. Officers and the Chair read every board paper, so the
panel names papers of every audience; it is shown to no one else.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from .choices import MeetingStatus, ProposalStatus, TrailStepKind
from .forward_plan import Plan
from .models import MeetingPage, ProposalPage, TrailStep
from .visibility import visible_pages
from .working_days import (
    NOTICE_CLEAR_DAYS,
    REQUIRED_CLEAR_DAYS,
    clear_days,
    clear_working_days,
    publication_deadline,
)

# How far ahead a Key Decision counts as "near" for the advice warning, and how soon before
# its deadline an unpublished agenda is flagged.
ADVICE_WINDOW_DAYS = 28
AGENDA_WARNING_DAYS = 7
PENDING = [ProposalStatus.DRAFT, ProposalStatus.FOR_CONSIDERATION, ProposalStatus.ADVICE_GIVEN]


@dataclass
class Warning:
    rule: str  # "agenda", "notice" or "advice"
    page: object
    message: str
    overdue: bool = False


def _day(value):
    return f"{value:%-d %B %Y}"


def agenda_warning(meeting_day, published_on, today):
    """(message, overdue) for a meeting's agenda, or None when it is in time."""
    deadline = publication_deadline(meeting_day)
    if published_on is not None:
        days = clear_working_days(published_on, meeting_day)
        if days < REQUIRED_CLEAR_DAYS:
            return (
                f"Agenda published on {_day(published_on)}, only {days} clear working "
                f"day{'s' if days != 1 else ''} before the meeting (5 are required).",
                True,
            )
        return None
    if today > deadline:
        return (
            f"Agenda not published: it was due by {_day(deadline)} for five clear working "
            "days' notice.",
            True,
        )
    if (deadline - today).days <= AGENDA_WARNING_DAYS:
        return (f"Agenda not yet published: publish by {_day(deadline)}.", False)
    return None


def notice_warning(decision_day, today, noticed):
    """(message, overdue) when a Key Decision is under 28 clear days away without notice."""
    if noticed or decision_day < today:
        return None
    days = clear_days(today, decision_day)
    if days >= NOTICE_CLEAR_DAYS:
        return None
    return (
        f"Key Decision expected on {_day(decision_day)}, {days} clear day"
        f"{'s' if days != 1 else ''} away, without published notice (28 are required).",
        True,
    )


def advice_warning(decision_day, today, has_advice):
    """(message, overdue) when a Key Decision is near and the board's advice is not recorded."""
    if has_advice or not (today <= decision_day <= today + datetime.timedelta(ADVICE_WINDOW_DAYS)):
        return None
    return (
        f"Key Decision expected on {_day(decision_day)} and no board advice is recorded.",
        False,
    )


def noticed_proposal_ids():
    """Proposals whose Key Decision has published notice: the public can see the proposal, or
    the public forward plan lists it by its exempt agenda item's notice."""
    public = set(
        visible_pages(AnonymousUser(), ProposalPage.objects.all()).values_list("pk", flat=True)
    )
    return public | {item.proposal_id for item in Plan(AnonymousUser()).notice_items}


def warnings_for(today=None):
    """Every warning the records raise today, overdue ones first."""
    today = today or timezone.localdate()
    found = []
    meetings = MeetingPage.objects.filter(
        status=MeetingStatus.SCHEDULED,
        start__date__gte=today,
        start__date__lte=today + datetime.timedelta(days=60),
    ).order_by("start")
    for meeting in meetings:
        result = agenda_warning(
            timezone.localtime(meeting.start).date(), meeting.agenda_published_on, today
        )
        if result:
            found.append(Warning("agenda", meeting, *result))

    proposals = ProposalPage.objects.exclude(key_decision_reference="").filter(
        status__in=PENDING, expected_decision_date__gte=today
    )
    noticed = noticed_proposal_ids()
    advised = set(
        TrailStep.objects.filter(kind=TrailStepKind.BOARD, proposal__in=proposals)
        .exclude(advice="")
        .values_list("proposal_id", flat=True)
    )
    for proposal in proposals.order_by("expected_decision_date"):
        day = proposal.expected_decision_date
        result = notice_warning(day, today, proposal.pk in noticed)
        if result:
            found.append(Warning("notice", proposal, *result))
        has_advice = proposal.pk in advised or bool(proposal.board_advice.strip())
        result = advice_warning(day, today, has_advice)
        if result:
            found.append(Warning("advice", proposal, *result))
    return sorted(found, key=lambda w: not w.overdue)
