"""Structured social value and providers at meetings (issue 14, items 2 and 4): commitments on
three proposals, the contracts two of them awarded, what the contract reviews heard was
delivered (one commitment short, one well short), and providers who attended a board meeting.

Run after demo.recommissioning. Each change is a revision saved by the officer and published by
the Chair, once: a proposal that has commitments, a provider that has readings or a meeting
that has providers recorded is left alone, so a second run changes nothing.
"""

from datetime import date
from decimal import Decimal

from papers.choices import SocialValueMeasure as M
from papers.choices import SocialValueUnit as U
from papers.models import (
    ProposalPage,
    ProviderAttendance,
    ProviderProfilePage,
    SocialValueCommitment,
    SocialValueDelivery,
)

# Proposal slug -> [(measure, description, unit, target)].
COMMITMENTS = {
    "recommission-home-care": [
        (M.APPRENTICESHIPS, "Care apprenticeships in the west zones", U.NUMBER, 10),
        (M.LIVING_WAGE, "", U.PERCENT, 100),
        (M.LOCAL_JOBS, "Care workers living in the zones they serve", U.NUMBER, 40),
    ],
    # Board only: what the extension asks of the provider is commercially confidential.
    "total-facilities-management-contract": [
        (M.APPRENTICESHIPS, "", U.NUMBER, 12),
        (M.LOCAL_SPEND, "Sub-contracted work with county SMEs", U.PERCENT, 25),
        (M.CARBON, "From the building maintenance programme", U.TONNES, 120),
    ],
    "supported-living-procurement": [
        (M.LIVING_WAGE, "", U.PERCENT, 100),
        (M.VOLUNTEERING, "Staff volunteering with local groups", U.HOURS, 500),
    ],
}

# Contract reference -> the proposal that awarded (or last extended) it.
AWARDED_BY = {
    "ASC-HC-2026-W3": "recommission-home-care",
    "TFM-2025-E": "total-facilities-management-contract",
}

# Provider slug -> [(review date, proposal slug, commitment index, delivered, note)].
DELIVERED = {
    "weald-home-care-partnership": [
        (date(2026, 9, 9), "recommission-home-care", 0, 3, "Five more start in January."),
        (date(2026, 9, 9), "recommission-home-care", 1, 100, ""),
        (date(2026, 9, 9), "recommission-home-care", 2, 46, ""),
    ],
    "meridian-facilities-services": [
        (date(2025, 10, 8), "total-facilities-management-contract", 0, 7, ""),
        (date(2025, 10, 8), "total-facilities-management-contract", 1, 22, ""),
        (date(2026, 4, 15), "total-facilities-management-contract", 0, 12, ""),
        (date(2026, 4, 15), "total-facilities-management-contract", 1, 27, ""),
        (
            date(2026, 4, 15),
            "total-facilities-management-contract",
            2,
            80,
            "Boiler replacements slipped to the next financial year.",
        ),
    ],
}

# Meeting slug -> [(provider slug, who attended, agenda item)].
PROVIDERS_ATTENDING = {
    "2026-09-16": [
        ("greenway-recycling", "Tomasz Elbourne, Operations Director", "5"),
        ("downland-and-coast-community-nhs-trust", "Dr Ifeoma Raske, Director of Operations", "6"),
    ],
}


def publish(ctx, page):
    revision = page.save_revision(user=ctx.users.get("officer"), log_action=True)
    revision.publish(user=ctx.users.get("chair"), skip_permission_checks=True)


def add_commitments(ctx):
    for slug, rows in COMMITMENTS.items():
        proposal = ProposalPage.objects.filter(slug=slug).first()
        if proposal is None or proposal.commitments.exists():
            continue
        page = proposal.get_latest_revision_as_object()
        page.commitments = [
            SocialValueCommitment(
                measure=measure, description=text, unit=unit, target=Decimal(target), sort_order=n
            )
            for n, (measure, text, unit, target) in enumerate(rows)
        ]
        publish(ctx, page)


def add_deliveries(ctx):
    commitments = {
        slug: list(SocialValueCommitment.objects.filter(proposal__slug=slug).order_by("sort_order"))
        for slug in COMMITMENTS
    }
    proposals = {p.slug: p for p in ProposalPage.objects.filter(slug__in=AWARDED_BY.values())}
    for slug, rows in DELIVERED.items():
        provider = ProviderProfilePage.objects.filter(slug=slug).first()
        if provider is None or provider.social_value_deliveries.exists():
            continue
        page = provider.get_latest_revision_as_object()
        contracts = list(page.contracts.all())  # copies: the page gets them back below
        for contract in contracts:
            awarding = proposals.get(AWARDED_BY.get(contract.contract_reference))
            if awarding is not None and contract.awarded_by_id is None:
                contract.awarded_by = awarding
        page.contracts = contracts
        page.social_value_deliveries = [
            SocialValueDelivery(
                review_date=day,
                commitment=commitments[proposal][index],
                delivered=Decimal(delivered),
                note=note,
                sort_order=n,
            )
            for n, (day, proposal, index, delivered, note) in enumerate(rows)
        ]
        publish(ctx, page)


def add_providers_attending(ctx):
    meetings = ctx.pages.get("meeting_pages", {})
    providers = ctx.pages.get("provider_pages", {})
    for slug, rows in PROVIDERS_ATTENDING.items():
        meeting = meetings.get(slug)
        if meeting is None or ProviderAttendance.objects.filter(meeting=meeting).exists():
            continue
        page = meeting.get_latest_revision_as_object()
        page.provider_attendance = [
            ProviderAttendance(
                provider=providers[provider], attendee=who, agenda_item=item, sort_order=n
            )
            for n, (provider, who, item) in enumerate(rows)
        ]
        publish(ctx, page)


def seed(ctx):
    add_commitments(ctx)
    add_deliveries(ctx)
    add_providers_attending(ctx)
