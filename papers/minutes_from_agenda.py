"""Minutes drafted from the agenda (issue 16).

One admin action on a meeting that has been held ("Start the minutes") creates its minutes page
as a draft: a minute per agenda item in order (exempt flags carried over), the apologies minute
written from the meeting's attendance, and a decision per linked paper with its reference, Key
Decision reference and Cabinet Committee filled in. The draft is a revision like any other, so
the officer completes it and sends it to the Chair; nothing is published here. Attendance itself
is not copied: the minutes page shows the meeting's own record, so it is typed once.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from .choices import AttendanceStatus, Audience, MeetingStatus
from .models import Decision, MeetingPage, MinuteItem, MinutesPage, ProposalPage

URL_NAME = "papers_start_minutes"
START_LABEL = "Start the minutes"
OPEN_LABEL = "Open the minutes"


# -- what the draft holds ---------------------------------------------------------------------


def existing_minutes(meeting):
    """The meeting's minutes page, live or draft (a meeting has at most one)."""
    return MinutesPage.objects.child_of(meeting).first()


def meeting_as_drafted(meeting):
    """The meeting as the officer last saved it: attendance recorded in a draft counts.
    (The live row is that version unless there are unpublished changes: no revision to read.)"""
    if meeting.has_unpublished_changes and meeting.latest_revision_id:
        return meeting.get_latest_revision_as_object()
    return meeting


def has_been_held(meeting):
    return meeting.status == MeetingStatus.HELD or (
        meeting.status != MeetingStatus.CANCELLED and meeting.start <= timezone.now()
    )


def _next_number(values, pattern):
    """One more than the highest number ``pattern`` (one group of digits) finds in ``values``."""
    numbers = [int(m.group(1)) for v in values if (m := re.fullmatch(pattern, v or ""))]
    return max(numbers, default=0) + 1


def next_minute_number(year):
    """Minutes are numbered through the year: 1/25, 2/25 ... (as the board's minutes are)."""
    yy = f"{year % 100:02d}"
    values = MinuteItem.objects.filter(number__endswith=f"/{yy}").values_list("number", flat=True)
    return _next_number(values, rf"(\d+)/{yy}"), yy


def next_decision_number(year):
    """Decisions are CAB/YY/NNN, numbered through the year."""
    yy = f"{year % 100:02d}"
    values = Decision.objects.filter(reference__startswith=f"CAB/{yy}/").values_list(
        "reference", flat=True
    )
    return _next_number(values, rf"CAB/{yy}/(\d+)"), yy


def _names(records):
    names = [escape(r.member.name) for r in records]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def apologies_text(meeting):
    """The apologies minute, from the attendance the officer recorded on the meeting."""
    records = list(meeting.attendance.all())
    apologies = [r for r in records if r.status == AttendanceStatus.APOLOGIES]
    substitutes = [r for r in records if r.status == AttendanceStatus.SUBSTITUTE]
    parts = []
    if apologies:
        parts.append(f"Apologies were received from {_names(apologies)}.")
    else:
        parts.append("There were no apologies.")
    for record in substitutes:
        note = f" ({escape(record.note)})" if record.note else ""
        parts.append(f"{escape(record.member.name)} attended as a substitute{note}.")
    return "<p>" + " ".join(parts) + "</p>"


def _paper_exemption(item, paper):
    """An item is exempt if it is ticked so, or its paper is board-only (safe by default)."""
    if item.is_exempt:
        return True, item.exempt_paragraph
    if paper is not None and getattr(paper, "audience", None) == Audience.BOARD:
        return True, paper.exempt_paragraph
    return False, ""


def build_minutes(meeting):
    """An unsaved MinutesPage drafted from ``meeting`` (as last saved)."""
    day = timezone.localtime(meeting.start).date()
    minute_no, minute_yy = next_minute_number(day.year)
    decision_no, decision_yy = next_decision_number(day.year)
    minutes = MinutesPage(
        title=f"Minutes of {day:%-d %B %Y}",
        slug="minutes",
        reference=f"CAB/M/{day:%Y-%m-%d}",
        paper_date=day,
        summary=f"Minutes of the board's meeting on {day:%-d %B %Y}, with its decisions.",
        audience=meeting.audience,
        exempt_paragraph=meeting.exempt_paragraph,
    )
    items, decisions = [], []
    for item in meeting.agenda_items.all():
        paper = item.proposal.specific if item.proposal_id and item.proposal else None
        exempt, paragraph = _paper_exemption(item, paper)
        text = apologies_text(meeting) if re.search(r"apolog", item.public_title, re.I) else ""
        proposal = paper if isinstance(paper, ProposalPage) else None
        items.append(
            MinuteItem(
                proposal=proposal,
                number=f"{minute_no}/{minute_yy}",
                title=item.public_title,
                text=text,
                is_exempt=exempt,
                exempt_paragraph=paragraph,
                # Set explicitly: rows saved with no sort order come back in any order on
                # PostgreSQL, and the draft's form would pair decisions with the wrong items.
                sort_order=len(items),
            )
        )
        minute_no += 1
        if paper is None:
            continue
        decisions.append(
            Decision(
                reference=f"CAB/{decision_yy}/{decision_no:03d}",
                # An exempt item's decision keeps the agenda's public title: never the
                # confidential paper's own title, even before anyone has edited it.
                title=item.public_title if exempt else paper.title,
                resolution="",
                proposal=proposal,
                key_decision_reference=proposal.key_decision_reference if proposal else "",
                cabinet_committee=proposal.cabinet_committee if proposal else None,
                is_exempt=exempt,
                exempt_paragraph=paragraph,
                sort_order=len(decisions),
            )
        )
        decision_no += 1
    minutes.minute_items = items
    minutes.decisions = decisions
    return minutes


