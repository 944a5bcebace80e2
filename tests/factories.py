"""factory_boy factories for the board's pages, snippets, documents and users.

Every page factory builds a live page in its proper place in the tree under the one HomePage
(created by migration home/0003), with content that reads like a real council paper. Section
index pages are unique (max_count = 1), so their factories fetch the existing one if there is one.
Names of people are invented.
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from home.models import HomePage, StandardPage
from papers.models import (
    AgendaItem,
    BoardDocument,
    CabinetCommittee,
    Contract,
    ContractReview,
    Decision,
    Declaration,
    MeetingAttendance,
    MeetingIndexPage,
    MeetingPage,
    Member,
    MinuteItem,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
    ProviderIndexPage,
    ProviderProfilePage,
    ServiceArea,
    TrailStep,
    TrainingIndexPage,
    TrainingModulePage,
)
from papers.models.choices import (
    AdviceFollowed,
    AdviceReached,
    AttendanceStatus,
    BoardRole,
    CommitteeOutcome,
    MeetingStatus,
    Outcome,
    ProposalStatus,
    RagRating,
    RouteToMarket,
    Sector,
    Stage,
    TrailStepKind,
)

# -- users per role ---------------------------------------------------------------------------

# The group names of design.md "Roles and publishing"; their permissions come from the roles
# set-up (issue 3). A factory only puts the user in the group, creating it if it is missing.
OFFICERS, CHAIR, BOARD_MEMBERS, MEMBERS = "Officers", "Chair", "Board members", "Members"


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Priya", "Gareth", "Aisha", "Colm", "Bethan", "Oluwaseun"])
    last_name = factory.Iterator(["Okafor", "Pendleton", "Rahman", "Doyle", "Hughes", "Adeyemi"])
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password("correct-horse-battery")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True
    is_staff = True


def _joins(group_name):
    """A post-generation step putting the new user in ``group_name``."""

    def add(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])

    return factory.PostGeneration(add)


class OfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    groups = _joins(OFFICERS)


class ChairUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"chair{n}")
    groups = _joins(CHAIR)


class BoardMemberUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"boardmember{n}")
    groups = _joins(BOARD_MEMBERS)


class CouncillorUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"councillor{n}")
    groups = _joins(MEMBERS)


# -- snippets ---------------------------------------------------------------------------------


class CabinetCommitteeFactory(DjangoModelFactory):
    name = factory.Iterator(
        [
            "Adult Social Care Cabinet Committee",
            "Children's Services Cabinet Committee",
            "Environment and Transport Cabinet Committee",
            "Policy and Resources Cabinet Committee",
        ]
    )
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = CabinetCommittee
        django_get_or_create = ("name",)


class ServiceAreaFactory(DjangoModelFactory):
    name = factory.Iterator(
        ["Adult social care", "Children and families", "Highways", "Facilities management"]
    )
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)


class MemberFactory(DjangoModelFactory):
    name = factory.Iterator(
        [
            "Cllr Margaret Thornbury",
            "Cllr Dev Kapoor",
            "Cllr Siobhan Greaves",
            "Cllr Alan Whitcombe",
            "Cllr Nia Pritchard",
            "Cllr Ossie Lindqvist",
        ]
    )
    political_group = factory.Iterator(
        ["Conservative", "Labour", "Liberal Democrat", "Green", "Independent"]
    )
    board_role = BoardRole.MEMBER
    is_current = True

    class Meta:
        model = Member


# -- documents --------------------------------------------------------------------------------


class BoardDocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Appendix {n + 1}: market position statement")
    file = factory.django.FileField(
        filename="market-position-statement.txt",
        data=b"Market position statement for home care: 14 providers, 3 of them local SMEs.",
    )

    class Meta:
        model = BoardDocument


# -- pages ------------------------------------------------------------------------------------


def home_page():
    return HomePage.objects.get()


def paragraphs(*texts):
    """Body StreamField data: one rich-text paragraph per text."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


class BoardPageFactory(wagtail_factories.PageFactory):
    """What every board page shares; subclasses set their model and parent."""

    summary = "A plain summary of the paper for listings, search results and feeds."
    body = factory.LazyFunction(
        lambda: paragraphs("The board is asked to consider this paper and give its advice.")
    )
    paper_date = factory.LazyFunction(lambda: datetime.date(2025, 3, 12))
    reference = factory.Sequence(lambda n: f"CAB/2025/{n + 1:03d}")

    class Meta:
        abstract = True


