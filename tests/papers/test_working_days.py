"""Five clear working days' notice of the agenda (papers.working_days)."""

import datetime

import pytest

from papers.working_days import (
    clear_working_days,
    is_working_day,
    publication_deadline,
    short_notice,
)

D = datetime.date


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(D(2025, 3, 12))  # a Wednesday
    assert not is_working_day(D(2025, 3, 15))  # Saturday
    assert not is_working_day(D(2025, 4, 18))  # Good Friday
    assert not is_working_day(D(2025, 4, 21))  # Easter Monday
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day (substitute day)


def test_publication_day_and_meeting_day_are_not_clear_days():
    # Published Tuesday 4 March for Wednesday 12 March: 5, 6, 7, 10, 11 March.
    assert clear_working_days(D(2025, 3, 4), D(2025, 3, 12)) == 5
    assert clear_working_days(D(2025, 3, 5), D(2025, 3, 12)) == 4
    assert clear_working_days(D(2025, 3, 12), D(2025, 3, 12)) == 0
    assert clear_working_days(D(2025, 3, 20), D(2025, 3, 12)) == 0


@pytest.mark.parametrize(
    "meeting, deadline",
    [
        (D(2025, 3, 12), D(2025, 3, 4)),  # an ordinary week
        (D(2025, 4, 24), D(2025, 4, 14)),  # Easter: Good Friday and Easter Monday skipped
        (D(2025, 12, 30), D(2025, 12, 18)),  # 29, 24, 23, 22, 19: Christmas skipped
        (D(2025, 3, 10), D(2025, 3, 2)),  # a Monday meeting: the Sunday before the week
    ],
)
def test_publication_deadline(meeting, deadline):
    assert publication_deadline(meeting) == deadline
    assert not short_notice(deadline, meeting)
    assert short_notice(deadline + datetime.timedelta(days=1), meeting)
