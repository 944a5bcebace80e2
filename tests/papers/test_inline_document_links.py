"""Links to a restricted document from a page's inline records (issue 9, finding 7).

A decision's resolution or a minute item's text is rich text on a record inside the page's
form; a link there to a document fewer people may open than may read the page is refused as
it is on the page's own fields, and is never shown to a reader who could not open it.
"""

import pytest
from django.test import Client

from papers.blocks import RICH_TEXT_FEATURES
from papers.confidentiality import collection_for
from papers.models.choices import Audience
from tests import factories as f
from tests.admin_forms import (
    assert_refused,
    assert_saved,
    board_page_data,
    inline_formset,
    post_edit,
    revision_count,
    rich_text,
)
from tests.public.helpers import board_member

pytestmark = pytest.mark.django_db

MESSAGE = "which anyone can open, but this page is for the board only"


def link(document, text):
    return f'<p>See <a linktype="document" id="{document.pk}">{text}</a> for the figures.</p>'


def text(html):
    return rich_text(html, features=RICH_TEXT_FEATURES)


def minutes_form(resolution, minute_text):
    return board_page_data(
        "Minutes",
        slug="minutes",
        signed_on="2025-04-09",
        minute_items=inline_formset(
            [{"number": "1/25", "title": "Home care", "text": text(minute_text), "is_exempt": ""}]
        ),
        decisions=inline_formset(
            [
                {
                    "reference": "CAB/25/031",
                    "outcome": "agreed",
                    "title": "Advice on home care",
                    "resolution": text(resolution),
                    "proposal": "",
                    "key_decision_reference": "",
                    "cabinet_committee": "",
                }
            ]
        ),
        declarations=inline_formset([]),
        recorded_votes=inline_formset([]),
    )


@pytest.fixture
def documents():
    return {
        "board": f.BoardDocumentFactory(
            title="Quillsworth valuation", collection=collection_for(Audience.BOARD)
        ),
        "public": f.BoardDocumentFactory(
            title="Market position", collection=collection_for(Audience.PUBLIC)
        ),
    }


@pytest.mark.parametrize("where", ["resolution", "minute"])
def test_a_link_to_a_public_document_from_board_only_minutes_records_is_refused(
    admin_client, documents, where
):
    """The rule pages have (a board-only paper's documents live in the board's collection)
    now holds for the rich text of its decisions and minute items too."""
    minutes = f.MinutesPageFactory(decisions=[], items=[])
    before = revision_count(minutes)
    public, board = link(documents["public"], "the prices"), link(documents["board"], "valuation")
    data = minutes_form(
        resolution=public if where == "resolution" else board,
        minute_text=public if where == "minute" else board,
    )
    data.update(audience="board", exempt_paragraph="3")
    response = post_edit(admin_client, minutes, data, publish=True)
    assert_refused(response, minutes, before, MESSAGE)
    assert not minutes.decisions.exists() and not minutes.minute_items.exists()
    assert not minutes.get_view_restrictions().exists()


def test_links_to_documents_the_page_s_readers_may_open_are_accepted(admin_client, documents):
    minutes = f.MinutesPageFactory(decisions=[], items=[])
    fine = link(documents["public"], "market")
    assert_saved(post_edit(admin_client, minutes, minutes_form(fine, fine), publish=True))
    assert minutes.decisions.get().resolution.count("linktype") == 1
    # Public minutes may link a board document (only those who may open it see the link).
    minutes = f.MinutesPageFactory(
        parent=f.MeetingPageFactory(title="Open", slug="open"), decisions=[], items=[]
    )
    board = link(documents["board"], "valuation")
    assert_saved(post_edit(admin_client, minutes, minutes_form(board, board), publish=True))
    # Board-only minutes may link the board's documents.
    meeting = f.MeetingPageFactory(title="Private", slug="private")
    secret_minutes = f.MinutesPageFactory(parent=meeting, decisions=[], items=[])
    secret = link(documents["board"], "the valuation")
    data = minutes_form(secret, secret)
    data.update(audience="board", exempt_paragraph="3")
    assert_saved(post_edit(admin_client, secret_minutes, data, publish=True))


def test_a_link_to_a_document_the_reader_may_not_open_is_never_shown(client, documents):
    """A link made while the document was public, then the document moved to the board's
    collection: the public minutes page and the API name nothing of it."""
    moved = documents["public"]
    moved.title = "Quillsworth bidder prices"
    moved.save()
    minutes = f.MinutesPageFactory(
        decisions=[{"resolution": link(moved, "Quillsworth bidder prices")}],
        items=[{"number": "1/25", "title": "Prices", "text": link(moved, "the Quillsworth file")}],
    )
    minutes.save_revision().publish()
    moved.collection = collection_for(Audience.BOARD)
    moved.save()

    for reader in ("anonymous", "board"):
        visitor = Client()
        if reader == "board":
            visitor.force_login(board_member())
        html = visitor.get(minutes.url).content.decode()
        api = visitor.get(f"/api/v2/pages/{minutes.pk}/").content.decode()
        rendered = visitor.get(
            f"/api/v2/pages/{minutes.pk}/", {"rich_text_format": "html"}
        ).content.decode()
        for body in (html, api, rendered):
            if reader == "anonymous":
                assert "Quillsworth" not in body
                assert moved.url not in body and moved.file.name not in body
        if reader == "board":
            assert moved.url in html and "Quillsworth bidder prices" in html