class SectionIndexFactory(wagtail_factories.PageFactory):
    """A section index: at most one of each exists, so fetch it under home or create it."""

    parent = factory.LazyFunction(home_page)

    class Meta:
        abstract = True
        django_get_or_create = ("parent", "slug")


class MeetingIndexPageFactory(SectionIndexFactory):
    title = "Meetings"
    slug = "meetings"
    intro = "<p>Agendas, papers and minutes of the board's meetings.</p>"

    class Meta:
        model = MeetingIndexPage


class ProposalIndexPageFactory(SectionIndexFactory):
    title = "Commissioning proposals"
    slug = "proposals"
    intro = "<p>Proposals the board considers before a Key Decision is taken.</p>"

    class Meta:
        model = ProposalIndexPage


class ProviderIndexPageFactory(SectionIndexFactory):
    title = "Providers"
    slug = "providers"
    intro = "<p>The providers the council commissions and how their contracts perform.</p>"

    class Meta:
        model = ProviderIndexPage


class TrainingIndexPageFactory(SectionIndexFactory):
    title = "Member training"
    slug = "training"
    intro = "<p>Training modules for members of the board.</p>"

    class Meta:
        model = TrainingIndexPage


class StandardPageFactory(BoardPageFactory):
    parent = factory.LazyFunction(home_page)
    title = factory.Iterator(["About the board", "Terms of reference", "12-month review"])
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.title)}-{n + 1}")
    summary = "The Commissioning Advisory Board's terms of reference and membership."
    body = factory.LazyFunction(
        lambda: paragraphs(
            "The board is a cross-party advisory board that considers commissioning "
            "proposals before a Key Decision is taken by a Cabinet Committee.",
            "It meets at least four times a year.",
        )
    )
    show_members = True

    class Meta:
        model = StandardPage


class MeetingPageFactory(BoardPageFactory):
    parent = factory.SubFactory(MeetingIndexPageFactory)
    start = factory.Sequence(
        lambda n: (
            timezone.make_aware(datetime.datetime(2025, 3, 12, 10, 0))
            + datetime.timedelta(days=91 * n)
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2, minutes=30))
    title = factory.LazyAttribute(lambda o: timezone.localtime(o.start).strftime("%-d %B %Y"))
    paper_date = factory.LazyAttribute(lambda o: timezone.localtime(o.start).date())
    venue = "Darent Room, Sessions House, County Hall"
    status = MeetingStatus.SCHEDULED
    summary = "Quarterly meeting: home care recommissioning and the facilities-management review."
    webcast_url = "https://webcasts.example.gov.uk/cab"

    class Meta:
        model = MeetingPage
        skip_postgeneration_save = True

    @factory.post_generation
    def agenda(self, create, extracted, **kwargs):
        """``agenda=[...]`` gives the items' kwargs; by default three realistic items."""
        if not create:
            return
        items = (
            extracted
            if extracted is not None
            else [
                {"number": "1", "public_title": "Apologies and substitutes"},
                {"number": "2", "public_title": "Declarations of interest"},
                {
                    "number": "3",
                    "public_title": "Recommissioning of home care services",
                    "description": "Options for re-tendering the county's home care contracts.",
                },
            ]
        )
        for order, item in enumerate(items):
            AgendaItemFactory(meeting=self, sort_order=order, **item)

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        """``attendees=[(member, status), ...]``; by default none."""
        if create and extracted:
            for order, (member, status) in enumerate(extracted):
                MeetingAttendance.objects.create(
                    meeting=self, member=member, status=status, sort_order=order
                )


class AgendaItemFactory(DjangoModelFactory):
    meeting = factory.SubFactory(MeetingPageFactory, agenda=[])
    number = factory.Sequence(lambda n: str(n + 1))
    public_title = "Recommissioning of home care services"

    class Meta:
        model = AgendaItem


class MeetingAttendanceFactory(DjangoModelFactory):
    meeting = factory.SubFactory(MeetingPageFactory, agenda=[])
    member = factory.SubFactory(MemberFactory)
    status = AttendanceStatus.PRESENT

    class Meta:
        model = MeetingAttendance


