"""Every view of a restricted page or document by a signed-in user is logged; the Chair and
administrators read, filter and export the log in the admin; officers and others cannot."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from wagtail.models import ReferenceIndex

from papers.confidentiality import collection_for
from papers.models import AccessLogEntry, BoardDocument
from papers.models.choices import Audience
from papers.roles import ensure_roles
from tests.factories import (
    BoardMemberUserFactory,
    ChairUserFactory,
    CouncillorUserFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    ensure_roles()
    index = ProposalIndexPageFactory()
    document = BoardDocument(title="Bidder pricing schedule", collection=collection_for("board"))
    document.file.save("pricing.txt", ContentFile(b"Quillhaven 3.12m"), save=False)
    document.save()
    return {
        "secret": ProposalPageFactory(
            parent=index, title="Bidder shortlist", audience=Audience.BOARD, exempt_paragraph="3"
        ),
        "public": ProposalPageFactory(parent=index, title="Recommission home care"),
        "document": document,
    }


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def log_url():
    return reverse("access_log:index")


def test_views_of_restricted_pages_and_documents_are_logged(site):
    member = BoardMemberUserFactory(username="tom")
    client = signed_in(member)
    assert client.get(site["secret"].url).status_code == 200
    assert client.get(site["document"].url).status_code == 200
    assert client.get(site["public"].url).status_code == 200  # public: not logged
    signed_in(None).get(site["secret"].url)  # anonymous: refused, nothing to log
    signed_in(CouncillorUserFactory(username="ruth")).get(site["secret"].url)  # refused: 403

    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [(e.username, e.object_type, e.object_title, e.audience) for e in entries] == [
        ("tom", "page", "Bidder shortlist", "board"),
        ("tom", "document", "Bidder pricing schedule", "board"),
    ]
    assert entries[0].user == member and entries[0].path == site["secret"].url


def test_logging_a_view_writes_nothing_to_the_reference_index(site):
    # The admin's URLs are loaded (as in any web process after its first request): Wagtail
    # would register the log's viewset model then, and index each entry's user.
    reverse("wagtailadmin_home")
    before = ReferenceIndex.objects.count()
    assert signed_in(BoardMemberUserFactory()).get(site["secret"].url).status_code == 200
    assert AccessLogEntry.objects.count() == 1
    assert ReferenceIndex.objects.count() == before


def test_chair_reads_filters_and_exports_the_log(site):
    signed_in(BoardMemberUserFactory(username="tom")).get(site["secret"].url)
    signed_in(BoardMemberUserFactory(username="ann")).get(site["document"].url)
    chair = signed_in(ChairUserFactory(username="helen"))

    listing = chair.get(log_url())
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Bidder shortlist" in html and "Bidder pricing schedule" in html

    filtered = chair.get(log_url(), {"username": "ann"}).content.decode()
    assert "Bidder pricing schedule" in filtered and "Bidder shortlist" not in filtered

    export = chair.get(log_url(), {"export": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    body = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3  # heading and two views
    assert {row[1] for row in rows[1:]} == {"tom", "ann"}


def test_administrators_read_the_log_but_nobody_edits_it(site):
    signed_in(BoardMemberUserFactory(username="tom")).get(site["secret"].url)
    entry = AccessLogEntry.objects.get()
    admin = signed_in(SuperuserFactory(username="root"))
    assert admin.get(log_url()).status_code == 200
    for name, args in [("access_log:edit", [entry.pk]), ("access_log:delete", [entry.pk])]:
        response = admin.post(reverse(name, args=args), {"username": "someone-else"})
        assert response.status_code in (302, 403)
    assert admin.get(reverse("access_log:add")).status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.username == "tom" and AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize(
    "factory", [OfficerFactory, BoardMemberUserFactory, CouncillorUserFactory, None]
)
def test_nobody_else_can_read_the_log(site, factory):
    signed_in(BoardMemberUserFactory(username="tom")).get(site["secret"].url)
    client = signed_in(factory() if factory else None)
    for params in ({}, {"export": "csv"}):
        response = client.get(log_url(), params)
        assert response.status_code in (302, 403)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Bidder shortlist" not in body
