"""Meetings of the board, past and upcoming, with agendas, attendance and (for past ones)
minutes carrying decisions and declarations of interest. Dates are fixed, not relative to
today, so a later run changes nothing; the upcoming ones are in 2027."""

from datetime import date

from papers.models import (
    AgendaItem,
    Decision,
    Declaration,
    MeetingAttendance,
    MeetingPage,
    MinuteItem,
    MinutesPage,
)
from papers.models.choices import AttendanceStatus, MeetingStatus, Outcome

from .helpers import at, ensure_page, html
from .people import MEMBERS

ASC = "Adult Social Care and Health Cabinet Committee"
CYPE = "Children's, Young People and Education Cabinet Committee"
ET = "Environment and Transport Cabinet Committee"
GEDC = "Growth, Economic Development and Communities Cabinet Committee"
PR = "Policy and Resources Cabinet Committee"

OPENING_ITEMS = [
    ("1", "Apologies and substitutes", "", None),
    ("2", "Declarations of interest", "", None),
]

MEETINGS = [
    {
        "start": at(2025, 3, 12, 10),
        "status": MeetingStatus.HELD,
        "summary": "The board's first meeting: terms of reference, the work programme and the "
        "recommissioning of home care.",
        "agenda": [
            ("3", "Terms of reference and work programme", "", None),
            (
                "4",
                "Recommission home care",
                "Options for re-tendering home care.",
                "recommission-home-care",
            ),
            ("5", "Member training plan", "", None),
        ],
        "apologies": ["Cllr Norman Quayle"],
        "former": True,
        "minutes": {
            "signed_on": date(2025, 7, 9),
            "items": [
                (
                    "1/25",
                    "Apologies and substitutes",
                    "Apologies were received from Cllr Norman Quayle.",
                ),
                (
                    "2/25",
                    "Declarations of interest",
                    "Cllr Margaret Felton declared an interest in item 4.",
                ),
                (
                    "3/25",
                    "Terms of reference and work programme",
                    "The board agreed its terms of reference as set by the County Council and a work programme for its first year.",
                ),
                (
                    "4/25",
                    "Recommission home care",
                    "The Commissioning Manager (Adults) presented the options. Members discussed rural gaps, the Real Living Wage and the balance of price against quality.",
                ),
                (
                    "5/25",
                    "Member training plan",
                    "Members agreed to complete the commissioning cycle and social value modules by July.",
                ),
            ],
            "decisions": [
                (
                    "CAB/25/001",
                    "Terms of reference and work programme",
                    "RESOLVED that the terms of reference and the work programme for 2025 be noted.",
                    Outcome.NOTED,
                    None,
                    "",
                    PR,
                ),
                (
                    "CAB/25/002",
                    "Recommission home care",
                    "RESOLVED that the Adult Social Care and Health Cabinet Committee be advised to support option 2 (twelve zones with a lead provider), with a price weighting of no more than 40% and a rurality payment for rural zones.",
                    Outcome.AGREED,
                    "recommission-home-care",
                    "25/00012",
                    ASC,
                ),
            ],
            "declarations": [
                (
                    "Cllr Margaret Felton",
                    "Item 4: Recommission home care",
                    "Her daughter is employed by a home care provider in the county. Not a prejudicial interest; she took part in the discussion.",
                ),
            ],
        },
    },
    {
        "start": at(2025, 7, 9, 14),
        "status": MeetingStatus.HELD,
        "summary": "Facilities management performance (in private), libraries and supported living.",
        "agenda": [
            ("3", "Minutes of the meeting on 12 March 2025", "", None),
            # A councillors-only paper: the public may not read it, so it is taken in private.
            (
                "4",
                "Libraries, registration and archives: future delivery",
                "Exempt item.",
                "libraries-alternative-delivery-model",
                "3",
            ),
            ("5", "Supported living procurement: progress", "", "supported-living-procurement"),
            (
                "6",
                "Facilities management contract: commercial performance",
                "Exempt item.",
                "total-facilities-management-contract",
                "3",
            ),
        ],
        "apologies": ["Cllr Sunita Rao"],
        "former": True,
        "minutes": {
            "signed_on": date(2026, 1, 14),
            "items": [
                (
                    "6/25",
                    "Apologies and substitutes",
                    "Apologies were received from Cllr Sunita Rao.",
                ),
                ("7/25", "Declarations of interest", "None."),
                (
                    "8/25",
                    "Minutes of the meeting on 12 March 2025",
                    "The minutes were agreed as a correct record and signed by the Chair.",
                ),
                (
                    "9/25",
                    "Libraries, registration and archives: trust model",
                    "Members asked how a trust would protect rural libraries and volunteers.",
                ),
                (
                    "10/25",
                    "Supported living procurement",
                    "Members welcomed the number of local providers that had expressed interest.",
                ),
                (
                    "11/25",
                    "Facilities management contract: commercial performance",
                    "Exempt minute (Schedule 12A, paragraph 3).",
                ),
            ],
            # Exempt minute number: (Schedule 12A paragraph, public summary).
            "exempt_items": {
                "11/25": (
                    "3",
                    "The board reviewed the facilities management contractor's commercial "
                    "performance in private session.",
                ),
                "9/25": (
                    "3",
                    "The board discussed options for the future delivery of libraries, "
                    "registration and archives in private session.",
                ),
            },
            "exempt_decisions": {
                "CAB/25/003": (
                    "3",
                    "The board deferred its advice on the future delivery of libraries, "
                    "registration and archives to a later meeting.",
                )
            },
            "decisions": [
                (
                    "CAB/25/003",
                    "Libraries alternative delivery model",
                    "RESOLVED that a decision be deferred until a full business case, including the effect on rural libraries, is brought to the board.",
                    Outcome.DEFERRED,
                    "libraries-alternative-delivery-model",
                    "25/00044",
                    GEDC,
                ),
                (
                    "CAB/25/004",
                    "Supported living procurement",
                    "RESOLVED that progress with the supported living procurement be noted.",
                    Outcome.NOTED,
                    "supported-living-procurement",
                    "25/00047",
                    ASC,
                ),
                (
                    "CAB/25/005",
                    "Facilities management contract",
                    "RESOLVED that the Policy and Resources Cabinet Committee be advised to hold the break clause in reserve and that a six-month contract review meeting be held with the provider.",
                    Outcome.AGREED,
                    "total-facilities-management-contract",
                    "25/00031",
                    PR,
                ),
            ],
            "declarations": [],
        },
    },
    {
        "start": at(2026, 1, 14, 10),
        "status": MeetingStatus.HELD,
        "summary": "The 12-month review of the arrangement, SEN home to school transport and "
        "youth services.",
        "agenda": [
            ("3", "Minutes of the meeting on 9 July 2025", "", None),
            ("4", "12-month review of the arrangement", "", None),
            (
                "5",
                "Home to school transport for children with SEN",
                "",
                "sen-home-to-school-transport",
            ),
            (
                "6",
                "Commissioned youth services",
                "Withdrawn by the Cabinet Member.",
                "youth-services-commissioning",
            ),
        ],
        "apologies": ["Cllr Peter Lyddon", "Cllr Kwame Mensah"],
        "substitute": ("Cllr Jenny Okonedo", "Substituting for Cllr Kwame Mensah"),
        "minutes": {
            "signed_on": date(2026, 9, 16),
            "items": [
                (
                    "1/26",
                    "Apologies and substitutes",
                    "Apologies from Cllr Peter Lyddon and Cllr Kwame Mensah; Cllr Jenny Okonedo substituted.",
                ),
                (
                    "2/26",
                    "Declarations of interest",
                    "Cllr Norman Quayle declared an interest in item 5.",
                ),
                ("3/26", "Minutes of the meeting on 9 July 2025", "Agreed and signed."),
                (
                    "4/26",
                    "12-month review of the arrangement",
                    "The Chair introduced the review. Members agreed that the board had brought them into decisions earlier.",
                ),
                (
                    "5/26",
                    "Home to school transport",
                    "Members debated the weighting of price against quality.",
                ),
                (
                    "6/26",
                    "Commissioned youth services",
                    "The board noted that the proposal had been withdrawn.",
                ),
            ],
            "decisions": [
                (
                    "CAB/26/001",
                    "12-month review of the arrangement",
                    "RESOLVED that the Policy and Resources Cabinet Committee be advised that the arrangement should continue for a further two years.",
                    Outcome.AGREED,
                    None,
                    "",
                    PR,
                ),
                (
                    "CAB/26/002",
                    "SEN transport: amendment on price weighting",
                    "An amendment that the price weighting be reduced to 30% was put to the vote and was lost.",
                    Outcome.NOT_AGREED,
                    "sen-home-to-school-transport",
                    "26/00004",
                    CYPE,
                ),
                (
                    "CAB/26/003",
                    "SEN transport: dynamic purchasing system",
                    "RESOLVED that the Cabinet Committee be advised to support a dynamic purchasing system with quality weighted at 40%.",
                    Outcome.AGREED,
                    "sen-home-to-school-transport",
                    "26/00004",
                    CYPE,
                ),
                (
                    "CAB/26/004",
                    "Commissioned youth services",
                    "RESOLVED that the withdrawal of the proposal be noted.",
                    Outcome.NOTED,
                    "youth-services-commissioning",
                    "26/00011",
                    CYPE,
                ),
            ],
            "declarations": [
                (
                    "Cllr Norman Quayle",
                    "Item 5: Home to school transport",
                    "He is a director of a community transport charity that may bid. Prejudicial: he left the room for the item.",
                    "quayle-transport",
                ),
            ],
        },
    },
    {
        "start": at(2026, 9, 16, 10),
        "status": MeetingStatus.HELD,
        "summary": "Voluntary sector grants, the recycling centres extension and the community "
        "equipment recovery plan.",
        "agenda": [
            ("3", "Minutes of the meeting on 14 January 2026", "", None),
            (
                "4",
                "Voluntary and community sector strategic grants 2027 to 2030",
                "",
                "voluntary-sector-strategic-grants",
            ),
            (
                "5",
                "Household waste recycling centres: contract extension",
                "",
                "household-waste-recycling-centres-extension",
            ),
            (
                "6",
                "Community equipment: recovery plan",
                "The provider's director of operations attends.",
                "integrated-community-equipment-review",
            ),
        ],
        "apologies": ["Cllr Alison Greer"],
        "minutes": {
            "signed_on": date(2027, 1, 20),
            "items": [
                ("7/26", "Apologies and substitutes", "Apologies from Cllr Alison Greer."),
                (
                    "8/26",
                    "Declarations of interest",
                    "Cllr Rosalind Tate declared an interest in item 4.",
                ),
                ("9/26", "Minutes of the meeting on 14 January 2026", "Agreed and signed."),
                (
                    "10/26",
                    "Voluntary sector strategic grants",
                    "Members favoured three-year grants and locality pots for small groups.",
                ),
                ("11/26", "Recycling centres extension", "Members praised the re-use shops."),
                (
                    "12/26",
                    "Community equipment",
                    "The provider's director of operations presented the recovery plan.",
                ),
            ],
            "decisions": [
                (
                    "CAB/26/005",
                    "Voluntary sector strategic grants",
                    "RESOLVED that officers develop options 1 and 3 and bring them back in January 2027.",
                    Outcome.DEFERRED,
                    "voluntary-sector-strategic-grants",
                    "26/00058",
                    GEDC,
                ),
                (
                    "CAB/26/006",
                    "Recycling centres extension",
                    "RESOLVED that the Environment and Transport Cabinet Committee be advised to support the two-year extension.",
                    Outcome.AGREED,
                    "household-waste-recycling-centres-extension",
                    "26/00061",
                    ET,
                ),
                (
                    "CAB/26/007",
                    "Community equipment recovery plan",
                    "RESOLVED that the recovery plan be noted and monthly reports be sent to members until the target is met.",
                    Outcome.NOTED,
                    "integrated-community-equipment-review",
                    "",
                    ASC,
                ),
            ],
            "declarations": [
                (
                    "Cllr Rosalind Tate",
                    "Item 4: Voluntary sector grants",
                    "She is a trustee of a charity funded by a strategic grant. Not prejudicial.",
                    "tate-harbourside",
                ),
            ],
        },
    },
    {
        "start": at(2026, 11, 11, 10),
        "status": MeetingStatus.CANCELLED,
        "cancellation_note": "Cancelled: no items were ready. The business moves to 20 January 2027.",
        "summary": "This meeting was cancelled.",
        "agenda": [],
    },
    {
        "start": at(2027, 1, 20, 10),
        "status": MeetingStatus.SCHEDULED,
        "summary": "Voluntary sector grant options, early help for families, and the board's "
        "work programme for 2027.",
        "agenda": [
            ("3", "Minutes of the meeting on 16 September 2026", "", None),
            (
                "4",
                "Voluntary and community sector strategic grants: options",
                "",
                "voluntary-sector-strategic-grants",
            ),
            (
                "5",
                "Early help services for families",
                "First discussion at the analyse stage.",
                None,
            ),
            ("6", "Work programme 2027", "", None),
        ],
    },
    {
        "start": at(2027, 3, 17, 14),
        "status": MeetingStatus.SCHEDULED,
        "summary": "Home care one year on, and the twelve-month review of the facilities "
        "management contract.",
        "agenda": [
            ("3", "Home care: one year on", "", "recommission-home-care"),
            (
                "4",
                "Facilities management contract: annual review",
                "Exempt item.",
                "total-facilities-management-contract",
                "3",
            ),
            (
                "5",
                "Community transport contract",
                "Exempt item.",
                "community-transport-contract-award",
                "3",
            ),
        ],
    },
]


