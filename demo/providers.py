"""Providers of different sectors with their contracts and contract review meetings."""

from datetime import date
from decimal import Decimal

from django.db.models import Q

from papers.models import Contract, ContractReview, KpiReading, ProviderProfilePage
from papers.models.choices import Audience, ProcurementRoute, RagRating, Sector

from .helpers import body, ensure_page

PROVIDERS = [
    {
        "slug": "meridian-facilities-services",
        "title": "Meridian Facilities Services plc",
        "sector": Sector.LARGE_PRIVATE,
        "services": "Total facilities management for the council's offices, libraries and "
        "day centres in the east of the county: cleaning, security, reactive and planned "
        "maintenance, catering and the help desk.",
        "contact": ("Martin Oduya, Facilities Contract Manager", "fm.contracts@example.gov.uk"),
        "summary": "One of three providers under the Total Facilities Management contract, "
        "covering 212 council buildings in the east of the county.",
        "tags": ["facilities management", "property"],
        "contracts": [
            {
                "title": "Total Facilities Management, East lot",
                "contract_reference": "TFM-2025-E",
                "service": "Cleaning, security, maintenance, catering and help desk for 212 buildings",
                "department": "Corporate Property",
                "total_value": Decimal("58800000"),
                "extension_options": "Up to three further years, one at a time",
                "review_date": date(2027, 4, 14),
                "contact_email": "fm.contracts@example.gov.uk",
                "procurement_route": ProcurementRoute.COMPETITIVE,
                "supplier_registration_number": "01948273",
                "annual_value": Decimal("8400000"),
                "start_date": date(2025, 4, 1),
                "end_date": date(2032, 3, 31),
                "owner": "Martin Oduya, Facilities Contract Manager",
                "rag_rating": RagRating.AMBER,
                "kpis": "Reactive repairs attended within 4 hours (priority 1): 95%\n"
                "Planned maintenance tasks completed on schedule: 98%\n"
                "Help desk calls answered within 30 seconds: 90%\n"
                "Apprenticeships created in the county: 12 a year\n"
                "Spend with local SMEs: at least 25% of sub-contracted work",
            }
        ],
        "reviews": [
            {
                "title": "Six-month review of the Total Facilities Management contract",
                "contract": "Total Facilities Management, East lot",
                "date": date(2025, 10, 8),
                "outcome": "The board met the provider's account director six months into the "
                "contract. Planned maintenance was on schedule, but priority 1 reactive repairs "
                "met the 4-hour target in only 87% of cases, mainly in rural libraries. The "
                "provider agreed an improvement plan with two additional mobile engineers and a "
                "monthly report to the contract owner. Seven of twelve apprenticeships had been "
                "filled. Members asked that local SME spend be reported by district.",
                "rag_rating": RagRating.AMBER,
                "next_review": date(2026, 4, 15),
            },
            {
                "title": "Twelve-month review",
                "contract": "Total Facilities Management, East lot",
                "date": date(2026, 4, 15),
                "outcome": "Reactive repairs now meet the target (96%). The improvement plan was "
                "closed. Local SME spend reached 27%, reported by district as members asked.",
                "rag_rating": RagRating.GREEN,
                "next_review": date(2027, 4, 14),
            },
        ],
    },
    {
        "slug": "weald-home-care-partnership",
        "title": "Weald Home Care Partnership Ltd",
        "sector": Sector.SME,
        "services": "Home care (domiciliary care) for older people and adults with physical "
        "disabilities in the west of the county, including reablement visits after hospital.",
        "contact": (
            "Sarah Whitfield, Commissioning Manager (Adults)",
            "adults.commissioning@example.gov.uk",
        ),
        "summary": "A locally owned home care provider with about 240 care workers, holding "
        "two zones of the home care contract.",
        "tags": ["home care", "adult social care"],
        "contracts": [
            {
                "title": "Home care, West zones 3 and 4",
                "contract_reference": "ASC-HC-2026-W3",
                "service": "Home care and reablement visits in west zones 3 and 4",
                "department": "Adult Social Care and Health",
                "total_value": Decimal("43050000"),
                "extension_options": "Up to two further years",
                "review_date": date(2027, 3, 10),
                "contact_email": "adults.commissioning@example.gov.uk",
                "procurement_route": ProcurementRoute.OPEN_TENDER,
                "supplier_registration_number": "08815562",
                "annual_value": Decimal("6150000"),
                "start_date": date(2026, 6, 1),
                "end_date": date(2033, 5, 31),
                "owner": "Sarah Whitfield, Commissioning Manager (Adults)",
                "rag_rating": RagRating.GREEN,
                "kpis": "Care packages started within 48 hours of referral: 90%\n"
                "Missed visits: fewer than 0.5%\n"
                "Care workers paid at least the Real Living Wage: 100%\n"
                "People reporting they feel safe: 95%",
            }
        ],
        "reviews": [
            {
                "title": "Mobilisation review",
                "contract": "Home care, West zones 3 and 4",
                "date": date(2026, 9, 9),
                "outcome": "All packages transferred from the previous provider without a missed "
                "visit. Recruitment in rural areas remains the main risk; the provider has "
                "started a driving lessons scheme for new care workers.",
                "rag_rating": RagRating.GREEN,
                "next_review": date(2027, 3, 10),
            }
        ],
    },
    {
        "slug": "harbourside-community-trust",
        "title": "Harbourside Community Trust",
        "sector": Sector.VOLUNTARY,
        "services": "Befriending, community transport and wellbeing groups for older and "
        "isolated residents, delivered with about 400 volunteers.",
        "contact": (
            "Leanne Morrow, Voluntary Sector Partnerships Officer",
            "vcs.partnerships@example.gov.uk",
        ),
        "summary": "A registered charity funded through the council's voluntary and community "
        "sector strategic grants.",
        "tags": ["voluntary sector", "grants"],
        "contracts": [
            {
                "title": "Community wellbeing strategic grant",
                "contract_reference": "VCS-GR-2024-017",
                "service": "Befriending, community transport and wellbeing groups",
                "department": "Communities",
                "total_value": Decimal("1155000"),
                "extension_options": "None: a new grant round",
                "review_date": date(2026, 11, 11),
                "contact_email": "vcs.partnerships@example.gov.uk",
                "procurement_route": ProcurementRoute.GRANT,
                "supplier_registration_number": "1107734",
                "annual_value": Decimal("385000"),
                "start_date": date(2024, 10, 1),
                "end_date": date(2027, 9, 30),
                "owner": "Leanne Morrow, Voluntary Sector Partnerships Officer",
                "rag_rating": RagRating.GREEN,
                "kpis": "Residents supported each quarter: 1,200\n"
                "Volunteer hours each quarter: 9,000\n"
                "Participants reporting reduced loneliness: 70%",
            }
        ],
        "reviews": [
            {
                "title": "Annual grant review",
                "contract": "Community wellbeing strategic grant",
                "date": date(2025, 11, 12),
                "outcome": "Targets exceeded in every quarter. The trust asked for a longer grant "
                "term to keep volunteers; the board supported a three-year term in the next round.",
                "rag_rating": RagRating.GREEN,
                "next_review": date(2026, 11, 11),
            }
        ],
    },
    {
        "slug": "community-enablement-service",
        "title": "Community Enablement Service (in-house)",
        "sector": Sector.IN_HOUSE,
        "services": "The council's own short-term reablement service helping people regain "
        "independence at home after illness or a hospital stay.",
        "contact": ("Dev Raman, Head of Enablement", "enablement@example.gov.uk"),
        "summary": "An in-house service held to account in the same way as external providers.",
        "tags": ["reablement", "adult social care"],
        "contracts": [
            {
                "title": "Service level agreement: reablement",
                "contract_reference": "SLA-ASC-REA",
                "service": "Short-term reablement at home after illness or a hospital stay",
                "department": "Adult Social Care and Health",
                "total_value": Decimal("33600000"),
                "extension_options": "Renewed each year by the Cabinet Member",
                "review_date": date(2026, 12, 9),
                "contact_email": "enablement@example.gov.uk",
                "procurement_route": ProcurementRoute.IN_HOUSE,
                "supplier_registration_number": "",
                "annual_value": Decimal("11200000"),
                "start_date": date(2025, 4, 1),
                "end_date": date(2028, 3, 31),
                "owner": "Dev Raman, Head of Enablement",
                "rag_rating": RagRating.AMBER,
                "kpis": "People needing no ongoing care after reablement: 65%\n"
                "Started within 2 days of hospital discharge: 85%",
            }
        ],
        "reviews": [
            {
                "title": "Annual performance review",
                "contract": "Service level agreement: reablement",
                "date": date(2026, 5, 13),
                "outcome": "Outcomes are good (68% need no ongoing care) but starts within two "
                "days fell to 74% over the winter. The service will pilot seven-day discharge "
                "teams in two hospitals.",
                "rag_rating": RagRating.AMBER,
                "next_review": date(2026, 12, 9),
            }
        ],
    },
    {
        "slug": "downland-and-coast-community-nhs-trust",
        "title": "Downland and Coast Community NHS Trust",
        "sector": Sector.PUBLIC,
        "services": "Integrated community equipment service and the stop smoking service, "
        "jointly commissioned with the NHS.",
        "contact": ("Olivia Brandt, Public Health Commissioner", "public.health@example.gov.uk"),
        "summary": "An NHS community trust delivering two services jointly commissioned by the "
        "council and the integrated care board.",
        "tags": ["public health", "joint commissioning"],
        "contracts": [
            {
                "title": "Integrated community equipment service",
                "contract_reference": "JC-ICES-2023",
                "service": "Community equipment: delivery, fitting, collection and recycling",
                "department": "Adult Social Care and Health",
                "total_value": Decimal("23500000"),
                "extension_options": "One further year, jointly agreed with the NHS",
                "review_date": date(2026, 9, 16),
                "contact_email": "public.health@example.gov.uk",
                "procurement_route": ProcurementRoute.DIRECT_AWARD,
                "supplier_registration_number": "",
                "annual_value": Decimal("4700000"),
                "start_date": date(2023, 4, 1),
                "end_date": date(2028, 3, 31),
                "owner": "Olivia Brandt, Public Health Commissioner",
                "rag_rating": RagRating.RED,
                "kpis": "Standard deliveries within 7 days: 95%\nEquipment recycled: 80%",
            },
            {
                "title": "Stop smoking service",
                "contract_reference": "PH-SS-2024",
                "service": "Stop smoking advice and medication",
                "department": "Public Health",
                "total_value": Decimal("4050000"),
                "extension_options": "Up to two further years",
                "review_date": date(2027, 2, 17),
                "contact_email": "public.health@example.gov.uk",
                "procurement_route": ProcurementRoute.DIRECT_AWARD,
                "supplier_registration_number": "",
                "annual_value": Decimal("1350000"),
                "start_date": date(2024, 4, 1),
                "end_date": date(2027, 3, 31),
                "owner": "Olivia Brandt, Public Health Commissioner",
                "rag_rating": RagRating.GREEN,
                "kpis": "Four-week quit rate: 55%",
            },
        ],
        "reviews": [
            {
                "title": "Contract review: community equipment",
                "contract": "Integrated community equipment service",
                "date": date(2026, 3, 11),
                "outcome": "Only 81% of standard deliveries met the 7-day target after the depot "
                "move. The board asked the trust's director of operations to attend its next "
                "meeting with a recovery plan.",
                "rag_rating": RagRating.RED,
                "next_review": date(2026, 9, 16),
            }
        ],
    },
    {
        "slug": "greenway-recycling",
        "title": "Greenway Recycling Ltd",
        "sector": Sector.SME,
        "services": "Operation of six household waste recycling centres and the re-use shops.",
        "contact": ("Hamid Qureshi, Waste Contracts Manager", "waste.contracts@example.gov.uk"),
        "summary": "A county-based recycling company running six household waste recycling "
        "centres and their re-use shops.",
        "tags": ["waste", "recycling"],
        "contracts": [
            {
                "title": "Household waste recycling centres, north",
                "contract_reference": "ET-HWRC-2022-N",
                "service": "Running six household waste recycling centres and their re-use shops",
                "department": "Environment and Transport",
                "total_value": Decimal("14500000"),
                "extension_options": "Two further years to 30 June 2029, supported by the board",
                "review_date": date(2027, 3, 17),
                "contact_email": "waste.contracts@example.gov.uk",
                "procurement_route": ProcurementRoute.QUOTE,
                "supplier_registration_number": "06630418",
                "annual_value": Decimal("2900000"),
                "start_date": date(2022, 7, 1),
                "end_date": date(2027, 6, 30),
                "owner": "Hamid Qureshi, Waste Contracts Manager",
                "rag_rating": RagRating.GREEN,
                "kpis": "Recycling and re-use rate: 70%\nResident satisfaction: 90%",
            }
        ],
        "reviews": [
            {
                "title": "Contract review before extension decision",
                "contract": "Household waste recycling centres, north",
                "date": date(2026, 9, 16),
                "outcome": "Recycling rate of 73% and re-use shop income above forecast. The "
                "board supported a two-year extension.",
                "rag_rating": RagRating.GREEN,
                "next_review": None,
            }
        ],
    },
    {
        # Members-only while phase 2 of the transformation programme is before Cabinet
        # Committee: its contract is in the register for councillors, never for the public.
        "slug": "quillmere-business-services",
        "title": "Quillmere Business Services Ltd",
        "audience": Audience.MEMBERS,
        "sector": Sector.LARGE_PRIVATE,
        "services": "Payroll, supplier payments and pension administration, piloting the "
        "shared transactions hub for the council and its maintained schools.",
        "contact": (
            "Priya Hallam, Transformation Programme Manager",
            "transformation@example.gov.uk",
        ),
        "summary": "The pilot partner for the shared transactions hub in phase 2 of the "
        "transformation programme.",
        "tags": ["transformation programme"],
        "contracts": [
            {
                "title": "Transactions hub pilot (payroll and supplier payments)",
                "contract_reference": "TP2-HUB-2026",
                "service": "Payroll and supplier payment transactions for 140 schools",
                "department": "Finance and Corporate Services",
                "total_value": Decimal("8250000"),
                "extension_options": "Up to two further years",
                "review_date": date(2027, 4, 1),
                "contact_email": "transformation@example.gov.uk",
                "procurement_route": ProcurementRoute.FRAMEWORK,
                "supplier_registration_number": "11472036",
                "annual_value": Decimal("2750000"),
                "start_date": date(2026, 10, 1),
                "end_date": date(2029, 9, 30),
                "owner": "Priya Hallam, Transformation Programme Manager",
                "rag_rating": RagRating.GREEN,
                "kpis": "Payroll accuracy: 99.9%\nSupplier invoices paid within 30 days: 97%",
            }
        ],
        "reviews": [],
    },
]


