"""A small board site for search tests: public, members-only and board-only papers, minutes
with decisions, a provider, a training module, and users for each audience."""

import datetime
import io

import docx
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from wagtail.models import PageViewRestriction
from wagtail.search.index import insert_or_update_object

from papers.confidentiality import collection_for, groups_for
from papers.models.choices import Audience, Outcome, Stage
from tests.factories import (
    BoardDocumentFactory,
    BoardMemberUserFactory,
    CabinetCommitteeFactory,
    CouncillorUserFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    ProposalPageFactory,
    ProviderProfilePageFactory,
    ServiceAreaFactory,
    TrainingModulePageFactory,
    paragraphs,
)
from tests.module_data import kept_for_the_module, reread


def pdf_bytes(text):
    """A real one-page PDF whose text layer says ``text``."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_document(name, data, audience=Audience.PUBLIC, title=None):
    return BoardDocumentFactory(
        title=title or name,
        file=ContentFile(data, name=name),
        collection=collection_for(audience),
    )


def attach(page, *documents):
    page.attachments = [
        {"type": "attachment", "value": {"document": d.pk, "title": ""}} for d in documents
    ]
    page.save_revision().publish()
    return page


def restrict(page, audience):
    """Make ``page`` members-only or board-only as the site does (group view restriction)."""
    page.audience = audience
    page.exempt_paragraph = "3" if audience == Audience.BOARD else ""
    page.save_revision().publish()
    page.refresh_from_db()
    if not PageViewRestriction.objects.filter(page=page).exists():
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set(groups_for(audience))
    return page


@pytest.fixture(scope="module")
def shared_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The users and the site, built once for a module's tests (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        users = build_users()
        yield build_site(), users


@pytest.fixture
def users(db, shared_site):
    return reread(shared_site[1])


@pytest.fixture
def site(users, shared_site):
    """Content covering every result type, audience and filter."""
    return reread(shared_site[0])


def build_users():
    for name in ("Members", "Board members", "Chair", "Officers"):
        Group.objects.get_or_create(name=name)
    return {
        "anonymous": None,
        "councillor": CouncillorUserFactory(username="councillor-q"),
        "board": BoardMemberUserFactory(username="board-q"),
    }


def client_for(users, who):
    client = Client()
    if users[who] is not None:
        client.force_login(users[who])
    return client


def build_site():
    adults = ServiceAreaFactory(name="Adult social care")
    children = ServiceAreaFactory(name="Children and families")
    asc = CabinetCommitteeFactory(name="Adult Social Care Cabinet Committee")
    env = CabinetCommitteeFactory(name="Environment and Transport Cabinet Committee")
    pages = {}
    pages["home_care"] = ProposalPageFactory(
        title="Recommission home care",
        reference="CAB/2025/003",
        key_decision_reference="25/00012",
        stage=Stage.PLAN,
        service_area=adults,
        cabinet_committee=asc,
        paper_date=datetime.date(2025, 3, 12),
        summary="Options for the home care contracts that end in March 2026.",
        body=paragraphs("Rural coverage and the workforce of domiciliary providers."),
    )
    pages["transport"] = ProposalPageFactory(
        title="Home to school transport",
        reference="CAB/2024/020",
        key_decision_reference="24/00077",
        stage=Stage.DO,
        service_area=children,
        cabinet_committee=env,
        paper_date=datetime.date(2024, 6, 5),
        summary="A dynamic purchasing system for taxis and minibuses.",
        body=paragraphs("Home care is not part of this paper, which is about transport."),
    )
    pages["shortlist"] = restrict(
        ProposalPageFactory(
            title="Community equipment bidder shortlist",
            reference="CAB/2025/027",
            key_decision_reference="25/00099",
            stage=Stage.DO,
            service_area=adults,
            cabinet_committee=asc,
            paper_date=datetime.date(2025, 9, 1),
            summary="The shortlisted bidders' prices for zanzibarite wheelchairs.",
        ),
        Audience.BOARD,
    )
    pages["briefing"] = restrict(
        ProposalPageFactory(
            title="Transformation briefing for members",
            reference="CAB/2025/030",
            key_decision_reference="",
            stage=Stage.ANALYSE,
            service_area=children,
            cabinet_committee=env,
            paper_date=datetime.date(2025, 10, 1),
            summary="The quokkaline phase of the transformation programme.",
        ),
        Audience.MEMBERS,
    )
    meeting = MeetingPageFactory(
        title="12 March 2025",
        paper_date=datetime.date(2025, 3, 12),
        start=datetime.datetime(2025, 3, 12, 10, tzinfo=datetime.UTC),
        summary="The board's March meeting.",
    )
    pages["meeting"] = meeting
    minutes = MinutesPageFactory(
        parent=meeting,
        title="Minutes of 12 March 2025",
        paper_date=datetime.date(2025, 3, 12),
        items=[
            {"number": "1/25", "title": "Home care", "text": "<p>Members discussed lots.</p>"},
            {
                "number": "2/25",
                "title": "Exempt item",
                "text": "<p>The xylophonic pricing of a provider.</p>",
                "is_exempt": True,
            },
        ],
        decisions=[
            {
                "reference": "CAB/25/031",
                "title": "Advice on recommissioning home care",
                "resolution": "<p>RESOLVED to advise re-tendering home care in three quincunx lots.</p>",
                "outcome": Outcome.AGREED,
                "key_decision_reference": "25/00012",
                "cabinet_committee": asc,
                "proposal": pages["home_care"],
            },
            {
                "reference": "CAB/25/032",
                "title": "School transport amendment",
                "resolution": "<p>RESOLVED that the price weighting be deferred.</p>",
                "outcome": Outcome.DEFERRED,
                "key_decision_reference": "",
                "cabinet_committee": env,
                "proposal": pages["transport"],
            },
        ],
    )
    minutes.save_revision().publish()
    pages["minutes"] = minutes
    secret_meeting = restrict(
        MeetingPageFactory(
            title="Private session 1 September 2025",
            paper_date=datetime.date(2025, 9, 1),
            start=datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC),
        ),
        Audience.BOARD,
    )
    secret_minutes = MinutesPageFactory(
        parent=secret_meeting,
        title="Minutes of the private session",
        paper_date=datetime.date(2025, 9, 1),
        items=[],
        decisions=[
            {
                "reference": "CAB/25/090",
                "title": "Marmalade bidder chosen",
                "resolution": "<p>RESOLVED to choose the marmalade bidder.</p>",
                "outcome": Outcome.AGREED,
                "key_decision_reference": "25/00099",
                "cabinet_committee": asc,
                "proposal": pages["shortlist"],
            }
        ],
    )
    secret_minutes.save_revision().publish()
    pages["secret_minutes"] = secret_minutes
    pages["provider"] = ProviderProfilePageFactory(
        title="Weald Home Care Partnership", summary="A home care provider in the Weald."
    )
    pages["training"] = TrainingModulePageFactory(
        title="The commissioning cycle",
        stage=Stage.ANALYSE,
        summary="How the council is commissioning services: analyse, plan, do, review.",
    )
    for page in pages.values():
        insert_or_update_object(page.specific)
    return pages