class ProposalPageFactory(BoardPageFactory):
    parent = factory.SubFactory(ProposalIndexPageFactory)
    title = factory.Iterator(
        [
            "Recommission home care",
            "Facilities management for county buildings",
            "Voluntary sector grant for carers' support",
            "Integrated community equipment service",
        ]
    )
    slug = factory.Sequence(lambda n: f"proposal-{n + 1}")
    summary = (
        "The home care contracts end in March 2026. This paper sets out the options for "
        "recommissioning them and asks the board for its advice."
    )
    key_decision_reference = factory.Sequence(lambda n: f"25/{n + 12:05d}")
    decision_maker = "Cabinet Member for Adult Social Care"
    cabinet_committee = factory.SubFactory(CabinetCommitteeFactory)
    service_area = factory.SubFactory(ServiceAreaFactory)
    stage = Stage.PLAN
    programme = "Transformation programme, phase 2"
    status = ProposalStatus.FOR_CONSIDERATION
    options_appraisal = factory.LazyFunction(
        lambda: [
            {
                "type": "option",
                "value": {
                    "name": "Option 1: extend the current contracts",
                    "description": "<p>Extend by twelve months under the existing terms.</p>",
                    "advantages": "No disruption to people receiving care.",
                    "disadvantages": "No improvement in rural coverage.",
                    "estimated_cost": "£38.5m a year",
                    "recommended": False,
                },
            },
            {
                "type": "option",
                "value": {
                    "name": "Option 2: re-tender in three geographical lots",
                    "description": "<p>Open procedure with lots sized for local SMEs.</p>",
                    "advantages": "Opens the market to local providers.",
                    "disadvantages": "A longer procurement timetable.",
                    "estimated_cost": "£36.9m a year",
                    "recommended": True,
                },
            },
        ]
    )
    price_weighting = 40
    quality_weighting = 50
    social_value_weighting = 10
    social_value_commitments = "<p>Twelve apprenticeships a year; 30% of spend with local SMEs.</p>"
    route_to_market = RouteToMarket.OPEN
    estimated_value = Decimal("184500000.00")
    recommendation = "<p>The board is asked to support Option 2.</p>"

    class Meta:
        model = ProposalPage


def full_trail(proposal, meeting=None, followed=AdviceFollowed.FOLLOWED, start=None):
    """The four steps of a proposal's advice trail, from the board's meeting to the end of
    call-in, saved as the live rows (as publishing the proposal would leave them)."""
    day = start or (
        timezone.localtime(meeting.start).date() if meeting else datetime.date(2025, 3, 12)
    )
    reasons = "" if followed == AdviceFollowed.FOLLOWED else "The budget did not allow it."
    steps = [
        TrailStep(
            kind=TrailStepKind.BOARD,
            date=day,
            meeting=meeting,
            minute_reference="CAB/25/002",
            advice="Support option 2, with price weighted at no more than 40%.",
            reached_by=AdviceReached.MAJORITY,
        ),
        TrailStep(
            kind=TrailStepKind.COMMITTEE,
            date=day + datetime.timedelta(days=13),
            committee=proposal.cabinet_committee,
            committee_outcome=CommitteeOutcome.ENDORSED,
            link="https://democracy.example.gov.uk/committee/asc/2025-03-25",
        ),
        TrailStep(
            kind=TrailStepKind.KEY_DECISION,
            date=day + datetime.timedelta(days=21),
            decision_maker=proposal.decision_maker,
            key_decision_reference=proposal.key_decision_reference,
            advice_followed=followed,
            reasons=reasons,
            link="https://democracy.example.gov.uk/decisions/25-00012",
        ),
        TrailStep(
            kind=TrailStepKind.CALL_IN,
            date=day + datetime.timedelta(days=22),
            call_in_ends=day + datetime.timedelta(days=29),
            called_in=False,
        ),
    ]
    for order, step in enumerate(steps):
        step.proposal = proposal
        step.sort_order = order
        step.save()
    return steps


class MinutesPageFactory(BoardPageFactory):
    parent = factory.SubFactory(MeetingPageFactory)
    title = "Minutes"
    slug = "minutes"
    summary = "Minutes of the meeting, including the board's advice on home care."
    paper_date = factory.LazyAttribute(lambda o: o.parent.paper_date)
    signed_on = factory.LazyAttribute(
        lambda o: o.parent.paper_date + datetime.timedelta(days=28) if o.parent.paper_date else None
    )

    class Meta:
        model = MinutesPage
        skip_postgeneration_save = True

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        items = (
            extracted
            if extracted is not None
            else [
                {
                    "number": "14/25",
                    "title": "Recommissioning of home care services",
                    "text": "<p>The board discussed the options for home care in depth.</p>",
                }
            ]
        )
        for order, item in enumerate(items):
            MinuteItem.objects.create(minutes=self, sort_order=order, **item)

    @factory.post_generation
    def decisions(self, create, extracted, **kwargs):
        """``decisions=[{...}, ...]`` gives each Decision's kwargs; by default one."""
        if not create:
            return
        items = extracted if extracted is not None else [{}]
        for order, item in enumerate(items):
            DecisionFactory(minutes=self, sort_order=order, **item)


