"""iCalendar (RFC 5545) feeds of the board's meetings.

``/calendar/meetings.ics`` is a subscription of the meetings the public may see (every upcoming
one and the most recent past ones: PAST_MEETINGS), computed as an anonymous visitor so one
response suits every subscriber. ``/calendar/meetings/<id>.ics`` adds a
single meeting to a calendar. Each event keeps the same UID for ever (``meeting-<id>@<host>``);
SEQUENCE counts the times the meeting was re-published after it was first announced, and
LAST-MODIFIED/DTSTAMP follow its last publication, so calendar apps update rather than duplicate.

Text is cleaned on the way out (papers.plain_text): whatever is stored, a summary or location
is one line and a description carries no control characters. Links use the Site's configured
address (papers.site_address), never the Host of the request.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import condition, require_safe
from icalendar import Calendar, Event
from wagtail.models import PageLogEntry

from .caching import mark_private, public_etag
from .choices import MeetingStatus
from .feeds import SITE_NAME, stable_host
from .models import AgendaItem, MeetingPage
from .plain_text import clean_text, html_to_text, one_line
from .site_address import absolute_url
from .visibility import can_view, visible_pages

PUBLISH_ACTION = "wagtail.publish"
# The subscription carries every upcoming meeting and this many of the most recent past ones.
# Calendar apps show what is coming and what has just happened; a decade of meetings (a 1 MB
# file rebuilt for every poll) would only slow them and the site. Older meetings stay on the
# site, each with its own .ics. A count rather than a date range, so a board that meets
# rarely still shows its last meetings.
PAST_MEETINGS = 50
# What an event is built from (meeting_event, meeting_description): a subscription reads
# only these, not each meeting's body and attachments nor its agenda items' descriptions.
EVENT_FIELDS = (
    "title",
    "url_path",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "start",
    "end",
    "status",
    "cancellation_note",
    "summary",
    "venue",
    "webcast_url",
)


class AgendaLine(NamedTuple):
    """What a meeting's description shows of an agenda item: never its paper or description."""

    number: str
    public_title: str
    is_exempt: bool
    exempt_paragraph: str


