"""Exempt business, safe by default: an agenda item is never less restricted than its paper
(the officer's meeting form says why), and exempt minutes and decisions show the public only
their notice and public summary while board members read them in full, on every surface."""

import pytest
from django.core.exceptions import ValidationError

from papers.models import Decision
from papers.models.choices import Audience, MeetingStatus, Outcome
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

pytestmark = pytest.mark.django_db

SECRET_PAPER = "Community equipment: Quillhaven bid and commercial options"
RESOLUTION = "RESOLVED that advice on the Quillhaven award be deferred pending a Fenwarden audit."
SUMMARY = "The board deferred its advice on the community equipment contract."
MINUTE = "Members questioned the Quillhaven pricing against the Fenwarden depot costs."
MINUTE_SUMMARY = "The board discussed the community equipment procurement in private."


# -- the agenda: the meeting form, as an officer ------------------------------------------------


@pytest.fixture
def officer(client):
    client.force_login(f.OfficerFactory())
    return client


@pytest.fixture
def meeting():
    return f.MeetingPageFactory(agenda=[])


def paper(audience, **fields):
    if audience == Audience.BOARD:
        fields.setdefault("exempt_paragraph", "3")
    return f.ProposalPageFactory(title=SECRET_PAPER, audience=audience, **fields)


def meeting_form(meeting, item):
    return board_page_data(
        meeting.title,
        slug=meeting.slug,
        start="2025-09-24 14:00",
        end="2025-09-24 16:00",
        venue=meeting.venue,
        status=MeetingStatus.SCHEDULED,
        cancellation_note="",
        webcast_url="",
        agenda_items=inline_formset([{"number": "2", **item}]),
        attendance=inline_formset([]),
        provider_attendance=inline_formset([]),
    )


def test_a_board_only_paper_on_an_item_not_ticked_exempt_is_refused(officer, meeting):
    board_paper = paper(Audience.BOARD)
    before = revision_count(meeting)
    item = {"public_title": "Community equipment: procurement update", "proposal": board_paper.pk}
    response = post_edit(officer, meeting, meeting_form(meeting, item))
    assert_refused(
        response,
        meeting,
        before,
        "is a board-only paper (exempt under Schedule 12A paragraph 3), so this item must "
        "be exempt",
    )
    assert meeting.agenda_items.count() == 0


def test_an_exempt_item_takes_the_board_only_papers_paragraph(officer, meeting):
    board_paper = paper(Audience.BOARD)
    item = {
        "public_title": "Community equipment: procurement update",
        "proposal": board_paper.pk,
        "is_exempt": "on",
        "exempt_paragraph": "",
    }
    assert_saved(post_edit(officer, meeting, meeting_form(meeting, item)))
    meeting.refresh_from_db()
    [saved] = meeting.get_latest_revision_as_object().agenda_items.all()
    assert (saved.is_exempt, saved.exempt_paragraph) == (True, "3")


def test_an_item_keeps_the_papers_paragraph(officer, meeting):
    board_paper = paper(Audience.BOARD)
    before = revision_count(meeting)
    item = {
        "public_title": "Community equipment: procurement update",
        "proposal": board_paper.pk,
        "is_exempt": "on",
        "exempt_paragraph": "1",
    }
    response = post_edit(officer, meeting, meeting_form(meeting, item))
    assert_refused(response, meeting, before, "is exempt under paragraph 3")


def test_the_public_title_of_a_confidential_paper_is_written_for_the_purpose(officer, meeting):
    board_paper = paper(Audience.BOARD)
    before = revision_count(meeting)
    item = {
        "public_title": f"  {SECRET_PAPER.upper()} ",
        "proposal": board_paper.pk,
        "is_exempt": "on",
        "exempt_paragraph": "3",
    }
    response = post_edit(officer, meeting, meeting_form(meeting, item))
    assert_refused(response, meeting, before, "This is the confidential paper&#x27;s own title")


