"""Minutes and the board's decisions: placement, the admin form, and what a visitor sees."""

import datetime

import pytest

from papers.models import Decision, MeetingPage, MinutesPage
from papers.models.choices import Outcome
from tests import factories as f
from tests.admin_forms import (
    EMPTY_RICH_TEXT,
    assert_add_refused,
    assert_refused,
    assert_saved,
    board_page_data,
    edit_url,
    inline_formset,
    post_add,
    post_edit,
    revision_count,
    rich_text,
)

pytestmark = pytest.mark.django_db

KD_MESSAGE = "Enter the Key Decision reference in the council&#x27;s form NN/NNNNN"


def decision_form(**fields):
    data = {
        "reference": "CAB/25/031",
        "outcome": Outcome.AGREED,
        "title": "Advice on the recommissioning of home care",
        "resolution": rich_text("<p>RESOLVED that the Cabinet Committee be advised.</p>"),
        "proposal": "",
        "key_decision_reference": "25/00012",
        "cabinet_committee": "",
        "reached_by": "",
    }
    data.update(fields)
    return data


def minutes_data(
    title="Minutes", decisions=None, items=None, declarations=None, votes=None, **fields
):
    data = board_page_data(
        title,
        slug="minutes",
        signed_on="2025-04-09",
        minute_items=inline_formset(
            items
            if items is not None
            else [
                {
                    "number": "14/25",
                    "title": "Recommissioning of home care services",
                    "text": rich_text("<p>The board discussed the options.</p>"),
                    "is_exempt": "",
                }
            ]
        ),
        decisions=inline_formset(decisions if decisions is not None else [decision_form()]),
        declarations=inline_formset(declarations or []),
        recorded_votes=inline_formset(votes or []),
    )
    data.update(fields)
    return data


# -- where minutes may be created -------------------------------------------------------------


def test_minutes_only_under_a_meeting():
    meeting = f.MeetingPageFactory(agenda=[])
    assert MinutesPage.can_create_at(meeting)
    for wrong in (
        f.home_page(),
        meeting.get_parent().specific,
        f.ProposalIndexPageFactory(),
        f.ProposalPageFactory(),
        f.StandardPageFactory(),
    ):
        assert not MinutesPage.can_create_at(wrong), type(wrong).__name__
    assert MinutesPage.allowed_parent_page_models() == [MeetingPage]
    assert MinutesPage.allowed_subpage_models() == []


def test_one_set_of_minutes_per_meeting():
    meeting = f.MeetingPageFactory(agenda=[])
    f.MinutesPageFactory(parent=meeting)
    assert not MinutesPage.can_create_at(meeting), "a meeting may have only one set of minutes"
    other = f.MeetingPageFactory(agenda=[])
    assert MinutesPage.can_create_at(other)


def test_nothing_can_be_created_under_minutes():
    minutes = f.MinutesPageFactory()
    for model in (MinutesPage, MeetingPage, f.ProposalPageFactory._meta.model):
        assert not model.can_create_at(minutes)


def test_admin_refuses_minutes_in_the_wrong_place(admin_client):
    meeting = f.MeetingPageFactory(agenda=[])
    for parent in (f.home_page(), meeting.get_parent(), f.ProposalIndexPageFactory()):
        assert_add_refused(admin_client, MinutesPage, parent, minutes_data())


def test_admin_refuses_second_minutes_for_a_meeting(admin_client):
    minutes = f.MinutesPageFactory()
    meeting = minutes.get_parent()
    assert_add_refused(admin_client, MinutesPage, meeting, minutes_data(slug="minutes-2"))


def test_admin_creates_minutes_with_decisions_as_records(admin_client):
    meeting = f.MeetingPageFactory(agenda=[])
    committee = f.CabinetCommitteeFactory(name="Adult Social Care Cabinet Committee")
    proposal = f.ProposalPageFactory()
    member = f.MemberFactory(name="Cllr Nia Pritchard")
    response = post_add(
        admin_client,
        MinutesPage,
        meeting,
        minutes_data(
            decisions=[
                decision_form(
                    proposal=str(proposal.pk),
                    cabinet_committee=str(committee.pk),
                ),
                decision_form(
                    reference="CAB/25/032",
                    title="Facilities-management six-month review",
                    outcome=Outcome.NOTED,
                    key_decision_reference="",
                ),
            ],
            declarations=[
                {
                    "member": str(member.pk),
                    "item": "Recommissioning of home care services",
                    "nature": "Spouse employed by a home care provider; not prejudicial.",
                }
            ],
        ),
        publish=True,
    )
    assert_saved(response)
    minutes = MinutesPage.objects.child_of(meeting).get()
    assert minutes.live and minutes.signed_on == datetime.date(2025, 4, 9)
    decisions = list(Decision.objects.filter(minutes=minutes).order_by("sort_order"))
    assert [(d.reference, d.outcome) for d in decisions] == [
        ("CAB/25/031", Outcome.AGREED),
        ("CAB/25/032", Outcome.NOTED),
    ]
    assert decisions[0].proposal_id == proposal.pk
    assert decisions[0].cabinet_committee == committee
    assert list(proposal.decisions.all()) == [decisions[0]]
    assert minutes.declarations.get().member == member


