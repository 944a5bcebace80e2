"""Factory records for the attendance and review-pack tests, with the figures counted by hand.

Four members; five meetings, one of them board-only and one cancelled; four proposals with
trails (one board-only); two providers (one board-only); a training module. The hand counts
are in ``PUBLIC`` and ``BOARD`` below, worked out from the records as the comments say.
"""

import datetime

from django.utils import timezone

from papers.models import ReviewPackPage, TrailStep, TrainingCompletion
from papers.models.choices import (
    AdviceFollowed,
    AttendanceStatus,
    Audience,
    BoardRole,
    MeetingStatus,
    RagRating,
    Stage,
    TrailStepKind,
)
from tests import factories as f
from tests.public.helpers import restrict

SECRET_TITLE = "Quarrington depot divestment"
SECRET_PROVIDER = "Hollowmere Facilities Group"
PRESENT, APOLOGIES, ABSENT, SUB = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
)


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def build_records():
    ada = f.MemberFactory(name="Cllr Ada Marsh", political_group="Conservative")
    ben = f.MemberFactory(name="Cllr Ben Okoro", political_group="Labour")
    cal = f.MemberFactory(
        name="Cllr Cal Dunmore", political_group="Labour", board_role=BoardRole.SUBSTITUTE
    )
    dot = f.MemberFactory(name="Cllr Dot Penhale", political_group="Green")
    ada.user, ben.user = f.BoardMemberUserFactory(), f.BoardMemberUserFactory()
    ada.save()
    ben.save()

    m1 = f.MeetingPageFactory(
        start=at(2025, 4, 1),  # a Tuesday; agenda the Friday before: 1 clear working day
        status=MeetingStatus.HELD,
        agenda_published_on=datetime.date(2025, 3, 28),
        agenda=[],
        attendees=[(ada, PRESENT), (ben, APOLOGIES), (cal, SUB), (dot, PRESENT)],
    )
    m2 = f.MeetingPageFactory(
        start=at(2025, 7, 1),
        status=MeetingStatus.HELD,
        agenda=[],
        attendees=[(ada, PRESENT), (ben, PRESENT), (dot, ABSENT)],
    )
    cancelled = f.MeetingPageFactory(
        start=at(2025, 10, 1),
        status=MeetingStatus.CANCELLED,
        agenda=[],
        attendees=[(ada, APOLOGIES), (ben, APOLOGIES)],
    )
    private = restrict(
        f.MeetingPageFactory(
            start=at(2025, 12, 1),
            status=MeetingStatus.HELD,
            agenda=[],
            attendees=[(ada, PRESENT), (ben, PRESENT)],
        ),
        Audience.BOARD,
    )
    later = f.MeetingPageFactory(
        start=at(2026, 6, 1), status=MeetingStatus.HELD, agenda=[], attendees=[(ada, ABSENT)]
    )

    p1 = f.ProposalPageFactory(title="Home care", stage=Stage.PLAN)
    p2 = f.ProposalPageFactory(
        title="School transport", stage=Stage.DO, paper_date=datetime.date(2025, 7, 1)
    )
    p3 = restrict(f.ProposalPageFactory(title=SECRET_TITLE, stage=Stage.ANALYSE), Audience.BOARD)
    p4 = f.ProposalPageFactory(title="Libraries", paper_date=datetime.date(2025, 6, 1))
    f.AgendaItemFactory(meeting=m1, proposal=p1, public_title="Home care")
    f.AgendaItemFactory(meeting=m2, proposal=p2, public_title="School transport")
    f.AgendaItemFactory(
        meeting=m2,
        proposal=p3,
        public_title="Depot: options",
        is_exempt=True,
        exempt_paragraph="3",
    )
    f.full_trail(p1, meeting=m1)  # advice 1 April, followed 22 April: 21 days
    f.full_trail(p2, meeting=m2, followed=AdviceFollowed.NOT_FOLLOWED)  # 21 days
    f.full_trail(p3, meeting=m2, followed=AdviceFollowed.PARTLY)  # 21 days (board only)
    TrailStep.objects.create(  # a Key Decision with no board advice before it
        proposal=p4,
        kind=TrailStepKind.KEY_DECISION,
        date=datetime.date(2025, 9, 1),
        decision_maker="Leader",
        key_decision_reference="25/00099",
        advice_followed=AdviceFollowed.NOT_FOLLOWED,
        reasons="The board had not met.",
    )

    public_provider = f.ProviderProfilePageFactory(title="Brightwell Care", reviews=[])
    f.ContractReviewFactory(
        provider=public_provider, date=datetime.date(2025, 5, 1), rag_rating=RagRating.RED
    )
    f.ContractReviewFactory(provider=public_provider, date=datetime.date(2026, 5, 1))
    secret_provider = restrict(
        f.ProviderProfilePageFactory(title=SECRET_PROVIDER, reviews=[]), Audience.BOARD
    )
    f.ContractReviewFactory(provider=secret_provider, date=datetime.date(2025, 6, 1))

    module = f.TrainingModulePageFactory(title="The commissioning cycle")
    TrainingCompletion.objects.create(
        module=module, user=ada.user, completed_on=datetime.date(2025, 5, 1)
    )
    TrainingCompletion.objects.create(
        module=module, user=ben.user, completed_on=datetime.date(2026, 5, 1)
    )
    return {
        "members": (ada, ben, cal, dot),
        "meetings": (m1, m2, cancelled, private, later),
        "proposals": (p1, p2, p3, p4),
        "committees": [p.cabinet_committee.name for p in (p1, p2, p3, p4)],
    }


