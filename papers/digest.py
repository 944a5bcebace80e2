"""The backbench digest: what changed in the board's programme in one ISO week, for one reader.

Three parts: proposals that moved stage in the week (commissioning stage or status, read from
the revisions the week's publications published: Wagtail's page log), items coming to the board
(agenda items that bring a paper, at meetings after the week), and new decisions (in minutes
first published in the week). Every part is built for the reader through ``papers.visibility``
at the moment it is built, so a digest never names anything the reader may not open now, even
if they could when it changed: a proposal restricted since is left out, an exempt decision is
its public notice and summary, an exempt agenda item its public title.

Members only: councillors and above (``papers.roles.ROLE_GROUPS``) and superusers.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from .choices import MeetingStatus, ProposalStatus, Stage
from .models import AgendaItem, Decision, MeetingPage, MinutesPage, ProposalPage
from .models.minutes import exempt_notice
from .roles import ROLE_GROUPS
from .visibility import decision_is_readable, visible_decisions, visible_pages

WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
# How far past the week "coming to the board" looks: about two cycles of the board's meetings.
LOOKAHEAD = datetime.timedelta(weeks=8)
ARCHIVE_WEEKS = 26
PUBLISH = "wagtail.publish"


def is_member(user):
    """Councillors and above: the digest's readers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=ROLE_GROUPS).exists()


@dataclass(frozen=True)
class Week:
    """An ISO week (Monday to Sunday) in the site's time zone."""

    monday: datetime.date

    @classmethod
    def containing(cls, day):
        return cls(day - datetime.timedelta(days=day.weekday()))

    @classmethod
    def current(cls, now=None):
        return cls.containing(timezone.localdate(now))

    @classmethod
    def parse(cls, label):
        """``2026-W49`` -> Week, or ValueError with a message saying what is expected."""
        match = WEEK_LABEL.match(label or "")
        if not match:
            raise ValueError(f"{label!r} is not a week: write it as YYYY-Www, e.g. 2026-W49.")
        try:
            return cls(datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1))
        except ValueError as error:
            raise ValueError(f"{label!r} is not a week: {error}.") from error

    @property
    def label(self):
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def sunday(self):
        return self.monday + datetime.timedelta(days=6)

    @property
    def start(self):
        """Monday 00:00 local time, as an aware datetime (a DST change is handled per day)."""
        return timezone.make_aware(datetime.datetime.combine(self.monday, datetime.time.min))

    @property
    def end(self):
        return self.next().start

    def next(self):
        return Week(self.monday + datetime.timedelta(weeks=1))

    def previous(self):
        return Week(self.monday - datetime.timedelta(weeks=1))

    def __str__(self):
        return self.label


def archive_weeks(now=None):
    """The weeks the archive lists, newest (the current one, so far) first."""
    week = Week.current(now)
    weeks = []
    for _ in range(ARCHIVE_WEEKS):
        weeks.append(week)
        week = week.previous()
    return weeks


@dataclass
class StageMove:
    page: ProposalPage
    stage_from: str
    stage_to: str
    status_from: str
    status_to: str
    when: datetime.datetime

    @property
    def stage_moved(self):
        return self.stage_from != self.stage_to

    @property
    def status_moved(self):
        return self.status_from != self.status_to


@dataclass
class ComingItem:
    meeting: MeetingPage
    title: str
    number: str = ""
    paper: Page | None = None  # only a paper the reader may open
    notice: str = ""  # an exempt item's public notice, when the reader may not open its paper


@dataclass
class DigestDecision:
    decision: Decision
    readable: bool  # False: the public notice and summary only

    @property
    def minutes(self):
        return self.decision.minutes


@dataclass
class Digest:
    week: Week
    moves: list = field(default_factory=list)
    coming: list = field(default_factory=list)
    decisions: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.moves) + len(self.coming) + len(self.decisions)

    def counts(self):
        return {
            "moved stage": len(self.moves),
            "coming to the board": len(self.coming),
            "new decisions": len(self.decisions),
        }


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or "not set"


