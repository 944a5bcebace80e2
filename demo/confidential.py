"""Confidential demo content: board-only proposals with attached PDF and Word papers, and a
members-only briefing on the transformation programme with its own annex.

Each page and document carries invented words found nowhere else on the site (the bidder
"Quillhaven", the site "Marrowdene", the annex code "Larkspurne"), so anyone can check that
searching for them as the public finds nothing, and as a board member finds the paper.
"""

from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from home.models import StandardPage
from papers.confidentiality import collection_for
from papers.models import (
    AgendaItem,
    CabinetCommittee,
    Decision,
    MeetingPage,
    MinuteItem,
    MinutesPage,
    ProposalPage,
)
from papers.models.choices import (
    Audience,
    MeetingStatus,
    Outcome,
    ProposalStatus,
    RouteToMarket,
    Stage,
)

from .helpers import at, block, body, ensure_page, html

# (key, title, audience, file name, lines of text)
DOCUMENTS = [
    (
        "equipment-pricing",
        "Community equipment service: bidder pricing schedule (exempt)",
        Audience.BOARD,
        "community-equipment-pricing.pdf",
        [
            "Community equipment service: bidder pricing schedule.",
            "Quillhaven Mobility Ltd tendered 3.12m a year; Marrowdene Supplies 3.41m a year.",
            "Exempt under Schedule 12A paragraph 3: commercially sensitive pricing.",
        ],
    ),
    (
        "equipment-evaluation",
        "Community equipment service: evaluation matrix (exempt)",
        Audience.BOARD,
        "community-equipment-evaluation.docx",
        [
            "Evaluation matrix for the community equipment service.",
            "Quillhaven scored 71 on quality; the Marrowdene depot failed the site visit.",
        ],
    ),
    (
        "distress-summary",
        "Residential care: provider financial distress summary (exempt)",
        Audience.BOARD,
        "provider-financial-distress.pdf",
        [
            "Provider financial distress summary.",
            "Corvellan Care Homes reported a going concern warning from its auditors.",
        ],
    ),
    (
        "transformation-annex",
        "Transformation programme phase 2: members' annex",
        Audience.MEMBERS,
        "transformation-phase-2-annex.pdf",
        [
            "Transformation programme phase 2: members' annex.",
            "Workstream Larkspurne moves back-office transactions to a shared service hub.",
        ],
    ),
]


def pdf_bytes(lines):
    """A small, valid one-page PDF whose text pypdf (and any reader) can extract."""
    text = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(
        "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
        for line in lines
    )
    text += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{content}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx_bytes(lines):
    from docx import Document as WordDocument

    word = WordDocument()
    for line in lines:
        word.add_paragraph(line)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def ensure_document(ctx, title, audience, filename, lines):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = pdf_bytes(lines) if filename.endswith(".pdf") else docx_bytes(lines)
    document = Document(
        title=title,
        collection=collection_for(audience),
        uploaded_by_user=ctx.users.get("officer"),
    )
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def attachments(key, documents):
    return [
        block("attachment", {"document": document.pk, "title": ""}, f"{key}/attachment/{n}")
        for n, document in enumerate(documents)
    ]


