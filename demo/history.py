"""Deterministic text for generated historical papers (``seed_demo --papers N``).

Paper ``i`` depends only on ``i`` (its own ``random.Random`` seeded with a string, which is
stable across machines and Python runs), so ``--papers 50`` then ``--papers 100`` gives the
same content as ``--papers 100`` on a fresh database. Meeting ``j`` holds papers
``10j .. 10j+9``.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils.text import slugify

from papers.models.choices import Outcome, ProposalStatus, RouteToMarket, Stage

PAPERS_PER_MEETING = 10
FIRST_MEETING = date(2015, 1, 7)
SPAN_DAYS = 3639  # about ten years of history, ending before the board's 2025 meetings
SITTINGS = [(10, ""), (14, " (afternoon sitting)"), (18, " (evening sitting)")]

# service area -> (Cabinet Committee, decision maker, services commissioned)
AREAS = {
    "Adult social care": (
        "Adult Social Care and Health Cabinet Committee",
        "Cabinet Member for Adult Social Care",
        [
            "home care",
            "residential care for older people",
            "day opportunities",
            "supported living",
            "extra care housing",
            "carers' support services",
            "shared lives placements",
            "mental health recovery services",
        ],
    ),
    "Children's services": (
        "Children's, Young People and Education Cabinet Committee",
        "Cabinet Member for Integrated Children's Services",
        [
            "fostering support",
            "children's residential placements",
            "family support",
            "short breaks for disabled children",
            "adoption support",
            "care leavers' housing",
        ],
    ),
    "Education and SEN transport": (
        "Children's, Young People and Education Cabinet Committee",
        "Cabinet Member for Education and Skills",
        [
            "SEN home to school transport",
            "school meals",
            "alternative education provision",
            "post-16 travel support",
            "school improvement support",
        ],
    ),
    "Facilities management and property": (
        "Policy and Resources Cabinet Committee",
        "Cabinet Member for Corporate and Traded Services",
        [
            "total facilities management",
            "office cleaning",
            "building security",
            "planned maintenance",
            "energy supply",
            "catering in council buildings",
        ],
    ),
    "Highways and transport": (
        "Environment and Transport Cabinet Committee",
        "Cabinet Member for Highways and Transport",
        [
            "highway maintenance",
            "street lighting",
            "supported bus services",
            "winter gritting",
            "traffic signal maintenance",
            "community transport",
        ],
    ),
    "Libraries, registration and archives": (
        "Growth, Economic Development and Communities Cabinet Committee",
        "Cabinet Member for Communities",
        [
            "mobile libraries",
            "the archive digitisation service",
            "registration services",
            "library book supply",
            "community library volunteering",
        ],
    ),
    "Public health": (
        "Adult Social Care and Health Cabinet Committee",
        "Cabinet Member for Public Health",
        [
            "sexual health services",
            "drug and alcohol services",
            "health visiting",
            "stop smoking services",
            "NHS health checks",
            "school nursing",
        ],
    ),
    "Voluntary and community sector": (
        "Growth, Economic Development and Communities Cabinet Committee",
        "Cabinet Member for Communities",
        [
            "befriending grants",
            "advice services",
            "infrastructure support for charities",
            "community hubs",
            "volunteer centres",
        ],
    ),
    "Waste management": (
        "Environment and Transport Cabinet Committee",
        "Cabinet Member for Environment",
        [
            "household waste recycling centres",
            "waste transfer stations",
            "food waste treatment",
            "residual waste disposal",
            "garden waste composting",
        ],
    ),
    "Youth services": (
        "Children's, Young People and Education Cabinet Committee",
        "Cabinet Member for Integrated Children's Services",
        [
            "youth work in the districts",
            "youth justice support",
            "outdoor education",
            "targeted youth support",
        ],
    ),
    "Economic development": (
        "Growth, Economic Development and Communities Cabinet Committee",
        "Cabinet Member for Economic Development",
        [
            "business support",
            "adult skills training",
            "apprenticeship brokerage",
            "broadband roll-out",
            "town centre regeneration",
        ],
    ),
    "ICT and business services": (
        "Policy and Resources Cabinet Committee",
        "Cabinet Member for Corporate and Traded Services",
        [
            "ICT managed services",
            "payroll",
            "the customer contact centre",
            "print and post",
            "legal services",
        ],
    ),
}
DISTRICTS = [
    "Northdown",
    "Westmere",
    "Eastbridge",
    "Southvale",
    "Hartwell",
    "Combe Valley",
    "Marshfield",
    "Stourleigh",
    "Lydbrook",
    "Oakhurst",
    "Kingsmere",
    "Thornbury Vale",
]
ACTIONS = [
    # title pattern, stage, route to market
    ("Recommission {s}", Stage.PLAN, RouteToMarket.OPEN),
    ("Re-tender {s} in {d}", Stage.DO, RouteToMarket.RESTRICTED),
    ("Options for the future of {s}", Stage.ANALYSE, RouteToMarket.NOT_DECIDED),
    ("Market engagement on {s}", Stage.ANALYSE, RouteToMarket.NOT_DECIDED),
    ("Extend the contract for {s}", Stage.REVIEW, RouteToMarket.DIRECT_AWARD),
    ("Performance review of {s} in {d}", Stage.REVIEW, RouteToMarket.NOT_DECIDED),
    ("Jointly commission {s} with the NHS", Stage.PLAN, RouteToMarket.FRAMEWORK),
    ("Bring {s} in-house", Stage.PLAN, RouteToMarket.IN_HOUSE),
    ("Award of the contract for {s}", Stage.DO, RouteToMarket.OPEN),
    ("Grant funding for {s} in {d}", Stage.DO, RouteToMarket.GRANT),
    ("Decommission {s}", Stage.REVIEW, RouteToMarket.NOT_DECIDED),
]
WEIGHTS = [(60, 30, 10), (50, 40, 10), (40, 50, 10), (40, 45, 15), (35, 50, 15), (30, 50, 20)]
STATUSES = (
    [ProposalStatus.DECISION_TAKEN] * 12
    + [ProposalStatus.ADVICE_GIVEN] * 5
    + [ProposalStatus.WITHDRAWN, ProposalStatus.WITHDRAWN, ProposalStatus.FOR_CONSIDERATION]
)
SOCIAL_VALUE = [
    "apprenticeships for young people in the county",
    "spend with local small businesses",
    "sub-contracting to voluntary organisations",
    "the Real Living Wage for all staff",
    "volunteering days for staff",
    "reduced carbon emissions from vehicles",
    "work placements for care leavers",
    "jobs for people with disabilities",
]
CONCERNS = [
    "the fragility of the local market",
    "rural coverage",
    "the risk to small providers",
    "transition arrangements for service users",
    "the evaluation model",
    "whole-life costs",
    "TUPE transfer of staff",
    "data protection in the new system",
    "the split of the contract into lots",
    "performance deductions",
]
PROGRAMMES = [
    "",
    "",
    "Transformation programme, phase 1",
    "Transformation programme, phase 2",
    "Transformation programme, phase 3",
]


def meeting_start(j):
    """The (date, hour, suffix) of historical meeting j: spread over ten years, 3 days apart."""
    cycle, offset = divmod(3 * j, SPAN_DAYS)
    day = FIRST_MEETING + timedelta(days=offset + cycle % 3)
    hour, suffix = SITTINGS[(cycle // 3) % len(SITTINGS)]
    return day, hour, suffix


def paper(i):
    """Everything about generated paper i, as plain values."""
    rng = random.Random(f"board-papers/history/{i}")
    area = rng.choice(list(AREAS))
    committee, decision_maker, services = AREAS[area]
    service = rng.choice(services)
    district = rng.choice(DISTRICTS)
    pattern, stage, route = rng.choice(ACTIONS)
    title = pattern.format(s=service, d=district)
    title = title[0].upper() + title[1:]
    meeting_day, _, _ = meeting_start(i // PAPERS_PER_MEETING)
    paper_date = meeting_day - timedelta(days=rng.randint(7, 21))
    status = rng.choice(STATUSES)
    value = Decimal(rng.randint(5, 4000) * 25000)
    years = rng.choice([3, 4, 5, 7, 10])
    weights = rng.choice(WEIGHTS) if stage in (Stage.PLAN, Stage.DO) else None
    commitments = rng.sample(SOCIAL_VALUE, 3)
    concern = rng.choice(CONCERNS)
    people = rng.randint(80, 9000)
    saving = rng.randint(2, 18)
    kd = f"{paper_date.year % 100:02d}/{i % 100000:05d}"
    outcome = {
        ProposalStatus.DECISION_TAKEN: rng.choice([Outcome.AGREED] * 5 + [Outcome.NOT_AGREED]),
        ProposalStatus.ADVICE_GIVEN: rng.choice([Outcome.AGREED, Outcome.NOTED]),
        ProposalStatus.WITHDRAWN: Outcome.NOTED,
        ProposalStatus.FOR_CONSIDERATION: Outcome.DEFERRED,
    }[status]
    summary = (
        f"{title} for about {people:,} residents across {district} and the wider county. "
        f"The paper sets out the options, a whole-life value of £{value:,.0f} over {years} "
        f"years and a target saving of {saving}%."
    )
    options = [
        (
            "Option 1: do nothing",
            f"Let the current arrangements for {service} continue.",
            f"£{value / years:,.0f} a year",
            False,
        ),
        (
            f"Option 2: {pattern.split(' ')[0].lower()} {service}",
            f"{title}, with {commitments[0]} built into the specification.",
            f"£{value * (100 - saving) / 100 / years:,.0f} a year",
            True,
        ),
    ]
    if rng.random() < 0.5:
        options.append(
            (
                "Option 3: joint commissioning",
                f"Commission {service} jointly with the district councils and the NHS.",
                f"£{value * 97 / 100 / years:,.0f} a year",
                False,
            )
        )
    advice_text = (
        f"The board supported option 2 but asked officers to address {concern}."
        if outcome == Outcome.AGREED
        else f"The board did not support the recommendation because of concerns about {concern}."
        if outcome == Outcome.NOT_AGREED
        else f"The board noted the paper and asked for a further report on {concern}."
    )
    return {
        "i": i,
        "title": title,
        "slug": f"{slugify(title)[:80].rstrip('-')}-{paper_date.year}-{i}",
        "reference": f"CAB/{paper_date.year}/H{i:06d}",
        "paper_date": paper_date,
        "area": area,
        "committee": committee,
        "decision_maker": decision_maker,
        "service": service,
        "district": district,
        "stage": stage,
        "route": route,
        "status": status,
        "programme": rng.choice(PROGRAMMES),
        "value": value,
        "weights": weights,
        "key_decision_reference": kd,
        "summary": summary,
        "body": [
            f"The council spends about £{value / years:,.0f} a year on {service}. Demand has "
            f"risen by {rng.randint(3, 25)}% in three years and the current arrangements end "
            f"in {paper_date.year + rng.randint(1, 2)}.",
            f"Members raised {concern} at pre-market engagement. Providers in {district} "
            f"said that {rng.choice(CONCERNS)} was their main concern.",
        ],
        "options": options,
        "social_value": commitments,
        "recommendation": f"That the board advise the {committee} to support option 2.",
        "advice": advice_text if status != ProposalStatus.FOR_CONSIDERATION else "",
        "response": (
            f"The {decision_maker} took Key Decision {kd}, taking account of the board's advice."
            if status == ProposalStatus.DECISION_TAKEN
            else ""
        ),
        "outcome": outcome,
        "concern": concern,
        "declaration": rng.random() < 0.08,
        "declaring_member": rng.randrange(13),
    }
