"""Attendance at the board's meetings: per meeting, and over a period by member and by
political group. Pure functions over plain rows (no database, no clock): the queries that read
the rows, for a reader and a period, are ``papers.models.review_figures.attendance_rows`` (or,
for a period of any length, ``attendance_counts``: the same rows counted by the database).

The rules (issue 12, item 2):

- Only held meetings count. A cancelled meeting is counted as cancelled and never against
  anyone's attendance; a meeting still scheduled is not counted at all.
- Each attendance row of a held meeting is one expected attendance for its member: present,
  apologies and absent rows, and substitute rows. Present and substitute rows are attended.
- A substitute's attendance counts for the substitute, and is shown as a substitution; the
  member they stood in for has sent apologies (their own row), which counts as not attended.
"""

import datetime
from dataclasses import dataclass, field

from .choices import AttendanceStatus, MeetingStatus

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE)


@dataclass(frozen=True)
class Row:
    """One attendance record, as read from the database (or written by hand in a test)."""

    meeting_id: int
    meeting_date: datetime.date
    meeting_status: str
    member_id: int
    member_name: str
    political_group: str
    status: str
    note: str = ""


@dataclass
class Tally:
    """Attendance counts of one member, group, meeting or the whole period."""

    label: str = ""
    group: str = ""
    present: int = 0
    substitute: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def attended(self):
        return self.present + self.substitute

    @property
    def expected(self):
        return self.present + self.substitute + self.apologies + self.absent

    @property
    def rate(self):
        """Attended as a percentage of expected, to one decimal place (None if none expected)."""
        return percentage(self.attended, self.expected)

    def add(self, status, count=1):
        if status == AttendanceStatus.PRESENT:
            self.present += count
        elif status == AttendanceStatus.SUBSTITUTE:
            self.substitute += count
        elif status == AttendanceStatus.APOLOGIES:
            self.apologies += count
        elif status == AttendanceStatus.ABSENT:
            self.absent += count

    def as_dict(self):
        return {
            "label": self.label,
            "group": self.group,
            "present": self.present,
            "substitute": self.substitute,
            "apologies": self.apologies,
            "absent": self.absent,
            "attended": self.attended,
            "expected": self.expected,
            "rate": self.rate,
        }


@dataclass
class MeetingTally(Tally):
    date: datetime.date | None = None
    status: str = ""
    substitutions: list = field(default_factory=list)  # "name (note)" for each substitute


@dataclass
class Attendance:
    meetings: list  # MeetingTally, in date order
    members: list  # Tally per member, by name
    groups: list  # Tally per political group, by name
    total: Tally

    @property
    def held(self):
        return sum(1 for m in self.meetings if m.status == MeetingStatus.HELD)

    @property
    def cancelled(self):
        return sum(1 for m in self.meetings if m.status == MeetingStatus.CANCELLED)


def percentage(part, whole):
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class Count:
    """How many attendance rows of held meetings one member has with one status."""

    member_id: int
    member_name: str
    political_group: str
    status: str
    count: int


def tally_counts(counts):
    """(members, groups, total) as ``tally`` counts them, from ``counts`` (``Count``, of held
    meetings only): what a period's rows add up to, without reading each row."""
    members, groups, total = {}, {}, Tally(label="All members")
    for c in counts:
        members.setdefault(c.member_id, Tally(label=c.member_name, group=c.political_group)).add(
            c.status, c.count
        )
        groups.setdefault(c.political_group, Tally(label=c.political_group)).add(c.status, c.count)
        total.add(c.status, c.count)
    return (
        sorted(members.values(), key=lambda t: (t.label, t.group)),
        sorted(groups.values(), key=lambda t: t.label),
        total,
    )


def tally(rows, meetings=()):
    """Attendance from ``rows`` (``Row``). ``meetings``: (id, date, title, status) of every
    meeting in the period, so that a cancelled meeting with no rows is still listed."""
    by_meeting = {
        meeting_id: MeetingTally(label=title, date=day, status=status)
        for meeting_id, day, title, status in meetings
    }
    members, groups, total = {}, {}, Tally(label="All members")
    for row in rows:
        meeting = by_meeting.setdefault(
            row.meeting_id,
            MeetingTally(label=f"{row.meeting_date:%-d %B %Y}", date=row.meeting_date),
        )
        meeting.status = meeting.status or row.meeting_status
        if row.meeting_status != MeetingStatus.HELD:
            continue  # cancelled or not yet held: never counted against anyone
        meeting.add(row.status)
        if row.status == AttendanceStatus.SUBSTITUTE:
            meeting.substitutions.append(
                f"{row.member_name} ({row.note})" if row.note else row.member_name
            )
        members.setdefault(
            row.member_id, Tally(label=row.member_name, group=row.political_group)
        ).add(row.status)
        groups.setdefault(row.political_group, Tally(label=row.political_group)).add(row.status)
        total.add(row.status)
    return Attendance(
        meetings=sorted(by_meeting.values(), key=lambda m: (m.date, m.label)),
        members=sorted(members.values(), key=lambda t: (t.label, t.group)),
        groups=sorted(groups.values(), key=lambda t: t.label),
        total=total,
    )