# -- the edit form ----------------------------------------------------------------------------


@pytest.fixture
def minutes():
    return f.MinutesPageFactory(decisions=[], items=[])


def test_edit_form_accepts_valid_minutes(admin_client, minutes):
    before = revision_count(minutes)
    response = post_edit(admin_client, minutes, minutes_data(), publish=True)
    assert_saved(response)
    assert revision_count(minutes) == before + 1
    assert minutes.decisions.get().key_decision_reference == "25/00012"
    assert minutes.minute_items.get().title == "Recommissioning of home care services"


@pytest.mark.parametrize("reference", ["2025/12", "25-00012", "KD 25/12", "25/0012", "ab/cdefg"])
def test_edit_form_refuses_a_decision_with_a_malformed_key_decision_reference(
    admin_client, minutes, reference
):
    before = revision_count(minutes)
    response = post_edit(
        admin_client,
        minutes,
        minutes_data(decisions=[decision_form(key_decision_reference=reference)]),
    )
    assert_refused(response, minutes, before, KD_MESSAGE)
    assert not minutes.decisions.exists()


def test_publishing_refuses_a_decision_without_its_resolution(admin_client, minutes):
    # Wagtail lets a draft be saved with required fields empty; publishing must refuse it.
    before = revision_count(minutes)
    response = post_edit(
        admin_client,
        minutes,
        minutes_data(decisions=[decision_form(resolution=EMPTY_RICH_TEXT)]),
        publish=True,
    )
    assert_refused(response, minutes, before, "This field is required.")


def test_edit_form_refuses_board_only_minutes_without_a_paragraph(admin_client, minutes):
    before = revision_count(minutes)
    response = post_edit(admin_client, minutes, minutes_data(audience="board", exempt_paragraph=""))
    assert_refused(
        response,
        minutes,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )


def test_edit_form_offers_outcomes_as_a_choice(admin_client, minutes):
    f.DecisionFactory(minutes=minutes)
    html = admin_client.get(edit_url(minutes)).content.decode()
    assert '<select name="decisions-0-outcome"' in html
    for label in ("Agreed", "Not agreed", "Deferred", "Noted"):
        assert f">{label}</option>" in html
    assert "The date the Chair signed these minutes as a correct record." in html


# -- what a visitor sees ----------------------------------------------------------------------


def test_minutes_page_shows_items_decisions_declarations_and_signature(client):
    meeting = f.MeetingPageFactory(agenda=[])
    proposal = f.ProposalPageFactory(title="Recommission home care")
    minutes = f.MinutesPageFactory(
        parent=meeting,
        signed_on=datetime.date(2025, 4, 9),
        items=[
            {
                "number": "14/25",
                "title": "Recommissioning of home care services",
                "text": "<p>Members asked about rural coverage and staff turnover.</p>",
            }
        ],
        decisions=[
            {
                "reference": "CAB/25/031",
                "title": "Advice on the recommissioning of home care",
                "outcome": Outcome.AGREED,
                "key_decision_reference": "25/00012",
                "proposal": proposal,
            },
            {
                "reference": "CAB/25/032",
                "title": "Extension of the equipment service contract",
                "outcome": Outcome.DEFERRED,
                "key_decision_reference": "",
            },
        ],
    )
    f.DeclarationFactory(
        minutes=minutes,
        member=f.MemberFactory(name="Cllr Ossie Lindqvist"),
        nature="A close relative works for a home care provider. Not prejudicial.",
    )

    response = client.get(minutes.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Members asked about rural coverage and staff turnover." in html
    assert "CAB/25/031" in html and "Advice on the recommissioning of home care" in html
    assert "25/00012" in html
    assert "Agreed" in html and "Deferred" in html
    assert proposal.url in html
    assert "Cllr Ossie Lindqvist" in html
    assert "9 April 2025" in html
    assert meeting.url in html
    decision = minutes.decisions.get(reference="CAB/25/031")
    assert f'id="{decision.anchor}"' in html


def test_exempt_minute_publishes_only_its_notice_and_public_summary(client):
    minutes = f.MinutesPageFactory(
        decisions=[],
        items=[
            {
                "number": "15/25",
                "title": "Facilities-management contract: commercial position",
                "text": "<p>The provider's margin is 4.1% and it has asked for an uplift.</p>",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "The board reviewed the contract in private session.",
            }
        ],
    )
    html = client.get(minutes.url).content.decode()
    assert "Exempt item, Schedule 12A paragraph 3" in html
    assert "The board reviewed the contract in private session." in html
    assert "commercial position" not in html  # the title is written by officers, not for the public
    assert "4.1%" not in html


def test_decision_links_to_its_place_in_the_minutes():
    decision = f.DecisionFactory()
    assert decision.get_url() == f"{decision.minutes.url}#decision-{decision.pk}"
    assert str(decision) == f"{decision.reference}: {decision.title}"