def test_a_councillors_only_paper_is_taken_in_private_too(officer, meeting):
    members_paper = paper(Audience.MEMBERS)
    before = revision_count(meeting)
    item = {"public_title": "Libraries: future delivery", "proposal": members_paper.pk}
    response = post_edit(officer, meeting, meeting_form(meeting, item))
    assert_refused(response, meeting, before, "is for councillors only, so the public may not")
    # Ticked exempt, with the paragraph the officer chooses, it saves.
    item.update(is_exempt="on", exempt_paragraph="3")
    assert_saved(post_edit(officer, meeting, meeting_form(meeting, item)))


def test_a_draft_tightened_to_board_only_already_counts(officer, meeting):
    """Tightening takes effect on saving a draft: the live row may still say public."""
    draft = paper(Audience.PUBLIC)
    draft.audience = Audience.BOARD
    draft.exempt_paragraph = "3"
    draft.save_revision()
    before = revision_count(meeting)
    item = {"public_title": "Community equipment: procurement update", "proposal": draft.pk}
    response = post_edit(officer, meeting, meeting_form(meeting, item))
    assert_refused(response, meeting, before, "so this item must be exempt")


def test_a_public_paper_needs_nothing_more(officer, meeting):
    public_paper = paper(Audience.PUBLIC)
    item = {"public_title": SECRET_PAPER, "proposal": public_paper.pk}
    assert_saved(post_edit(officer, meeting, meeting_form(meeting, item)))


# -- decisions and minutes: validation ----------------------------------------------------------


def minutes_form(decision=None, item=None):
    decision_fields = {
        "reference": "CAB/25/090",
        "outcome": Outcome.DEFERRED,
        "title": "Award of the community equipment contract",
        "resolution": rich_text(f"<p>{RESOLUTION}</p>"),
        "proposal": "",
        "key_decision_reference": "",
        "cabinet_committee": "",
        "is_exempt": "",
        "exempt_paragraph": "",
        "public_summary": "",
        **(decision or {}),
    }
    item_fields = {
        "number": "15/25",
        "title": "Community equipment",
        "text": rich_text(f"<p>{MINUTE}</p>"),
        "is_exempt": "",
        "exempt_paragraph": "",
        "public_summary": "",
        **(item or {}),
    }
    return board_page_data(
        "Minutes",
        slug="minutes",
        signed_on="2025-10-08",
        minute_items=inline_formset([item_fields]),
        decisions=inline_formset([decision_fields]),
        declarations=inline_formset([]),
        recorded_votes=inline_formset([]),
    )


@pytest.fixture
def blank_minutes():
    return f.MinutesPageFactory(decisions=[], items=[])


def test_a_decision_on_a_board_only_paper_must_be_ticked_exempt(officer, blank_minutes):
    board_paper = paper(Audience.BOARD)
    before = revision_count(blank_minutes)
    form = minutes_form(decision={"proposal": board_paper.pk})
    response = post_edit(officer, blank_minutes, form)
    assert_refused(response, blank_minutes, before, "so this decision is exempt: tick")
    # Ticked, it takes the paper's paragraph.
    form = minutes_form(decision={"proposal": board_paper.pk, "is_exempt": "on"})
    assert_saved(post_edit(officer, blank_minutes, form))
    blank_minutes.refresh_from_db()
    [decision] = blank_minutes.get_latest_revision_as_object().decisions.all()
    assert (decision.is_exempt, decision.exempt_paragraph) == (True, "3")


def test_exempt_minutes_and_decisions_name_their_paragraph(officer, blank_minutes):
    before = revision_count(blank_minutes)
    form = minutes_form(decision={"is_exempt": "on"}, item={"is_exempt": "on"})
    response = post_edit(officer, blank_minutes, form)
    assert_refused(
        response, blank_minutes, before, "Choose the Schedule 12A paragraph that makes this exempt."
    )


def test_model_clean_refuses_a_plain_decision_on_a_board_only_paper():
    decision = Decision(reference="CAB/25/090", title="Award", resolution="<p>x</p>")
    decision.proposal = paper(Audience.BOARD)
    with pytest.raises(ValidationError) as refused:
        decision.clean()
    assert "tick \u2018exempt decision\u2019" in str(refused.value)


# -- decisions and minutes: who reads what ------------------------------------------------------