def quarters(*actuals, first_year=2025):
    """(period, last day, actual) for consecutive financial quarters from April ``first_year``."""
    ends = [(6, 30), (9, 30), (12, 31), (3, 31)]
    rows = []
    for index, actual in enumerate(actuals):
        year = first_year + index // 4
        quarter = index % 4
        month, day = ends[quarter]
        end_year = year + 1 if quarter == 3 else year
        label = f"{year}-{str(year + 1)[2:]} Q{quarter + 1}"
        rows.append((label, date(end_year, month, day), Decimal(actual)))
    return rows


# KPI readings by provider: (contract reference, indicator, unit, target, quarters).
KPI_READINGS = {
    "meridian-facilities-services": [
        (
            "TFM-2025-E",
            "Priority 1 reactive repairs attended within 4 hours",
            "%",
            Decimal(95),
            quarters("85", "87", "93", "96", "96", "94"),
        ),
        (
            "TFM-2025-E",
            "Spend with local SMEs",
            "%",
            Decimal(25),
            quarters("19", "22", "24", "27", "27", "26"),
        ),
    ],
    "weald-home-care-partnership": [
        (
            "ASC-HC-2026-W3",
            "Missed visits",
            "%",
            Decimal("0.5"),
            quarters("0.3", "0.4", first_year=2026),
        ),
    ],
    "harbourside-community-trust": [
        (
            "VCS-GR-2024-017",
            "Residents supported",
            "people",
            Decimal(1200),
            quarters("1310", "1280", "1405", "1390", "1350", "1420"),
        ),
    ],
    "downland-and-coast-community-nhs-trust": [
        (
            "JC-ICES-2023",
            "Standard deliveries within 7 days",
            "%",
            Decimal(95),
            quarters("94", "92", "88", "81", "84", "89"),
        ),
    ],
}