def _state(revision_content):
    content = revision_content or {}
    return (
        _label(Stage, content.get("stage")),
        _label(ProposalStatus, content.get("status")),
    )


def stage_moves(user, week):
    """Proposals ``user`` may open now whose stage or status differs between the last version
    published before the week (or, for one first published in it, its first version) and the
    last one published in it. Four queries, whatever the number of proposals."""
    proposals = ProposalPage.objects.all()
    published = PageLogEntry.objects.filter(action=PUBLISH, revision__isnull=False)
    in_week = published.filter(
        timestamp__gte=week.start,
        timestamp__lt=week.end,
        page_id__in=proposals.values("pk"),
    )
    before = published.filter(page_id=OuterRef("pk"), timestamp__lt=week.start).order_by(
        "-timestamp", "-pk"
    )
    pages = {
        page.pk: page
        for page in visible_pages(
            user, proposals.filter(pk__in=in_week.values("page_id"))
        ).annotate(revision_before=Subquery(before.values("revision_id")[:1]))
    }
    if not pages:
        return []
    entries = list(
        in_week.filter(page_id__in=list(pages))
        .order_by("timestamp", "pk")
        .values_list("page_id", "revision_id", "timestamp")
    )
    wanted = {p.revision_before for p in pages.values() if p.revision_before}
    wanted |= {revision_id for _, revision_id, _ in entries}
    contents = dict(Revision.objects.filter(pk__in=wanted).values_list("pk", "content"))

    chains = {pk: [] for pk in pages}
    for page_id, revision_id, when in entries:
        chains[page_id].append((revision_id, when))
    moves = []
    for pk, chain in chains.items():
        page = pages[pk]
        first = page.revision_before or chain[0][0]
        last, when = chain[-1]
        if first == last:
            continue
        (stage_from, status_from), (stage_to, status_to) = (
            _state(contents.get(first)),
            _state(contents.get(last)),
        )
        if (stage_from, status_from) != (stage_to, status_to):
            moves.append(StageMove(page, stage_from, stage_to, status_from, status_to, when))
    return sorted(moves, key=lambda move: (move.when, move.page.title))


def coming_items(user, week, now=None):
    """Agenda items bringing a paper, at meetings ``user`` may see, held from the end of the
    week (or from now, for the week still under way) to ``LOOKAHEAD`` after it."""
    since = min(timezone.now() if now is None else now, week.end)
    meetings = visible_pages(
        user, MeetingPage.objects.filter(start__gte=since, start__lt=week.end + LOOKAHEAD)
    ).exclude(status=MeetingStatus.CANCELLED)
    items = list(
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"), proposal__isnull=False)
        .select_related("meeting")
        .order_by("meeting__start", "sort_order")
    )
    papers = {
        page.pk: page
        for page in visible_pages(user, Page.objects.filter(pk__in=[i.proposal_id for i in items]))
    }
    coming = []
    for item in items:
        paper = papers.get(item.proposal_id)
        if paper is not None:
            coming.append(ComingItem(item.meeting, paper.title, item.number, paper=paper))
        else:
            # Not the reader's to open: the agenda's own public title and notice, as the
            # meeting page shows them.
            notice = exempt_notice(item.exempt_paragraph) if item.is_exempt else ""
            coming.append(ComingItem(item.meeting, item.public_title, item.number, notice=notice))
    return coming


def new_decisions(user, week):
    """Decisions ``user`` may see listed, in minutes first published in the week."""
    minutes = MinutesPage.objects.filter(
        first_published_at__gte=week.start, first_published_at__lt=week.end
    )
    decisions = visible_decisions(user, Decision.objects.filter(minutes__in=minutes.values("pk")))
    decisions = decisions.select_related("minutes").order_by(
        "minutes__paper_date", "minutes_id", "sort_order"
    )
    return [DigestDecision(d, decision_is_readable(d, user)) for d in decisions]


def build_digest(user, week, now=None):
    """The digest of ``week`` as ``user`` may read it now."""
    return Digest(
        week=week,
        moves=stage_moves(user, week),
        coming=coming_items(user, week, now=now),
        decisions=new_decisions(user, week),
    )
