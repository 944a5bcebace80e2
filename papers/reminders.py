"""Meeting reminders: an email to each board member (and the Chair) a few days before a meeting,
with the agenda as that reader may see it and their own conflict prompts (papers.conflicts).

Sent by ``python manage.py send_meeting_reminders`` (for cron, daily): every scheduled, live
meeting starting within ``BOARD_PAPERS["MEETING_REMINDER_DAYS"]`` days gets one reminder per
recipient, ever. The record of it (``MeetingReminder``, unique per meeting and recipient) is
written in the same transaction as the email is handed to the mail server: a re-run, or two
runs at once, sends nothing twice, and a failed send leaves no record, so the next run tries
again.

Each email is built with the recipient's access when it is sent (papers.visibility): a paper
they may not open is neither linked nor named (an exempt item shows its public title and notice
only), and their prompts cover only papers they may open.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from .choices import MeetingStatus
from .conf import get_setting, group_name
from .conflicts import numbered_agenda, prompts_for
from .mail import site_email
from .models import MeetingPage, MeetingReminder
from .visibility import visible_pages

logger = logging.getLogger(__name__)

RECIPIENT_ROLES = ("BOARD_MEMBERS", "CHAIR")


@dataclass
class Outcome:
    sent: list = field(default_factory=list)  # (meeting, user, prompts)
    already: int = 0  # reminders sent by an earlier run
    failed: list = field(default_factory=list)  # (meeting, user, error)


def due_meetings(today=None, days=None):
    """Live, scheduled meetings from ``today`` to ``days`` days ahead, soonest first."""
    today = today or timezone.localdate()
    days = get_setting("MEETING_REMINDER_DAYS") if days is None else days
    return (
        MeetingPage.objects.live()
        .filter(status=MeetingStatus.SCHEDULED)
        .filter(start__date__gte=today, start__date__lte=today + timedelta(days=days))
        .order_by("start")
    )


def recipients():
    """Board members and the Chair with an active account and an email address."""
    names = [group_name(role) for role in RECIPIENT_ROLES]
    users = get_user_model().objects.filter(is_active=True, groups__name__in=names)
    return users.exclude(email="").distinct().order_by("last_name", "first_name", "pk")


def agenda_for(user, meeting):
    """``[(item, number, paper or None)]``: the paper only where ``user`` may open it."""
    agenda = numbered_agenda(meeting)
    ids = [item.proposal_id for item, _ in agenda if item.proposal_id]
    papers = {p.pk: p for p in visible_pages(user, Page.objects.filter(pk__in=ids)).specific()}
    return [(item, number, papers.get(item.proposal_id)) for item, number in agenda]


def build_message(user, meeting, prompts=None):
    """The reminder to ``user`` about ``meeting``, as they may read it now."""
    prompts = prompts_for(user, meeting) if prompts is None else prompts
    context = {
        "user": user,
        "meeting": meeting,
        "meeting_url": meeting.get_full_url(),
        "agenda": [
            (item, number, paper, paper.get_full_url() if paper else None)
            for item, number, paper in agenda_for(user, meeting)
        ],
        "prompts": prompts,
        "council": get_setting("COUNCIL_NAME"),
    }
    when = timezone.localtime(meeting.start)
    return site_email(
        "papers/email/meeting_reminder",
        context,
        subject=f"Board meeting on {when:%-d %B %Y}: agenda and your interests",
        to=[user.email],
    )


def send_reminders(today=None, days=None, dry_run=False):
    """Send every due reminder not sent before; returns what happened."""
    outcome = Outcome()
    people = list(recipients())
    for meeting in due_meetings(today, days):
        done = set(
            MeetingReminder.objects.filter(meeting=meeting).values_list("user_id", flat=True)
        )
        for user in people:
            if user.pk in done:
                outcome.already += 1
                continue
            prompts = prompts_for(user, meeting)
            if dry_run:
                outcome.sent.append((meeting, user, len(prompts)))
                continue
            try:
                with transaction.atomic():
                    _, created = MeetingReminder.objects.get_or_create(
                        meeting=meeting, user=user, defaults={"prompts": len(prompts)}
                    )
                    if not created:  # another run got there first
                        outcome.already += 1
                        continue
                    build_message(user, meeting, prompts).send()
            except Exception as error:  # the record is rolled back: the next run tries again
                logger.exception("Meeting reminder to %s failed", user.pk)
                outcome.failed.append((meeting, user, error))
            else:
                outcome.sent.append((meeting, user, len(prompts)))
    return outcome
