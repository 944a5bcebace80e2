"""/attendance/: attendance at the board's meetings over a period, by member, by political
group and by meeting (the rules: ``papers.attendance``).

Attendance at a public meeting is public information, so the page counts the meetings the
public may see (``papers.visibility``, as an anonymous visitor), whoever asks: a restricted
meeting's attendance is not shown or counted, and the page is the same for everyone (so it is
cached like any public page).

Every period is bounded (issue 10: the work of a request does not grow with the board's
history): with no dates it is the current municipal year (1 May to 30 April, the year councils
report attendance by), a start alone runs twelve months on, an end alone twelve months back.
The members' and groups' figures are counted by the database whatever the period's length;
the meetings are listed a page at a time.
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .attendance import tally, tally_counts
from .models.review_figures import (
    attendance_counts,
    attendance_rows,
    meeting_totals,
    meetings_in,
    one_year_from,
)

DATE_HELP = "Enter a date as year-month-day, for example 2025-03-12."
YEARS = (1900, 2199)  # dates outside make no sense here (and a year on from 9999 is no date)
MEETINGS_PER_PAGE = 50
MUNICIPAL_YEAR_STARTS = 5  # May


def municipal_year(day):
    """(1 May, 30 April): the municipal year ``day`` falls in."""
    year = day.year if day.month >= MUNICIPAL_YEAR_STARTS else day.year - 1
    return datetime.date(year, MUNICIPAL_YEAR_STARTS, 1), datetime.date(year + 1, 4, 30)


def one_year_to(end):
    """The first day of the twelve months that end on ``end``."""
    try:
        year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        year_before = end.replace(year=end.year - 1, day=28)
    return year_before + datetime.timedelta(days=1)


def read_date(value, label, errors):
    """A date from a query parameter, or None; a message in ``errors`` for a bad one."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        errors.append((label, f"The {label} date is not a date we recognise. {DATE_HELP}"))
        return None
    if not YEARS[0] <= day.year <= YEARS[1]:
        errors.append((label, f"The {label} date must be between {YEARS[0]} and {YEARS[1]}."))
        return None
    return day


def read_period(params, today):
    """(start, end, errors) from ``?from=&to=``; bad values are dropped with a message, and a
    missing end or start is filled in (see the module's docstring)."""
    errors = []
    start = read_date(params.get("from"), "from", errors)
    end = read_date(params.get("to"), "to", errors)
    if start and end and end < start:
        errors.append(("to", "The ‘to’ date must be the same as or after the ‘from’ date."))
        end = None
    if start is None and end is None:
        start, end = municipal_year(today)
    elif end is None:
        end = one_year_from(start)
    elif start is None:
        start = one_year_to(end)
    return start, end, errors


def page_number(params):
    raw = params.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 9 else 1


def today():
    return timezone.localdate()


def year_link(start, end):
    return {"start": start, "end": end, "query": f"from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"}


@require_GET
def attendance_page(request):
    now = today()
    start, end, errors = read_period(request.GET, now)
    public = AnonymousUser()
    members, groups, total = tally_counts(attendance_counts(public, start, end))
    held, cancelled = meeting_totals(public, start, end)
    listed = meetings_in(public, start, end).order_by("start", "pk").values_list("pk", flat=True)
    meetings_page = Paginator(listed, MEETINGS_PER_PAGE).get_page(page_number(request.GET))
    meetings = tally(*attendance_rows(public, start, end, only=list(meetings_page))).meetings
    year_start, _ = municipal_year(start)
    earlier = municipal_year(year_start - datetime.timedelta(days=1))
    later = municipal_year(one_year_from(year_start) + datetime.timedelta(days=1))
    context = {
        "errors": errors,
        "start": start,
        "end": end,
        "raw_from": request.GET.get("from", ""),
        "raw_to": request.GET.get("to", ""),
        "attendance": {
            "total": total.as_dict(),
            "groups": [t.as_dict() for t in groups],
            "members": [t.as_dict() for t in members],
        },
        "meetings": [
            {
                **m.as_dict(),
                "date": m.date.isoformat(),
                "status": m.status,
                "substitutions": m.substitutions,
            }
            for m in meetings
        ],
        "meetings_page": meetings_page,
        "held": held,
        "cancelled": cancelled,
        "earlier_year": year_link(*earlier),
        "later_year": year_link(*later) if later[0] <= now else None,
    }
    return render(request, "papers/attendance.html", context)
