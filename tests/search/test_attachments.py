"""Text extracted from PDF and Word attachments is searched with the pages attaching it."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from papers.confidentiality import collection_for
from papers.models.choices import Audience
from papers.search.extraction import extract_text
from tests.factories import OfficerFactory

from .conftest import attach, client_for, docx_bytes, make_document, pdf_bytes, restrict
from .test_search_page import titles

pytestmark = pytest.mark.django_db


def test_pdf_and_docx_text_is_extracted():
    text, note = extract_text(io.BytesIO(pdf_bytes("Appendix on dromedary logistics")), "a.pdf")
    assert "dromedary logistics" in text and note == ""
    text, note = extract_text(io.BytesIO(docx_bytes("Evaluation of the pangolin bid")), "b.docx")
    assert "pangolin bid" in text and note == ""


@pytest.mark.parametrize(
    ("data", "name", "note"),
    [
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "could not be read"),
        (b"PK\x03\x04 not a zip", "broken.docx", "could not be read"),
        (None, "scan.pdf", "no text layer"),
        (b"\x89PNG", "picture.xlsx", "not read from .xlsx"),
    ],
)
def test_unreadable_files_are_stored_with_a_note(data, name, note):
    if data is None:  # a PDF with a page but no text, like a scan
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    document = make_document(name, data)
    document.refresh_from_db()
    assert document.extracted_text == ""
    assert note in document.extraction_note


def test_words_in_an_attachment_find_the_page_and_say_which(site, users):
    document = make_document(
        "appendix.pdf", pdf_bytes("Appendix on dromedary logistics"), title="Appendix A: logistics"
    )
    assert "dromedary" in document.extracted_text
    attach(site["transport"], document)
    response = client_for(users, "anonymous").get("/search/", {"q": "dromedary"})
    assert titles(response) == ["Home to school transport"]
    html = response.content.decode()
    assert "Found in attachment: Appendix A: logistics" in html
    assert "<mark>dromedary</mark>" in html


def test_replacing_a_document_reindexes_the_pages_attaching_it(site, users):
    document = make_document("evaluation.docx", docx_bytes("Evaluation of the pangolin bid"))
    attach(site["home_care"], document)
    client = client_for(users, "anonymous")
    assert titles(client.get("/search/", {"q": "pangolin"})) == ["Recommission home care"]

    document.file = ContentFile(docx_bytes("Evaluation of the armadillo bid"), name="v2.docx")
    document.save()
    assert titles(client.get("/search/", {"q": "armadillo"})) == ["Recommission home care"]
    assert titles(client.get("/search/", {"q": "pangolin"})) == []


def test_board_documents_do_not_leak_through_search(site, users):
    secret = make_document(
        "pricing.pdf", pdf_bytes("Bid price of the okapi consortium"), audience=Audience.BOARD
    )
    page = site["shortlist"]
    attach(page, secret)
    restrict(page, Audience.BOARD)
    for who in ("anonymous", "councillor"):
        response = client_for(users, who).get("/search/", {"q": "okapi"})
        assert titles(response) == []
        assert "okapi consortium" not in response.content.decode().replace("‘okapi’", "")
    assert titles(client_for(users, "board").get("/search/", {"q": "okapi"})) == [page.title]


def test_with_the_cache_on_a_public_page_attaching_a_board_only_document_is_never_kept(
    site, users, page_cache
):
    """A result shows the titles of its matching attachments, and a board-only document's
    title is restricted even on a public page: such a page's result is read for each search
    that shows it, and no copy of it is stored (papers.search.display.shown_pages)."""
    secret = make_document(
        "bids.pdf",
        pdf_bytes("Bid prices for minibuses from the okapi consortium"),
        audience=Audience.BOARD,
        title="Okapi bid prices",
    )
    attach(site["transport"], secret)
    for _ in range(2):
        response = client_for(users, "board").get("/search/", {"q": "minibuses"})
        assert titles(response) == ["Home to school transport"]
        assert "Found in attachment: Okapi bid prices" in response.content.decode()
    stored = list(page_cache._cache.values())  # LocMemCache keeps each value pickled
    assert not any(b"Okapi bid prices" in value or b"minibuses" in value for value in stored)
    councillor = client_for(users, "councillor").get("/search/", {"q": "minibuses"})
    assert titles(councillor) == ["Home to school transport"]
    assert "Okapi" not in councillor.content.decode()


def move_by_saving(officer, document, collection):
    document.collection = collection
    document.save()


def move_by_the_bulk_action(officer, document, collection):
    """The admin's "Add to collection": a queryset update, which sends no signals."""
    url = reverse("wagtail_bulk_action", args=["papers", "boarddocument", "add_to_collection"])
    response = officer.post(
        f"{url}?id={document.pk}&next=/admin/documents/", {"collection": collection.pk}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("move", [move_by_saving, move_by_the_bulk_action])
def test_with_the_cache_on_a_document_moved_to_the_board_leaves_every_kept_result(
    site, users, page_cache, move
):
    """Found by its words while public, then moved to the board's collection (by its edit
    form's save, or by the bulk action): the public (whose whole results page was kept) and a
    councillor no longer see its title; the board does."""
    officer = Client()  # before anything is kept: making a user starts a new generation
    officer.force_login(OfficerFactory(username="officer-moves-documents"))
    document = make_document(
        "prices.pdf",
        pdf_bytes("Prices for minibuses from the okapi consortium"),
        title="Okapi bid prices",
    )
    attach(site["transport"], document)
    for who in ("anonymous", "councillor", "board"):
        response = client_for(users, who).get("/search/", {"q": "okapi"})
        assert "Found in attachment: Okapi bid prices" in response.content.decode(), who
    move(officer, document, collection_for(Audience.BOARD))
    for who in ("anonymous", "councillor"):
        for words in ("okapi", "minibuses"):
            response = client_for(users, who).get("/search/", {"q": words})
            assert "Okapi" not in response.content.decode().replace("okapi", ""), who
    # A public page is no longer found by a board-only document's words alone (issue 9), but
    # the board still sees which of its attachments match the page's own words.
    board = client_for(users, "board").get("/search/", {"q": "minibuses"})
    assert "Found in attachment: Okapi bid prices" in board.content.decode()
