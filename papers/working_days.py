"""Clear working days before a meeting (Local Government Act 1972, s.100B(3)).

Agenda papers must be open to inspection at least five clear working days before a meeting.
"Clear" days exclude the day the agenda is published and the day of the meeting; weekends and
bank holidays in England and Wales (from the ``holidays`` package, kept up to date by its
maintainers) are not working days. Pure functions of dates: no database, no clock.
"""

import datetime
from functools import lru_cache

import holidays

REQUIRED_CLEAR_DAYS = 5
# Notice of a Key Decision: 28 clear days (Executive Arrangements Regulations 2012, reg. 9).
NOTICE_CLEAR_DAYS = 28


@lru_cache(maxsize=64)
def _bank_holidays(year):
    # England's bank holidays are those of England and Wales.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def clear_working_days(published_on, meeting_on):
    """Working days strictly between publication and the meeting (0 if not before it)."""
    count = 0
    day = published_on + datetime.timedelta(days=1)
    while day < meeting_on:
        count += is_working_day(day)
        day += datetime.timedelta(days=1)
    return count


def publication_deadline(meeting_on, clear_days=REQUIRED_CLEAR_DAYS):
    """The last day the agenda may be published and still give ``clear_days`` clear days."""
    day, found = meeting_on, 0
    while found < clear_days:
        day -= datetime.timedelta(days=1)
        found += is_working_day(day)
    return day - datetime.timedelta(days=1)


def short_notice(published_on, meeting_on, clear_days=REQUIRED_CLEAR_DAYS):
    """Whether an agenda published on ``published_on`` gives less than the required notice."""
    return clear_working_days(published_on, meeting_on) < clear_days


def clear_days(start, end):
    """Clear (calendar) days between two dates: neither the first nor the last counts."""
    return max((end - start).days - 1, 0)
