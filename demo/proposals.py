"""Commissioning proposals across the four stages of the commissioning cycle."""

from datetime import date
from decimal import Decimal

from papers.models import ProposalPage
from papers.models.choices import Audience, ProposalStatus, RouteToMarket, Stage

from .helpers import block, body, bullets, ensure_page, html

ASC = "Adult Social Care and Health Cabinet Committee"
CYPE = "Children's, Young People and Education Cabinet Committee"
ET = "Environment and Transport Cabinet Committee"
GEDC = "Growth, Economic Development and Communities Cabinet Committee"
PR = "Policy and Resources Cabinet Committee"
TRANSFORMATION_1 = "Transformation programme, phase 1"
TRANSFORMATION_2 = "Transformation programme, phase 2"


def option(name, description, cost, advantages="", disadvantages="", recommended=False):
    return {
        "name": name,
        "description": html(description),
        "advantages": advantages,
        "disadvantages": disadvantages,
        "estimated_cost": cost,
        "recommended": recommended,
    }


PROPOSALS = [
    {
        "slug": "recommission-home-care",
        "title": "Recommission home care",
        "reference": "CAB/2025/003",
        "paper_date": date(2025, 3, 12),
        "key_decision_reference": "25/00012",
        "decision_maker": "Cabinet Member for Adult Social Care",
        "committee": ASC,
        "service_area": "Adult social care",
        "stage": Stage.PLAN,
        "programme": TRANSFORMATION_1,
        "status": ProposalStatus.DECISION_TAKEN,
        "summary": "The home care contracts end in May 2026. This paper sets out options for "
        "re-tendering home care in twelve geographic zones, with a stronger weighting for "
        "quality and social value than the last tender.",
        "body": [
            "About 7,800 people receive home care arranged by the council, at a cost of £62 "
            "million a year. The current framework has 93 providers; the market is fragile in "
            "rural areas, where packages can wait weeks to start.",
            ("heading", "What we want to achieve"),
            "Care that starts quickly, is delivered by a stable workforce paid at least the Real "
            "Living Wage, and helps people stay independent at home.",
        ],
        "options": [
            option(
                "Option 1: re-let the framework as it is",
                "Open the existing framework to new providers on the same terms.",
                "£62m a year",
                "Least disruption.",
                "Does not fix rural gaps; price-led evaluation has driven down quality.",
            ),
            option(
                "Option 2: twelve zones with a lead provider in each",
                "Tender twelve zones with a guaranteed volume of hours for one lead provider in "
                "each, and a framework of smaller providers behind them.",
                "£64.5m a year",
                "Guaranteed volumes let providers recruit; smaller local providers can win zones.",
                "Higher hourly rate; transition risk for people changing provider.",
                recommended=True,
            ),
            option(
                "Option 3: bring home care in-house",
                "Expand the in-house enablement service to deliver long-term home care.",
                "£71m a year",
                "Direct control of quality and workforce.",
                "Cost; the council would need to recruit 2,000 care workers.",
            ),
        ],
        "weights": (40, 45, 15),
        "social_value": bullets(
            "Care workers paid at least the Real Living Wage, with paid travel time.",
            "Two zones reserved for bids from small and medium providers based in the county.",
            "60 apprenticeships in care over the life of the contract.",
        ),
        "route": RouteToMarket.OPEN,
        "value": Decimal("451500000"),
        "recommendation": html("That the board advise the Cabinet Committee to support option 2."),
        "advice": html(
            "The board supported option 2 by a majority, asking that the price weighting not "
            "exceed 40% and that rural zones carry a rurality payment."
        ),
        "response": html(
            "The Cabinet Committee endorsed the board's advice on 25 March 2025 and the Cabinet "
            "Member took Key Decision 25/00012 on 2 April 2025, including the rurality payment."
        ),
        "providers": ["weald-home-care-partnership", "community-enablement-service"],
        "tags": ["home care", "social value", "Real Living Wage"],
    },
    {
        "slug": "total-facilities-management-contract",
        "title": "Total facilities management contract: performance and extension options",
        "reference": "CAB/2025/011",
        "paper_date": date(2025, 7, 9),
        "key_decision_reference": "25/00031",
        "decision_maker": "Cabinet Member for Corporate and Traded Services",
        "committee": PR,
        "service_area": "Facilities management and property",
        "stage": Stage.REVIEW,
        "programme": "",
        "status": ProposalStatus.ADVICE_GIVEN,
        "audience": Audience.BOARD,
        "exempt_paragraph": "3",
        "summary": "Commercial details of the three facilities management providers' "
        "performance, pricing and the options for the extension break clause.",
        "body": [
            "This paper contains the providers' pricing and performance deductions and is "
            "exempt under Schedule 12A, paragraph 3.",
            "Deductions of £214,000 were applied in the first quarter for reactive repair "
            "failures in the east lot.",
        ],
        "options": [
            option(
                "Option 1: hold the break clause in reserve",
                "Continue the contract with a formal improvement plan.",
                "£25.2m a year across three lots",
                recommended=True,
            ),
            option(
                "Option 2: exercise the break clause in the east lot",
                "Re-procure the east lot in 2027.",
                "£26.1m a year after re-procurement",
                disadvantages="Procurement cost and disruption to 212 buildings.",
            ),
        ],
        "weights": None,
        "route": RouteToMarket.NOT_DECIDED,
        "value": Decimal("176400000"),
        "recommendation": html("That the board note performance and support option 1."),
        "advice": html("The board supported option 1 and asked for a six-month review meeting."),
        "response": "",
        "providers": ["meridian-facilities-services"],
        "tags": ["facilities management", "contract review"],
    },
    {
        "slug": "voluntary-sector-strategic-grants",
        "title": "Voluntary and community sector strategic grants 2027 to 2030",
        "reference": "CAB/2026/014",
        "paper_date": date(2026, 9, 16),
        "key_decision_reference": "26/00058",
        "expected_decision_date": date(2027, 2, 16),
        "decision_maker": "Cabinet Member for Communities",
        "committee": GEDC,
        "service_area": "Voluntary and community sector",
        "stage": Stage.ANALYSE,
        "programme": TRANSFORMATION_2,
        "status": ProposalStatus.FOR_CONSIDERATION,
        "summary": "Early options for the next round of strategic grants to voluntary and "
        "community organisations: grant or contract, term, and how to protect small local groups.",
        "body": [
            "The council gives £6.8 million a year in strategic grants to 41 voluntary and "
            "community organisations. Grants end in September 2027.",
            "Members are asked for their views before the options are narrowed.",
        ],
        "options": [
            option(
                "Option 1: three-year grants, open round",
                "An open grant round with three-year awards.",
                "£6.8m a year",
                "Stability for organisations and volunteers.",
            ),
            option(
                "Option 2: outcome-based contracts",
                "Replace grants with contracts paid against outcomes.",
                "£6.5m a year",
                disadvantages="Small groups may not bid; higher administrative burden.",
            ),
            option(
                "Option 3: locality grant pots",
                "Devolve part of the budget to district-level pots decided with local members.",
                "£6.8m a year",
                "Local knowledge of small providers.",
            ),
        ],
        "weights": None,
        "route": RouteToMarket.GRANT,
        "value": Decimal("20400000"),
        "recommendation": html("That the board give its views on the options."),
        "advice": "",
        "response": "",
        "providers": ["harbourside-community-trust"],
        "tags": ["voluntary sector", "grants", "social value"],
    },
    {
        "slug": "sen-home-to-school-transport",
        "title": "Home to school transport for children with special educational needs",
        "reference": "CAB/2026/006",
        "paper_date": date(2026, 1, 14),
        "key_decision_reference": "26/00004",
        "decision_maker": "Cabinet Member for Education and Skills",
        "committee": CYPE,
        "service_area": "Education and SEN transport",
        "stage": Stage.PLAN,
        "programme": TRANSFORMATION_2,
        "status": ProposalStatus.ADVICE_GIVEN,
        "summary": "A dynamic purchasing system for taxi and minibus routes for 5,400 children, "
        "with independent travel training as an alternative where families want it.",
        "body": [
            "Spending on SEN transport has risen by 38% in three years to £41 million.",
        ],
        "options": [
            option(
                "Option 1: dynamic purchasing system",
                "Routes re-tendered through a dynamic purchasing system open to new operators.",
                "£39m a year",
                "Open to small local operators at any time.",
                recommended=True,
            ),
            option(
                "Option 2: in-house fleet",
                "Buy 60 minibuses and employ drivers and passenger assistants.",
                "£43m a year",
            ),
        ],
        "weights": (50, 40, 10),
        "social_value": bullets("Safeguarding training for every driver.", "Local operators."),
        "route": RouteToMarket.FRAMEWORK,
        "value": Decimal("156000000"),
        "recommendation": html("That the board support option 1."),
        "advice": html("The board supported option 1 and asked for quality to weigh 40%."),
        "response": "",
        "providers": [],
        "tags": ["SEN", "transport"],
    },
    {
        "slug": "libraries-alternative-delivery-model",
        "title": "Libraries, registration and archives: alternative delivery model",
        "reference": "CAB/2025/019",
        "paper_date": date(2025, 7, 9),
        "key_decision_reference": "25/00044",
        "decision_maker": "Cabinet Member for Communities",
        "committee": GEDC,
        "service_area": "Libraries, registration and archives",
        "stage": Stage.ANALYSE,
        "programme": TRANSFORMATION_1,
        "status": ProposalStatus.ADVICE_GIVEN,
        "audience": Audience.MEMBERS,
        "summary": "Members' briefing from the transformation programme on whether the library, "
        "registration and archives service should move to a charitable trust.",
        "body": [
            "This briefing is shared with all members so that backbench members can follow the "
            "transformation programme before options are put to the Cabinet Committee.",
        ],
        "options": [
            option("Option 1: stay in-house", "Keep the service in-house.", "£15.2m a year"),
            option(
                "Option 2: charitable trust",
                "Transfer to a new charitable trust with business rate relief.",
                "£14.1m a year",
                recommended=True,
            ),
        ],
        "weights": None,
        "route": RouteToMarket.NOT_DECIDED,
        "value": Decimal("70500000"),
        "recommendation": html("That the board comment on the options."),
        "advice": html("The board asked for a full business case before any decision."),
        "response": "",
        "providers": [],
        "tags": ["libraries", "transformation"],
    },
    {
        "slug": "household-waste-recycling-centres-extension",
        "title": "Household waste recycling centres: contract extension",
        "reference": "CAB/2026/015",
        "paper_date": date(2026, 9, 16),
        "key_decision_reference": "26/00061",
        "decision_maker": "Cabinet Member for Environment",
        "committee": ET,
        "service_area": "Waste management",
        "stage": Stage.REVIEW,
        "programme": "",
        "status": ProposalStatus.DECISION_TAKEN,
        "summary": "Whether to extend the northern household waste recycling centres contract "
        "by two years, in the light of the provider's performance.",
        "body": ["The contract allows one two-year extension."],
        "options": [
            option(
                "Option 1: extend by two years",
                "Use the extension.",
                "£2.9m a year",
                recommended=True,
            ),
            option("Option 2: re-tender", "Re-tender from July 2027.", "£3.1m a year"),
        ],
        "weights": None,
        "route": RouteToMarket.DIRECT_AWARD,
        "value": Decimal("5800000"),
        "recommendation": html("That the board support the extension."),
        "advice": html("The board supported the extension unanimously."),
        "response": html("The Cabinet Member took Key Decision 26/00061 on 1 October 2026."),
        "providers": ["greenway-recycling"],
        "tags": ["waste", "contract extension"],
    },
    {
        "slug": "supported-living-procurement",
        "title": "Supported living for adults with learning disabilities: procurement",
        "reference": "CAB/2025/024",
        "paper_date": date(2025, 7, 9),
        "key_decision_reference": "25/00047",
        "decision_maker": "Cabinet Member for Adult Social Care",
        "committee": ASC,
        "service_area": "Adult social care",
        "stage": Stage.DO,
        "programme": TRANSFORMATION_1,
        "status": ProposalStatus.DECISION_TAKEN,
        "summary": "The tender for supported living is live. This paper reports the evaluation "
        "model and the market's response to the social value questions.",
        "body": ["Forty-six providers expressed interest, twenty of them based in the county."],
        "options": [],
        "weights": (35, 50, 15),
        "social_value": bullets(
            "Employment opportunities for people with learning disabilities.",
            "Local supply chains for food and maintenance.",
        ),
        "route": RouteToMarket.RESTRICTED,
        "value": Decimal("212000000"),
        "recommendation": html("That the board note progress."),
        "advice": html("The board noted progress and praised the social value questions."),
        "response": html("The contract was awarded in January 2026 under Key Decision 25/00047."),
        "providers": [],
        "tags": ["learning disabilities", "social value"],
    },
    {
        "slug": "youth-services-commissioning",
        "title": "Commissioned youth services in the districts",
        "reference": "CAB/2026/009",
        "paper_date": date(2026, 1, 14),
        "key_decision_reference": "26/00011",
        "decision_maker": "Cabinet Member for Integrated Children's Services",
        "committee": CYPE,
        "service_area": "Youth services",
        "stage": Stage.DO,
        "programme": TRANSFORMATION_2,
        "status": ProposalStatus.WITHDRAWN,
        "summary": "Proposed re-commissioning of district youth services. Withdrawn by the "
        "Cabinet Member for further consultation with young people.",
        "body": ["The proposal was withdrawn before the board's meeting."],
        "options": [],
        "weights": (40, 40, 20),
        "social_value": bullets("Volunteering opportunities for young people."),
        "route": RouteToMarket.OPEN,
        "value": Decimal("9600000"),
        "recommendation": "",
        "advice": "",
        "response": "",
        "providers": [],
        "tags": ["youth"],
    },
    {
        "slug": "integrated-community-equipment-review",
        "title": "Integrated community equipment service: recovery plan",
        "reference": "CAB/2026/012",
        "paper_date": date(2026, 9, 16),
        "key_decision_reference": "",
        "decision_maker": "Cabinet Member for Adult Social Care",
        "committee": ASC,
        "service_area": "Public health",
        "stage": Stage.REVIEW,
        "programme": "",
        "status": ProposalStatus.ADVICE_GIVEN,
        "summary": "The provider's recovery plan after deliveries fell below target following "
        "the depot move, and the joint commissioners' options.",
        "body": ["Deliveries within 7 days have recovered to 89% against a 95% target."],
        "options": [],
        "weights": None,
        "route": RouteToMarket.NOT_DECIDED,
        "value": Decimal("23500000"),
        "recommendation": html("That the board comment on the recovery plan."),
        "advice": html("The board asked for monthly performance reports until the target is met."),
        "response": "",
        "providers": ["downland-and-coast-community-nhs-trust"],
        "tags": ["community equipment", "contract review"],
    },
    {
        "slug": "early-help-services",
        "title": "Early help services for families",
        "reference": "CAB/2027/002",
        "paper_date": date(2027, 1, 20),
        "key_decision_reference": "27/00003",
        # Still a draft: no notice and no advice yet, so the dashboard warns as the date nears.
        "expected_decision_date": date(2027, 2, 17),
        "decision_maker": "Cabinet Member for Integrated Children's Services",
        "committee": CYPE,
        "service_area": "Children's services",
        "stage": Stage.ANALYSE,
        "programme": TRANSFORMATION_2,
        "status": ProposalStatus.DRAFT,
        "summary": "First thoughts on commissioning early help for families with a mix of "
        "in-house and voluntary sector provision. Draft for the January 2027 meeting.",
        "body": ["Draft: officers are still gathering needs data."],
        "options": [],
        "weights": None,
        "route": RouteToMarket.NOT_DECIDED,
        "value": None,
        "recommendation": "",
        "advice": "",
        "response": "",
        "providers": [],
        "tags": ["early help"],
        "publish": False,
    },
    {
        # Board only, coming to the board in March 2027: the forward plan lists it by its
        # exempt agenda item's public title only.
        "slug": "community-transport-contract-award",
        "title": "Community transport: evaluation of tenders and recommended award",
        "reference": "CAB/2027/006",
        "paper_date": date(2027, 3, 17),
        "key_decision_reference": "27/00009",
        "expected_decision_date": date(2027, 4, 14),
        "decision_maker": "Cabinet Member for Highways and Transport",
        "committee": ET,
        "service_area": "Highways and transport",
        "stage": Stage.DO,
        "programme": "",
        "status": ProposalStatus.FOR_CONSIDERATION,
        "audience": Audience.BOARD,
        "exempt_paragraph": "3",
        "summary": "The evaluation of the four community transport tenders and the bidder "
        "officers recommend for award. Exempt: the bidders' prices are commercially sensitive.",
        "body": [
            "Four tenders were received; Brackenfold Community Transport scored highest on "
            "quality and social value.",
        ],
        "options": [],
        "weights": (40, 45, 15),
        "route": RouteToMarket.OPEN,
        "value": Decimal("9800000"),
        "recommendation": html("That the board advise award to the highest-scoring bidder."),
        "advice": "",
        "response": "",
        "providers": [],
        "tags": ["community transport"],
    },
]