def seed(ctx):
    index = ctx.pages["providers"]
    providers = {}
    for spec in PROVIDERS:
        contact, email = spec["contact"]
        page = ProviderProfilePage(
            title=spec["title"],
            slug=spec["slug"],
            audience=spec.get("audience", Audience.PUBLIC),
            sector=spec["sector"],
            services=spec["services"],
            performance_contact=contact,
            performance_contact_email=email,
            summary=spec["summary"],
            paper_date=spec["contracts"][0]["start_date"],
            body=body(
                spec["slug"],
                ("heading", "Holding the provider to account"),
                "Members can raise a concern about this provider's performance with the contact "
                "named on this page. The board reviews the contract at the meetings listed below.",
            ),
        )
        page.contracts = [Contract(**contract) for contract in spec["contracts"]]
        page.reviews = [ContractReview(**review) for review in spec["reviews"]]
        page.kpi_readings = [
            KpiReading(
                contract=ref,
                indicator=indicator,
                unit=unit,
                period=period,
                period_end=end,
                target=target,
                actual=actual,
            )
            for ref, indicator, unit, target, readings in KPI_READINGS.get(spec["slug"], [])
            for period, end, actual in readings
        ]
        providers[spec["slug"]] = ensure_page(ctx, index, page, tags=spec["tags"])
    ctx.pages["provider_pages"] = providers