@pytest.fixture
def exempt_minutes():
    board_paper = paper(Audience.BOARD)
    minutes = f.MinutesPageFactory(
        items=[
            {
                "number": "15/25",
                "title": "Community equipment: Quillhaven pricing",
                "text": f"<p>{MINUTE}</p>",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": MINUTE_SUMMARY,
            }
        ],
        decisions=[
            {
                "title": "Award of the community equipment contract to Quillhaven",
                "resolution": f"<p>{RESOLUTION}</p>",
                "outcome": Outcome.DEFERRED,
                "proposal": board_paper,
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": SUMMARY,
            }
        ],
    )
    # Published as the Chair's approval does it, so the search index holds its child rows.
    minutes.save_revision().publish()
    return minutes


SECRETS = ["Quillhaven", "Fenwarden", "Award of the community equipment contract"]


def assert_public_view(body):
    assert "Exempt item, Schedule 12A paragraph 3" in body
    for secret in SECRETS:
        assert secret not in body


def test_the_public_reads_only_the_notice_and_summary(client, exempt_minutes):
    body = client.get(exempt_minutes.url).content.decode()
    assert_public_view(body)
    assert SUMMARY in body and MINUTE_SUMMARY in body

    register = client.get("/decisions/").content.decode()
    assert_public_view(register)
    assert "CAB/25/" in register  # listed, as its notice

    api = client.get("/api/v2/decisions/?fields=*").content.decode()
    assert_public_view(api)
    assert SUMMARY in api
    detail = client.get(f"/api/v2/pages/{exempt_minutes.pk}/").content.decode()
    assert_public_view(detail)
    assert "Exempt item" in detail

    feed = client.get("/feeds/decisions/").content.decode()
    assert_public_view(feed)


def test_the_public_cannot_find_exempt_business_by_its_words(client, exempt_minutes):
    for word in ["Quillhaven", "Fenwarden"]:
        for url in [f"/search/?q={word}", f"/decisions/?q={word}"]:
            body = client.get(url).content.decode()
            assert exempt_minutes.url not in body, url
            assert "Exempt item" not in body, url
    # Its public summary is what the public may find it by.
    body = client.get("/search/?q=deferred+advice+equipment").content.decode()
    assert exempt_minutes.url in body


def test_a_board_member_reads_exempt_minutes_and_decisions_in_full(client, exempt_minutes):
    client.force_login(f.BoardMemberUserFactory())
    body = client.get(exempt_minutes.url).content.decode().replace("&#x27;", "'")
    assert MINUTE in body and RESOLUTION in body
    assert "Award of the community equipment contract to Quillhaven" in body
    assert "Exempt item, Schedule 12A paragraph 3" in body  # and still sees it is exempt

    api = client.get("/api/v2/decisions/?fields=*").content.decode()
    assert "Quillhaven" in api and "Fenwarden" in api
    detail = client.get(f"/api/v2/pages/{exempt_minutes.pk}/").content.decode()
    assert MINUTE in detail

    # Search finds the decision by its resolution and the minutes by the exempt minute's text.
    found = client.get("/search/?q=Fenwarden").content.decode()
    decision = exempt_minutes.decisions.get()
    assert f"#decision-{decision.pk}" in found
    assert exempt_minutes.url in client.get("/search/?q=pricing+Quillhaven").content.decode()
    register = client.get("/decisions/?q=Fenwarden").content.decode()
    assert "Award of the community equipment contract to Quillhaven" in register


def test_a_councillor_not_on_the_board_sees_the_notice_only(client, exempt_minutes):
    client.force_login(f.CouncillorUserFactory())
    assert_public_view(client.get(exempt_minutes.url).content.decode())
    found = client.get("/search/?q=Fenwarden").content.decode()
    assert exempt_minutes.url not in found and "Exempt item" not in found


def test_the_minutes_index_entry_stays_public():
    minutes = f.MinutesPageFactory(
        items=[
            {"number": "1", "title": "Open item", "text": "<p>Open words.</p>"},
            {
                "number": "2",
                "title": "Closed item",
                "text": f"<p>{MINUTE}</p>",
                "is_exempt": True,
                "exempt_paragraph": "3",
            },
        ],
        decisions=[],
    )
    text = minutes.public_minutes_text()
    assert "Open words." in text and "Exempt item, Schedule 12A paragraph 3" in text
    assert "Quillhaven" not in text and "Closed item" not in text