@transaction.atomic
def start_minutes(meeting, user):
    """Create the meeting's minutes as a draft revision saved by ``user``, as the admin's
    create view does (not live, so the Chair's approval applies)."""
    minutes = build_minutes(meeting_as_drafted(meeting))
    minutes.owner = user
    minutes.live = False
    meeting.add_child(instance=minutes)
    revision = minutes.save_revision(user=user, log_action=False)
    log(
        instance=minutes,
        action="wagtail.create",
        user=user,
        revision=revision,
        content_changed=True,
    )
    return minutes


# -- the admin action -------------------------------------------------------------------------


def can_start(meeting, user):
    return meeting.permissions_for_user(user).can_add_subpage() and MinutesPage.can_create_at(
        meeting
    )


class StartMinutesView(WagtailAdminTemplateMixin, TemplateView):
    """GET: open the minutes if they exist, else ask to confirm; POST: create and open them."""

    template_name = "papers/admin/start_minutes.html"
    page_title = START_LABEL
    header_icon = "doc-full"

    def dispatch(self, request, meeting_id):
        self.meeting = get_object_or_404(MeetingPage, pk=meeting_id)
        minutes = existing_minutes(self.meeting)
        if minutes is not None:
            return redirect("wagtailadmin_pages:edit", minutes.pk)
        if not can_start(self.meeting, request.user):
            raise PermissionDenied
        self.drafted = meeting_as_drafted(self.meeting)
        if not has_been_held(self.drafted):
            messages.error(
                request,
                "The minutes can be started once the meeting has been held: mark it held "
                "(or wait until it has started).",
            )
            return redirect("wagtailadmin_pages:edit", self.meeting.pk)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.meeting.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(self.drafted.agenda_items.all())
        context.update(
            meeting=self.meeting,
            items=items,
            papers=[i for i in items if i.proposal_id],
            action_url=reverse(URL_NAME, args=[self.meeting.pk]),
        )
        return context

    def post(self, request):
        minutes = start_minutes(self.meeting, request.user)
        messages.success(
            request,
            f"Minutes started from the agenda of {self.meeting.title}: write each minute and "
            "complete the decisions, then send them to the Chair for approval.",
        )
        return redirect("wagtailadmin_pages:edit", minutes.pk)


def start_after_saving(request, page):
    """``after_edit_page``: the meeting form's "Draft the minutes when I save" ticked on a held
    meeting with no minutes yet starts them from the agenda as just saved and opens them, so
    recording attendance and starting the minutes is one save, not two page loads more."""
    if page.specific_class is not MeetingPage or not request.POST.get("start_minutes"):
        return None
    meeting = page.specific
    if existing_minutes(meeting) is not None:
        return redirect("wagtailadmin_pages:edit", existing_minutes(meeting).pk)
    if not can_start(meeting, request.user):
        return None
    if not has_been_held(meeting_as_drafted(meeting)):
        messages.warning(
            request,
            "The minutes were not started: the meeting has not been held yet (mark it held).",
        )
        return None
    minutes = start_minutes(meeting, request.user)
    messages.success(
        request,
        f"Minutes started from the agenda of {meeting.title}: write each minute and complete "
        "the decisions, then send them to the Chair for approval.",
    )
    return redirect("wagtailadmin_pages:edit", minutes.pk)


def admin_urls():
    return [
        path(
            "meetings/<int:meeting_id>/start-minutes/",
            StartMinutesView.as_view(),
            name=URL_NAME,
        )
    ]


def minutes_button(page, user, button_class=Button, priority=5):
    """ "Open the minutes" where they exist, else "Start the minutes" on a held meeting."""
    if page.specific_class is not MeetingPage:
        return None
    meeting = page.specific
    minutes = existing_minutes(meeting)
    if minutes is not None:
        if not minutes.permissions_for_user(user).can_edit():
            return None
        url = reverse("wagtailadmin_pages:edit", args=[minutes.pk])
        return button_class(OPEN_LABEL, url=url, icon_name="doc-full", priority=priority)
    if not can_start(meeting, user) or not has_been_held(meeting_as_drafted(meeting)):
        return None
    # Posts with the CSRF token through Wagtail's own w-action controller: one click.
    return button_class(
        START_LABEL,
        icon_name="doc-full-inverse",
        priority=priority,
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse(URL_NAME, args=[meeting.pk]),
            "data-w-action-continue-value": "true",
        },
    )
