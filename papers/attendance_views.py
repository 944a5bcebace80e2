"""/attendance/: attendance at the board's meetings over a period, by member, by political
group and by meeting (the rules: ``papers.attendance``).

Attendance at a public meeting is public information, so the page counts the meetings the
public may see (``papers.visibility``, as an anonymous visitor), whoever asks: a restricted
meeting's attendance is not shown or counted, and the page is the same for everyone (so it is
cached like any public page).
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models.review_figures import attendance

DATE_HELP = "Enter a date as year-month-day, for example 2025-03-12."


def read_date(value, label, errors):
    """A date from a query parameter, or None; a message in ``errors`` for a bad one."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append((label, f"The {label} date is not a date we recognise. {DATE_HELP}"))
        return None


def read_period(params):
    """(start, end, errors) from ``?from=&to=``; bad values are dropped with a message."""
    errors = []
    start = read_date(params.get("from"), "from", errors)
    end = read_date(params.get("to"), "to", errors)
    if start and end and end < start:
        errors.append(("to", "The ‘to’ date must be the same as or after the ‘from’ date."))
        end = None
    return start, end, errors


@require_GET
def attendance_page(request):
    start, end, errors = read_period(request.GET)
    # Open-ended by default: every meeting the public may see.
    figures = attendance(AnonymousUser(), start or datetime.date.min, end or datetime.date.max)
    context = {
        "errors": errors,
        "start": start,
        "end": end,
        "raw_from": request.GET.get("from", ""),
        "raw_to": request.GET.get("to", ""),
        "attendance": {
            "total": figures.total.as_dict(),
            "groups": [t.as_dict() for t in figures.groups],
            "members": [t.as_dict() for t in figures.members],
        },
        "meetings": [
            {
                **m.as_dict(),
                "date": m.date.isoformat(),
                "status": m.status,
                "substitutions": m.substitutions,
            }
            for m in figures.meetings
        ],
        "held": figures.held,
        "cancelled": figures.cancelled,
    }
    return render(request, "papers/attendance.html", context)
