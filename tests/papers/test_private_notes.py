"""Private notes (issue 13, item 6): a signed-in member keeps a note on any paper they may read,
shown beside the paper to them alone, on /account/, exportable by them, never to anyone else
nor through search or the API; kept but hidden while they may not open the paper; deleted with
their account."""

import csv
import io

import pytest
from django.test import Client

from papers.confidentiality import apply_audience
from papers.models import PrivateNote
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

NOTE = "Ask about the Zephyrine staffing ratio before the vote"
NOTED = "staffing ratio before the vote"  # what a leak shows (a search echoes its own word)


@pytest.fixture
def papers():
    ensure_roles()
    index = ProposalIndexPageFactory()
    return {
        "public": ProposalPageFactory(parent=index, title="Recommission home care"),
        "briefing": ProposalPageFactory(
            parent=index, title="Transformation briefing", audience=Audience.MEMBERS
        ),
        "secret": ProposalPageFactory(
            parent=index, title="Bidder shortlist", audience=Audience.BOARD, exempt_paragraph="3"
        ),
    }


def signed_in(user, **kwargs):
    client = Client(HTTP_HOST="localhost", **kwargs)
    client.force_login(user)
    return client


def save(client, page, text=NOTE):
    return client.post(f"/notes/{page.pk}/", {"text": text})


def test_a_member_keeps_a_note_beside_a_paper(papers):
    member = CouncillorUserFactory()
    client = signed_in(member)
    page = client.get(papers["briefing"].url)
    assert 'id="private-note"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]  # carries a CSRF form: never page-cached
    response = save(client, papers["briefing"])
    assert response.status_code == 302
    assert response["Location"] == f"{papers['briefing'].url}#private-note"
    body = client.get(papers["briefing"].url).content.decode()
    assert NOTE in body
    # Changed, then emptied: emptying deletes it.
    save(client, papers["briefing"], "Second thoughts")
    assert PrivateNote.objects.get().text == "Second thoughts"
    save(client, papers["briefing"], "   ")
    assert not PrivateNote.objects.exists()


def test_the_note_form_needs_its_csrf_token(papers):
    client = signed_in(CouncillorUserFactory(), enforce_csrf_checks=True)
    assert save(client, papers["public"]).status_code == 403
    assert not PrivateNote.objects.exists()


def test_no_note_on_a_paper_the_member_may_not_read(papers):
    client = signed_in(CouncillorUserFactory())
    assert save(client, papers["secret"]).status_code == 404
    assert not PrivateNote.objects.exists()
    assert Client().post(f"/notes/{papers['public'].pk}/", {"text": NOTE}).status_code == 302
    assert not PrivateNote.objects.exists()
    anonymous = Client().get(papers["public"].url).content.decode()
    assert 'id="private-note"' not in anonymous and "csrfmiddlewaretoken" not in anonymous


def test_a_note_is_read_by_its_author_only_on_every_surface(papers):
    author = BoardMemberUserFactory()
    save(signed_in(author), papers["secret"])
    save(signed_in(author), papers["public"])
    others = [
        BoardMemberUserFactory(),
        ChairUserFactory(),
        OfficerFactory(),
        SuperuserFactory(),
        CouncillorUserFactory(),
    ]
    surfaces = [
        papers["secret"].url,
        papers["public"].url,
        "/account/",
        "/account/notes.csv",
        "/search/?q=Zephyrine",
        "/api/v2/pages/?search=Zephyrine",
        f"/api/v2/pages/{papers['public'].pk}/",
        f"/api/v2/pages/{papers['secret'].pk}/",
        "/api/v2/pages/?limit=100",
        "/feeds/all/",
    ]
    for user in others:
        client = signed_in(user)
        for url in surfaces:
            response = client.get(url)
            assert response.status_code < 500
            assert NOTED not in response.content.decode(), (user.username, url)
    for url in surfaces:
        assert NOTED not in Client().get(url).content.decode(), url
    # The author sees it beside each paper and on their account page, and search does not
    # index it (it is not part of the paper).
    client = signed_in(author)
    assert NOTE in client.get(papers["secret"].url).content.decode()
    assert NOTE in client.get("/account/").content.decode()
    assert NOTED not in client.get("/api/v2/pages/?search=Zephyrine").content.decode()
    assert NOTED not in client.get("/search/?q=Zephyrine").content.decode()


def test_notes_export_as_csv_for_their_author(papers):
    author = CouncillorUserFactory()
    client = signed_in(author)
    save(client, papers["public"], '=HYPERLINK("http://evil")')
    save(client, papers["briefing"])
    save(signed_in(CouncillorUserFactory()), papers["public"], "Someone else's")
    response = client.get("/account/notes.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Paper", "Address", "Note updated", "Note"]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {"Recommission home care", "Transformation briefing"}
    assert by_title["Transformation briefing"][3] == NOTE
    assert by_title["Recommission home care"][3].startswith("'=")  # spreadsheet-safe
    assert by_title["Transformation briefing"][1].endswith(papers["briefing"].url)


def test_a_note_on_a_paper_no_longer_open_is_kept_but_hidden_until_access_returns(papers):
    author = CouncillorUserFactory()
    client = signed_in(author)
    save(client, papers["briefing"])
    apply_audience(papers["briefing"], Audience.BOARD)  # tightened: councillors lose it
    for url in ("/account/", "/account/notes.csv"):
        assert NOTED not in client.get(url).content.decode(), url
    assert "1 note on papers you cannot open" in client.get("/account/").content.decode()
    assert PrivateNote.objects.filter(user=author).count() == 1  # kept
    apply_audience(papers["briefing"], Audience.MEMBERS)
    assert NOTE in client.get("/account/").content.decode()
    assert NOTE in client.get("/account/notes.csv").content.decode()


def test_notes_are_deleted_with_the_account(papers):
    author = CouncillorUserFactory()
    save(signed_in(author), papers["public"])
    assert PrivateNote.objects.count() == 1
    author.delete()
    assert not PrivateNote.objects.exists()


def test_a_note_too_long_is_refused_and_given_back_whole(papers):
    client = signed_in(CouncillorUserFactory())
    save(client, papers["briefing"], "The note kept so far")
    typed = "Zephyrine staffing " + "x" * 20000 + " & the last words <kept>"
    response = save(client, papers["briefing"], typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "A note can be at most 20,000 characters" in body
    assert "shorten it by 43 and save again. Nothing has been saved yet." in body
    # Every character typed comes back, escaped, in the form posting to the same place.
    assert "Zephyrine staffing " + "x" * 20000 + " &amp; the last words &lt;kept&gt;" in body
    assert f'action="/notes/{papers["briefing"].pk}/"' in body
    assert 'aria-describedby="private-note-error"' in body and 'href="#private-note-text"' in body
    assert "no-store" in response["Cache-Control"]
    # Nothing was cut short and kept: the earlier note stands.
    assert PrivateNote.objects.get().text == "The note kept so far"


def test_a_note_of_exactly_the_limit_is_kept_with_line_breaks_counted_once(papers):
    client = signed_in(CouncillorUserFactory())
    # 20,000 characters as the textarea counts them; the browser sends line breaks as CRLF.
    text = ("a" * 99 + "\r\n") * 200
    assert save(client, papers["briefing"], text.strip()).status_code == 302
    assert len(PrivateNote.objects.get().text) == 20000 - 1