# Counted by hand from build_records(), for the default period (the first held meeting the
# reader may see, 1 April 2025, to 31 March 2026).
PUBLIC = {
    "period": ("2025-04-01", "2026-03-31"),
    "held": 2,  # m1, m2 (the board-only meeting is not the public's; "later" is after)
    "cancelled": 1,
    # ada 2/2, ben 1/2 (apologies at m1), cal 1/1 (substitute), dot 1/2 (absent at m2)
    "members": {
        "Cllr Ada Marsh": (2, 2),
        "Cllr Ben Okoro": (1, 2),
        "Cllr Cal Dunmore": (1, 1),
        "Cllr Dot Penhale": (1, 2),
    },
    "groups": {"Conservative": (2, 2), "Green": (1, 2), "Labour": (2, 3)},
    "attended": 5,
    "expected": 7,
    "rate": 71.4,
    "considered": 2,  # home care (m1), school transport (m2)
    "by_stage": [["Plan", 1], ["Do", 1]],
    "advice": 2,
    "decisions": 3,  # home care followed, school transport and libraries not followed
    "followed": 1,
    "share": 33.3,
    "median": 21,
    # agenda of m1 (1 clear working day); school transport's paper 20 clear days before its
    # decision; libraries decided with no advice. m2's agenda date is not recorded.
    "missed": 3,
    "by_rule": {"agenda": 1, "notice": 1, "advice": 1},
    "agenda_unrecorded": 1,
    "reviews": 1,
    "training": (1, 2),  # ada by May 2025; ben only in May 2026
}
BOARD = {
    "held": 3,
    "members": {"Cllr Ada Marsh": (3, 3), "Cllr Ben Okoro": (2, 3)},
    "attended": 7,
    "expected": 9,
    "considered": 3,
    "decisions": 4,
    "followed": 1,
    "partly": 1,
    "reviews": 2,
}


def make_pack(parent=None, audience=Audience.PUBLIC, **fields):
    """A published review pack page under ``parent`` (an "About the board" page by default)."""
    parent = parent or f.StandardPageFactory(title="About the board", slug="about")
    page = ReviewPackPage(
        title="12-month review pack",
        slug="review-pack",
        audience=audience,
        exempt_paragraph="3" if audience == Audience.BOARD else "",
        **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ReviewPackPage.objects.get(pk=page.pk)