# Which proposal recommissions which contract (demo.recommissioning links them once the
# proposals exist): the grants round and the equipment service review have reached the
# analyse stage; the other contracts ending soon have none yet, so the board is told.
RECOMMISSIONING = {
    "VCS-GR-2024-017": "voluntary-sector-strategic-grants",
    "JC-ICES-2023": "integrated-community-equipment-review",
}


# Contract reviews held at a board meeting (by the meeting's slug, its date).
REVIEW_MEETINGS = {"Contract review before extension decision": "2026-09-16"}


def link_recommissioning(ctx):
    """Link each contract to its recommissioning proposal and each review to the meeting that
    held it, as a published revision of its provider page (approved by the chair), once: a
    contract or review already linked is left alone."""
    proposals = ctx.pages.get("proposal_pages", {})
    meetings = ctx.pages.get("meeting_pages", {})
    providers = ProviderProfilePage.objects.filter(
        Q(contracts__contract_reference__in=RECOMMISSIONING) | Q(reviews__title__in=REVIEW_MEETINGS)
    ).distinct()
    for provider in providers:
        page = provider.get_latest_revision_as_object()
        changed = False
        reviews = list(page.reviews.all())  # copies, as for the contracts below
        for review in reviews:
            meeting = meetings.get(REVIEW_MEETINGS.get(review.title))
            if meeting is not None and review.meeting_id is None:
                review.meeting = meeting
                changed = True
        contracts = list(page.contracts.all())  # copies: the page gets them back below
        for contract in contracts:
            slug = RECOMMISSIONING.get(contract.contract_reference)
            proposal = proposals.get(slug)
            if proposal is not None and contract.recommissioning_proposal_id is None:
                contract.recommissioning_proposal = proposal
                changed = True
        if changed:
            page.contracts = contracts
            page.reviews = reviews
            revision = page.save_revision(user=ctx.users.get("officer"), log_action=True)
            revision.publish(user=ctx.users.get("chair"), skip_permission_checks=True)