def _attendance(ctx, spec):
    members = ctx.snippets["members"]
    names = [name for name, _, role, _ in MEMBERS if role != "substitute"]
    if spec.get("former"):
        names = [n if n != "Cllr Brian Hollins" else "Cllr Colin Ambrose" for n in names]
    rows = []
    for name in names:
        status = (
            AttendanceStatus.APOLOGIES if name in spec["apologies"] else AttendanceStatus.PRESENT
        )
        rows.append(MeetingAttendance(member=members[name], status=status))
    if spec.get("substitute"):
        name, note = spec["substitute"]
        rows.append(
            MeetingAttendance(member=members[name], status=AttendanceStatus.SUBSTITUTE, note=note)
        )
    return rows


def _agenda(ctx, spec):
    proposals = ctx.pages["proposal_pages"]
    rows = []
    for number, title, description, slug, *exempt in OPENING_ITEMS + spec["agenda"]:
        rows.append(
            AgendaItem(
                number=number,
                public_title=title,
                description=description,
                proposal=proposals[slug] if slug else None,
                is_exempt=bool(exempt),
                exempt_paragraph=exempt[0] if exempt else "",
            )
        )
    return rows


def _minutes(ctx, meeting, spec):
    proposals = ctx.pages["proposal_pages"]
    members = ctx.snippets["members"]
    day = meeting.start.date()
    page = MinutesPage(
        title=f"Minutes of {day:%-d %B %Y}",
        slug="minutes",
        reference=f"CAB/M/{day:%Y-%m-%d}",
        paper_date=day,
        summary=f"Minutes of the board's meeting on {day:%-d %B %Y}, with its decisions.",
        signed_on=spec["signed_on"],
    )
    exempt = spec.get("exempt_items", {})
    exempt_decisions = spec.get("exempt_decisions", {})
    page.minute_items = [
        MinuteItem(
            number=n,
            title=t,
            text=html(text),
            is_exempt=n in exempt,
            exempt_paragraph=exempt.get(n, ("", ""))[0],
            public_summary=exempt.get(n, ("", ""))[1],
        )
        for n, t, text in spec["items"]
    ]
    page.decisions = [
        Decision(
            reference=ref,
            title=title,
            resolution=html(resolution),
            outcome=outcome,
            proposal=proposals[slug] if slug else None,
            key_decision_reference=kd,
            cabinet_committee=ctx.snippets[committee],
            is_exempt=ref in exempt_decisions,
            exempt_paragraph=exempt_decisions.get(ref, ("", ""))[0],
            public_summary=exempt_decisions.get(ref, ("", ""))[1],
        )
        for ref, title, resolution, outcome, slug, kd, committee in spec["decisions"]
    ]
    interests = ctx.snippets.get("interests", {})
    page.declarations = [
        # An optional fourth value: the key of the register entry declared (demo.interests).
        Declaration(
            member=members[name],
            item=item,
            nature=nature,
            interest=interests.get(key[0]) if key else None,
        )
        for name, item, nature, *key in spec["declarations"]
    ]
    return ensure_page(ctx, meeting, page, tags=["minutes"])


def seed(ctx):
    index = ctx.pages["meetings"]
    meetings = {}
    for spec in MEETINGS:
        start = spec["start"]
        meeting = MeetingPage(
            title=f"{start:%-d %B %Y}",
            slug=f"{start:%Y-%m-%d}",
            reference=f"CAB/{start:%Y-%m-%d}",
            paper_date=start.date(),
            start=start,
            end=start.replace(hour=start.hour + 2, minute=30),
            status=spec["status"],
            cancellation_note=spec.get("cancellation_note", ""),
            summary=spec["summary"],
            webcast_url=(
                f"https://webcasts.example.gov.uk/board/{start:%Y-%m-%d}"
                if spec["status"] == MeetingStatus.HELD
                else ""
            ),
        )
        meeting.agenda_items = _agenda(ctx, spec) if spec["agenda"] else []
        if spec["status"] == MeetingStatus.HELD:
            meeting.attendance = _attendance(ctx, spec)
        meeting = ensure_page(ctx, index, meeting)
        meetings[meeting.slug] = meeting
        if "minutes" in spec:
            ctx.pages[f"minutes:{meeting.slug}"] = _minutes(ctx, meeting, spec["minutes"])
    ctx.pages["meeting_pages"] = meetings