def build(ctx, spec):
    page = ProposalPage(
        title=spec["title"],
        slug=spec["slug"],
        reference=spec["reference"],
        paper_date=spec["paper_date"],
        summary=spec["summary"],
        body=body(spec["slug"], *spec["body"]),
        key_decision_reference=spec["key_decision_reference"],
        decision_maker=spec["decision_maker"],
        expected_decision_date=spec.get("expected_decision_date"),
        cabinet_committee=ctx.snippets[spec["committee"]],
        service_area=ctx.snippets[spec["service_area"]],
        stage=spec["stage"],
        programme=spec["programme"],
        status=spec["status"],
        options_appraisal=[
            block("option", value, f"{spec['slug']}/option/{n}")
            for n, value in enumerate(spec["options"])
        ],
        social_value_commitments=spec.get("social_value", ""),
        route_to_market=spec["route"],
        estimated_value=spec["value"],
        recommendation=spec["recommendation"],
        board_advice=spec["advice"],
        cabinet_response=spec["response"],
        audience=spec.get("audience", Audience.PUBLIC),
        exempt_paragraph=spec.get("exempt_paragraph", ""),
    )
    if spec["weights"]:
        page.price_weighting, page.quality_weighting, page.social_value_weighting = spec["weights"]
    providers = ctx.pages["provider_pages"]
    page.related_providers = [providers[slug] for slug in spec["providers"]]
    return page


def seed(ctx):
    index = ctx.pages["proposals"]
    ctx.pages["proposal_pages"] = {
        spec["slug"]: ensure_page(
            ctx, index, build(ctx, spec), publish=spec.get("publish", True), tags=spec["tags"]
        )
        for spec in PROPOSALS
    }