def meetings_with_sequence(queryset):
    """Meetings annotated with how many times each was published (from Wagtail's audit log)."""
    publications = (
        PageLogEntry.objects.filter(page=OuterRef("pk"), action=PUBLISH_ACTION)
        .order_by()
        .values("page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        publish_count=Coalesce(Subquery(publications, output_field=IntegerField()), Value(0))
    )


def public_meetings():
    return meetings_with_sequence(visible_pages(AnonymousUser(), MeetingPage.objects.all()))


def subscribed_meetings():
    """The meetings of the subscription (see PAST_MEETINGS), in order of their start."""
    meetings = public_meetings().only(*EVENT_FIELDS)
    now = timezone.now()
    past = meetings.filter(start__lt=now).order_by("-start", "-pk")[:PAST_MEETINGS]
    upcoming = meetings.filter(start__gte=now).order_by("start", "pk")
    return [*reversed(past), *upcoming]


def agenda_lines(meetings):
    """{meeting id: [AgendaLine, ...]}, each agenda in its order, read for all the meetings at
    once as plain rows: prefetched as models (modelcluster's prefetch), the subscription's
    meetings and their 476 agenda items took 18 ms at 10,000 papers, against 13 ms now."""
    rows = (
        AgendaItem.objects.filter(meeting__in=[meeting.pk for meeting in meetings])
        .order_by("meeting", "sort_order", "pk")
        .values_list("meeting", *AgendaLine._fields)
    )
    lines = defaultdict(list)
    for meeting_id, *fields in rows:
        lines[meeting_id].append(AgendaLine(*fields))
    return lines


def meeting_uid(meeting):
    return f"meeting-{meeting.pk}@{stable_host()}"


def meeting_description(meeting, url, agenda):
    """``agenda``: the meeting's AgendaLines (``agenda_lines``)."""
    lines = []
    if meeting.status == MeetingStatus.CANCELLED:
        lines += [one_line(meeting.cancellation_note) or "This meeting has been cancelled.", ""]
    if meeting.summary:
        lines += [clean_text(meeting.summary), ""]
    if agenda:
        lines.append("Agenda:")
    for item in agenda:
        # Only the public title: an exempt item's paper is never named here.
        title = one_line(item.public_title)
        if item.is_exempt:
            title = f"{title} (exempt item, Schedule 12A paragraph {item.exempt_paragraph})"
        lines.append(f"{item.number + '. ' if item.number else '- '}{title}")
    if meeting.webcast_url:
        lines += ["", f"Webcast: {one_line(meeting.webcast_url)}"]
    lines += ["", f"Papers and details: {url}"]
    return "\n".join(lines).strip()


def in_utc(moment):
    """Every time is written in UTC (``...Z``), so no event needs a VTIMEZONE of its own."""
    return moment.astimezone(UTC)


def meeting_event(meeting, request, agenda):
    url = meeting.get_full_url(request) or absolute_url(meeting.url, request)
    changed = meeting.last_published_at or meeting.latest_revision_created_at
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("summary", f"{SITE_NAME}: {html_to_text(meeting.title)}")
    event.add("dtstart", in_utc(meeting.start))
    if meeting.end:
        event.add("dtend", in_utc(meeting.end))
    event.add("dtstamp", in_utc(changed or datetime.now(UTC)))
    if changed:
        event.add("last-modified", in_utc(changed))
    if meeting.first_published_at:
        event.add("created", in_utc(meeting.first_published_at))
    # The first publication announces the meeting; each later one is a revision of it.
    event.add("sequence", max(getattr(meeting, "publish_count", 0) - 1, 0))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if meeting.venue:
        event.add("location", one_line(meeting.venue))
    event.add("url", url)
    event.add("description", meeting_description(meeting, url, agenda))
    event.add("categories", ["Commissioning Advisory Board"])
    return event


def build_calendar(meetings, request, name):
    calendar = Calendar()
    calendar.add("prodid", f"-//{stable_host()}//Board papers//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    agendas = agenda_lines(meetings)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, request, agendas[meeting.pk]))
    # No add_missing_timezones(): times are all UTC (in_utc), and looking for a zone to add
    # walked every property of every event, a tenth of a subscription's time.
    return calendar


# RFC 5545 folds content lines longer than 75 octets; icalendar's continuation lines are
# at most this many octets before the leading space.
FOLD_OCTETS = 74


def _folded_ascii(line):
    """An ASCII content line folded exactly as icalendar's ``Contentline.to_ical`` folds it,
    by slicing: icalendar weighs each character's UTF-8 length one by one (4-5 ms of the
    35 ms a subscription of 52 meetings took at 10,000 papers). Like icalendar, a fold never
    leaves a backslash or caret (the start of an escape) at the end of a line."""
    folded, start = [], 0
    while len(line) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        if line[end - 1] in "\\^":
            end -= 1
        folded.append(line[start:end])
        start = end
    folded.append(line[start:])
    return "\r\n ".join(folded)


def ics_bytes(calendar):
    """``calendar.to_ical()``, byte for byte: its content lines, an ASCII one folded here
    (``_folded_ascii``), any other by icalendar."""
    lines = (
        _folded_ascii(line).encode("ascii") if line.isascii() else line.to_ical()
        for line in calendar.content_lines()
        if line
    )
    return b"\r\n".join(lines) + b"\r\n"


def ics_response(calendar, filename=None):
    response = HttpResponse(ics_bytes(calendar), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@condition(etag_func=public_etag)  # the same for everyone; changes only with the page cache's
def meetings_calendar(request):
    meetings = subscribed_meetings()
    return ics_response(build_calendar(meetings, request, f"{SITE_NAME}: meetings"))


@require_safe
def meeting_calendar(request, pk):
    """One meeting, for "add to my calendar". Restricted meetings only for those who may see them."""
    meeting = get_object_or_404(meetings_with_sequence(MeetingPage.objects.live()), pk=pk)
    if not can_view(request.user, meeting):
        raise Http404("No such meeting.")
    calendar = build_calendar([meeting], request, f"{SITE_NAME}: {meeting.title}")
    response = ics_response(calendar, filename=f"meeting-{meeting.slug}.ics")
    if meeting.get_view_restrictions().exists():
        mark_private(request)
    return response