class DecisionFactory(DjangoModelFactory):
    minutes = factory.SubFactory(MinutesPageFactory, decisions=[])
    reference = factory.Sequence(lambda n: f"CAB/25/{n + 31:03d}")
    title = "Advice on the recommissioning of home care"
    resolution = (
        "<p>RESOLVED that the Cabinet Committee be advised to re-tender home care in three "
        "geographical lots.</p>"
    )
    outcome = Outcome.AGREED
    key_decision_reference = "25/00012"
    cabinet_committee = factory.SubFactory(CabinetCommitteeFactory)

    class Meta:
        model = Decision


class DeclarationFactory(DjangoModelFactory):
    minutes = factory.SubFactory(MinutesPageFactory, decisions=[])
    member = factory.SubFactory(MemberFactory)
    item = "Recommissioning of home care services"
    nature = "A close relative works for a home care provider. Not prejudicial."

    class Meta:
        model = Declaration


class ProviderProfilePageFactory(BoardPageFactory):
    parent = factory.SubFactory(ProviderIndexPageFactory)
    title = factory.Iterator(
        ["Brightwater Care Ltd", "Meadowbank Community Trust", "Hollins Facilities plc"]
    )
    slug = factory.Sequence(lambda n: f"provider-{n + 1}")
    sector = Sector.SME
    services = "Home care visits across the north of the county, about 4,200 hours a week."
    summary = "A local home care provider holding two of the council's contracts."
    performance_contact = "Gareth Pendleton, Contract Manager (Adult Social Care)"
    performance_contact_email = "contracts.asc@example.gov.uk"
    website = "https://brightwater.example.com"

    class Meta:
        model = ProviderProfilePage
        skip_postgeneration_save = True

    @factory.post_generation
    def contracts(self, create, extracted, **kwargs):
        if not create:
            return
        items = extracted if extracted is not None else [{}]
        for order, item in enumerate(items):
            ContractFactory(provider=self, sort_order=order, **item)

    @factory.post_generation
    def reviews(self, create, extracted, **kwargs):
        if not create:
            return
        items = extracted if extracted is not None else [{}]
        for order, item in enumerate(items):
            ContractReviewFactory(provider=self, sort_order=order, **item)


class ContractFactory(DjangoModelFactory):
    provider = factory.SubFactory(ProviderProfilePageFactory, contracts=[], reviews=[])
    title = "Home care, north lot"
    contract_reference = factory.Sequence(lambda n: f"ASC-HC-{n + 101}")
    annual_value = Decimal("6250000.00")
    start_date = datetime.date(2022, 4, 1)
    end_date = datetime.date(2026, 3, 31)
    owner = "Gareth Pendleton"
    rag_rating = RagRating.AMBER
    kpis = "Visits on time: 95%\nMissed visits: under 0.5%\nStaff turnover: under 25%"

    class Meta:
        model = Contract


class ContractReviewFactory(DjangoModelFactory):
    provider = factory.SubFactory(ProviderProfilePageFactory, contracts=[], reviews=[])
    contract = "Home care, north lot"
    title = "Six-month review"
    date = datetime.date(2024, 10, 15)
    outcome = "Missed visits fell to 0.4%. Recruitment in rural areas remains a concern."
    rag_rating = RagRating.AMBER
    next_review = datetime.date(2025, 4, 15)

    class Meta:
        model = ContractReview


class TrainingModulePageFactory(BoardPageFactory):
    parent = factory.SubFactory(TrainingIndexPageFactory)
    title = factory.Iterator(
        [
            "The commissioning cycle",
            "Social value in procurement",
            "Reading a contract performance report",
        ]
    )
    slug = factory.Sequence(lambda n: f"module-{n + 1}")
    summary = "How the council analyses, plans, does and reviews its commissioning."
    stage = Stage.ANALYSE
    duration_minutes = 45
    learning_outcomes = factory.LazyFunction(
        lambda: [
            {"type": "outcome", "value": "Name the four stages of the commissioning cycle"},
            {"type": "outcome", "value": "Explain where the board adds value"},
        ]
    )

    class Meta:
        model = TrainingModulePage