def seed(ctx):
    docs = {key: ensure_document(ctx, title, *rest) for key, title, *rest in DOCUMENTS}
    proposals = ctx.pages["proposals"]
    committee = CabinetCommittee.objects.order_by("pk").first()

    ctx.pages["confidential:equipment"] = ensure_page(
        ctx,
        proposals,
        ProposalPage(
            title="Community equipment service: bidder shortlist and commercial options",
            slug="community-equipment-bidder-shortlist",
            reference="CAB/2025/027",
            paper_date=date(2025, 9, 10),
            audience=Audience.BOARD,
            exempt_paragraph="3",
            summary="The shortlisted bidders' prices and the commercial options for the "
            "community equipment contract. Exempt: the bidders' pricing is commercially sensitive.",
            body=body(
                "confidential/equipment",
                "Two bidders remain: Quillhaven Mobility Ltd and Marrowdene Supplies.",
                "The Quillhaven bid is 8% below the current contract price.",
            ),
            stage=Stage.DO,
            status=ProposalStatus.FOR_CONSIDERATION,
            route_to_market=RouteToMarket.OPEN,
            estimated_value=15_600_000,
            cabinet_committee=committee,
            recommendation=html("Award to the most economically advantageous tender."),
            attachments=attachments(
                "confidential/equipment", [docs["equipment-pricing"], docs["equipment-evaluation"]]
            ),
        ),
        tags=["community equipment"],
    )
    ctx.pages["confidential:distress"] = ensure_page(
        ctx,
        proposals,
        ProposalPage(
            title="Residential care: provider in financial distress, contingency plan",
            slug="residential-care-provider-contingency",
            reference="CAB/2025/028",
            paper_date=date(2025, 9, 10),
            audience=Audience.BOARD,
            exempt_paragraph="3",
            summary="Contingency arrangements should a residential care provider fail.",
            body=body(
                "confidential/distress",
                "Corvellan Care Homes runs four homes under the block contract.",
                "If Corvellan fails, residents move under the council's provider failure protocol.",
            ),
            stage=Stage.REVIEW,
            status=ProposalStatus.FOR_CONSIDERATION,
            attachments=attachments("confidential/distress", [docs["distress-summary"]]),
        ),
        tags=["residential care"],
    )
    ctx.pages["confidential:briefing"] = ensure_page(
        ctx,
        ctx.pages["about"],
        StandardPage(
            title="Transformation programme phase 2: briefing for all members",
            slug="transformation-phase-2-members-briefing",
            reference="CAB/2025/B02",
            paper_date=date(2025, 10, 1),
            audience=Audience.MEMBERS,
            summary="For backbench members: what phase 2 of the transformation programme "
            "changes in back-office services, before it reaches Cabinet Committee.",
            body=body(
                "confidential/briefing",
                "Phase 2 brings the Larkspurne workstream: back-office transactions move to a "
                "shared service hub over eighteen months.",
            ),
            attachments=attachments("confidential/briefing", [docs["transformation-annex"]]),
        ),
        tags=["transformation programme"],
    )
    ctx.pages["confidential:documents"] = docs
    ctx.pages["confidential:meeting"] = special_meeting(ctx)


def special_meeting(ctx):
    """A public special meeting whose one substantive item was taken in private session: the
    agenda shows only the exempt item's public title and notice; the minutes an exempt minute
    and an exempt decision, each with a public summary written for the purpose."""
    start = at(2025, 9, 24, 14)
    meeting = MeetingPage(
        title=f"{start:%-d %B %Y} (special meeting)",
        slug=f"{start:%Y-%m-%d}-special",
        reference=f"CAB/{start:%Y-%m-%d}",
        paper_date=start.date(),
        start=start,
        end=start.replace(hour=16),
        status=MeetingStatus.HELD,
        summary="A special meeting to consider the community equipment re-procurement.",
    )
    meeting.agenda_items = [
        AgendaItem(number="1", public_title="Apologies and declarations of interest"),
        AgendaItem(
            number="2",
            public_title="Community equipment service: procurement update",
            description="",
            proposal=ctx.pages["confidential:equipment"],
            is_exempt=True,
            exempt_paragraph="3",
        ),
    ]
    meeting = ensure_page(ctx, ctx.pages["meetings"], meeting)
    day = start.date()
    minutes = MinutesPage(
        title=f"Minutes of {day:%-d %B %Y} (special meeting)",
        slug="minutes",
        reference=f"CAB/M/{day:%Y-%m-%d}",
        paper_date=day,
        summary="Minutes of the special meeting. The substantive item was exempt.",
        signed_on=date(2025, 10, 8),
    )
    minutes.minute_items = [
        MinuteItem(number="14/25", title="Apologies", text=html("There were no apologies.")),
        MinuteItem(
            number="15/25",
            title="Community equipment service: procurement update",
            text=html(
                "The board advised that the contract go to Quillhaven Mobility Ltd, subject to "
                "assurance on the Fenwarden depot's stock controls."
            ),
            is_exempt=True,
            exempt_paragraph="3",
            public_summary="The board considered the community equipment procurement in "
            "private session, because the report contains bidders' commercial information.",
        ),
    ]
    equipment = ctx.pages["confidential:equipment"]
    minutes.decisions = [
        Decision(
            reference="CAB/25/006",
            title="Community equipment contract: award to the preferred bidder",
            resolution=html(
                "RESOLVED that advice on awarding the contract to Quillhaven Mobility Ltd be "
                "deferred until the Thistlecombe audit of the Fenwarden depot's stock controls "
                "is reported to the board."
            ),
            outcome=Outcome.DEFERRED,
            proposal=equipment,
            cabinet_committee=equipment.cabinet_committee,
            is_exempt=True,
            exempt_paragraph="3",
            public_summary="The board deferred its advice on the community equipment contract "
            "to a later meeting.",
        )
    ]
    ensure_page(ctx, meeting, minutes, tags=["minutes"])
    return meeting
