"""The agenda pack (papers.agenda_pack): one tagged PDF per meeting, with page numbers; the
public pack holds nothing exempt; the pack of exempt papers is only for those who may read them."""

import datetime

import pytest
from wagtail.models import PageLogEntry

from papers.models import MeetingPage
from tests import factories as f
from tests.responses import pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Termination of the Hollins Facilities contract"
SECRET_WORDS = "Marrowdene depot break clause"


@pytest.fixture
def meeting():
    public = f.ProposalPageFactory(
        title="Recommission home care", summary="Options for home care in three lots."
    )
    secret = f.ProposalPageFactory(
        title=SECRET_TITLE,
        summary=f"The {SECRET_WORDS} and the settlement sum.",
        audience="board",
        exempt_paragraph="3",
    )
    return f.MeetingPageFactory(
        agenda_published_on=datetime.date(2025, 3, 4),
        agenda=[
            {"number": "1", "public_title": "Apologies and substitutes"},
            {"number": "2", "public_title": "Home care recommissioning", "proposal": public},
            {
                "number": "3",
                "public_title": "Facilities-management contract: commercial position",
                "proposal": secret,
                "is_exempt": True,
                "exempt_paragraph": "3",
            },
        ],
    )


def pack_url(meeting, name="agenda_pack"):
    return meeting.url + meeting.reverse_subpage(name)


def test_public_pack_has_the_agenda_the_public_papers_and_page_numbers(client, meeting):
    response = client.get(pack_url(meeting))
    assert response.status_code == 200
    reader, text = pdf_reader(response), pdf_text(response)
    pages = len(reader.pages)
    assert pages >= 3  # cover, agenda, one public paper
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Recommission home care" in text and "Options for home care" in text
    # The exempt item appears only as its public title and notice.
    assert "Facilities-management contract: commercial position" in text
    assert "Schedule 12A paragraph 3" in text
    assert SECRET_TITLE not in text and "Marrowdene" not in text
    # Tagged and titled for screen readers (PDF/UA-1 metadata).
    assert reader.metadata.title == f"Agenda pack: {meeting.title}"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_public_pack_is_the_same_for_a_board_member(client, meeting):
    client.force_login(f.BoardMemberUserFactory())
    text = pdf_text(client.get(pack_url(meeting)))
    assert SECRET_TITLE not in text and "Marrowdene" not in text


def test_exempt_pack_refused_to_anonymous_and_councillor(client, meeting):
    url = pack_url(meeting, "exempt_agenda_pack")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "no-store" in response["Cache-Control"]

    client.force_login(f.CouncillorUserFactory())
    response = client.get(url)
    assert response.status_code == 403
    assert SECRET_TITLE.encode() not in response.content


def test_exempt_pack_served_to_a_board_member_privately(client, meeting):
    client.force_login(f.BoardMemberUserFactory())
    response = client.get(pack_url(meeting, "exempt_agenda_pack"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    reader, text = pdf_reader(response), pdf_text(response)
    assert SECRET_TITLE in text and "Marrowdene" in text
    assert "Recommission home care" not in text  # only what the public pack leaves out
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Exempt information under Schedule 12A" in text


def test_meeting_page_links_the_packs_it_may_offer(client, meeting):
    html = client.get(meeting.url).content.decode()
    assert pack_url(meeting) in html
    assert pack_url(meeting, "exempt_agenda_pack") not in html

    client.force_login(f.BoardMemberUserFactory())
    html = client.get(meeting.url).content.decode()
    assert pack_url(meeting, "exempt_agenda_pack") in html


def published_at(revision, *when):
    """Date the log entry of ``revision``'s publication as if it had been published ``when``."""
    stamp = datetime.datetime(*when, tzinfo=datetime.UTC)
    PageLogEntry.objects.filter(revision=revision, action="wagtail.publish").update(timestamp=stamp)


def test_republishing_a_changed_agenda_after_publication_issues_a_supplement(client, meeting):
    revision = meeting.save_revision()
    revision.publish()
    published_at(revision, 2025, 3, 4, 16, 0)  # the agenda's publication day
    text = pdf_text(client.get(pack_url(meeting)))
    assert "Version 1" in text and "supplement" not in text

    # A week later the officer adds a late item and the meeting is published again.
    draft = meeting.get_latest_revision_as_object()
    draft.agenda_items.add(
        f.AgendaItem(number="4", public_title="Late item: winter pressures funding", sort_order=3)
    )
    revision = draft.save_revision()
    revision.publish()
    published_at(revision, 2025, 3, 7, 9, 0)
    text = pdf_text(client.get(pack_url(meeting)))
    assert "Version 2 (supplement), issued 7 March 2025" in text
    assert "Late item: winter pressures funding" in text

    # Publishing again with the same agenda (a typo in the venue) is not a new supplement.
    draft = MeetingPage.objects.get(pk=meeting.pk)
    draft.venue = "Medway Room, Sessions House, County Hall"
    revision = draft.save_revision()
    revision.publish()
    published_at(revision, 2025, 3, 8, 9, 0)
    text = pdf_text(client.get(pack_url(meeting)))
    assert "Version 2 (supplement), issued 7 March 2025" in text
    text = pdf_text(client.get(pack_url(meeting)))
    assert "Version 2 (supplement), issued 7 March 2025" in text


def test_councillor_gets_members_papers_but_never_exempt_ones(client, meeting):
    briefing = f.ProposalPageFactory(
        title="Libraries: alternative delivery model", audience="members"
    )
    f.AgendaItemFactory(
        meeting=meeting, number="4", public_title="Libraries", proposal=briefing, sort_order=4
    )
    public_text = pdf_text(client.get(pack_url(meeting)))
    assert "Libraries: alternative delivery model" not in public_text

    client.force_login(f.CouncillorUserFactory())
    response = client.get(pack_url(meeting, "exempt_agenda_pack"))
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Libraries: alternative delivery model" in text
    assert "Not for publication: for councillors only" in text
    assert SECRET_TITLE not in text and "Marrowdene" not in text
