"""Commissioning proposals: placement, the admin form's validation, and what a visitor sees."""

from decimal import Decimal

import pytest

from papers.models import ProposalIndexPage, ProposalPage
from papers.models.choices import ProposalStatus, RouteToMarket, Stage
from tests import factories as f
from tests.admin_forms import (
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
    streamfield,
)

pytestmark = pytest.mark.django_db

KD_MESSAGE = "Enter the Key Decision reference in the council&#x27;s form NN/NNNNN"
WEIGHTS_MESSAGE = "Price, quality and social value weightings must all be given and add up to 100:"


def option(name, recommended=False):
    return {
        "name": name,
        "description": rich_text("<p>What this option means for people using the service.</p>"),
        "advantages": "Opens the market to local providers.",
        "disadvantages": "A longer procurement timetable.",
        "estimated_cost": "£36.9m a year",
        "recommended": "on" if recommended else "",
    }


def proposal_data(title="Recommission home care", **fields):
    data = board_page_data(
        title,
        slug="recommission-home-care",
        key_decision_reference="25/00012",
        decision_maker="Cabinet Member for Adult Social Care",
        cabinet_committee="",
        service_area="",
        stage=Stage.PLAN,
        programme="Transformation programme, phase 2",
        status=ProposalStatus.FOR_CONSIDERATION,
        options_appraisal=streamfield(
            [
                ("option", option("Option 1: extend the current contracts")),
                ("option", option("Option 2: re-tender in three lots", recommended=True)),
            ]
        ),
        price_weighting="40",
        quality_weighting="50",
        social_value_weighting="10",
        social_value_commitments=rich_text("<p>Twelve apprenticeships a year.</p>"),
        route_to_market=RouteToMarket.OPEN,
        estimated_value="184500000.00",
        recommendation=rich_text("<p>The board is asked to support Option 2.</p>"),
        board_advice=rich_text(""),
        cabinet_response=rich_text(""),
        trail=inline_formset([]),
        commitments=inline_formset([]),
    )
    data.update(fields)
    return data


# -- where proposals may be created -----------------------------------------------------------


def test_proposals_section_only_under_home_and_only_one():
    home = f.home_page()
    assert ProposalIndexPage.can_create_at(home)
    assert not ProposalIndexPage.can_create_at(f.MeetingIndexPageFactory())
    f.ProposalIndexPageFactory()
    assert not ProposalIndexPage.can_create_at(home)


def test_proposals_only_in_the_proposals_section():
    index = f.ProposalIndexPageFactory()
    proposal = f.ProposalPageFactory(parent=index)
    assert ProposalPage.can_create_at(index)
    for wrong in (
        f.home_page(),
        f.MeetingIndexPageFactory(),
        f.MeetingPageFactory(agenda=[]),
        f.ProviderIndexPageFactory(),
        proposal,
        f.StandardPageFactory(),
    ):
        assert not ProposalPage.can_create_at(wrong), type(wrong).__name__
    assert index.allowed_subpage_models() == [ProposalPage]
    assert proposal.allowed_subpage_models() == []


def test_admin_refuses_a_proposal_in_the_wrong_place(admin_client):
    f.ProposalIndexPageFactory()
    for parent in (f.home_page(), f.MeetingIndexPageFactory(), f.TrainingIndexPageFactory()):
        assert_add_refused(admin_client, ProposalPage, parent, proposal_data())


def test_admin_refuses_a_second_proposals_section(admin_client):
    f.ProposalIndexPageFactory()
    assert_add_refused(admin_client, ProposalIndexPage, f.home_page())


def test_admin_creates_a_proposal(admin_client):
    index = f.ProposalIndexPageFactory()
    committee = f.CabinetCommitteeFactory(name="Adult Social Care Cabinet Committee")
    area = f.ServiceAreaFactory(name="Adult social care")
    provider = f.ProviderProfilePageFactory(title="Brightwater Care Ltd")
    response = post_add(
        admin_client,
        ProposalPage,
        index,
        proposal_data(
            cabinet_committee=str(committee.pk),
            service_area=str(area.pk),
        ),
        publish=True,
        multiple={"related_providers": [str(provider.pk)]},
    )
    assert_saved(response)
    proposal = ProposalPage.objects.child_of(index).get()
    assert proposal.live
    assert proposal.key_decision_reference == "25/00012"
    assert proposal.cabinet_committee == committee and proposal.service_area == area
    assert (proposal.price_weighting, proposal.quality_weighting) == (40, 50)
    assert proposal.estimated_value == Decimal("184500000.00")
    assert [block.value["name"] for block in proposal.options_appraisal] == [
        "Option 1: extend the current contracts",
        "Option 2: re-tender in three lots",
    ]
    assert list(proposal.related_providers.all()) == [provider]


# -- the edit form ----------------------------------------------------------------------------


@pytest.fixture
def proposal():
    return f.ProposalPageFactory(slug="recommission-home-care")


def test_edit_form_accepts_a_valid_proposal(admin_client, proposal):
    before = revision_count(proposal)
    response = post_edit(
        admin_client,
        proposal,
        proposal_data(
            status=ProposalStatus.ADVICE_GIVEN,
            board_advice=rich_text("<p>The board supports Option 2.</p>"),
        ),
        publish=True,
    )
    assert_saved(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADVICE_GIVEN
    assert "The board supports Option 2." in proposal.board_advice
    assert revision_count(proposal) == before + 1


def test_edit_form_accepts_a_proposal_without_weightings(admin_client, proposal):
    response = post_edit(
        admin_client,
        proposal,
        proposal_data(price_weighting="", quality_weighting="", social_value_weighting=""),
    )
    assert_saved(response)


@pytest.mark.parametrize("reference", ["2025/00012", "25/12", "25-00012", "KD25/0001", "25/0001x"])
def test_edit_form_refuses_a_malformed_key_decision_reference(admin_client, proposal, reference):
    before = revision_count(proposal)
    response = post_edit(admin_client, proposal, proposal_data(key_decision_reference=reference))
    assert_refused(response, proposal, before, KD_MESSAGE)
    proposal.refresh_from_db()
    assert proposal.key_decision_reference != reference


@pytest.mark.parametrize(
    "weights",
    [("40", "50", "20"), ("40", "50", ""), ("100", "0", "10"), ("", "", "10")],
    ids=["over-100", "one-missing", "over-100-with-zero", "only-social-value"],
)
def test_edit_form_refuses_weightings_not_adding_to_100(admin_client, proposal, weights):
    before = revision_count(proposal)
    price, quality, social = weights
    response = post_edit(
        admin_client,
        proposal,
        proposal_data(
            price_weighting=price, quality_weighting=quality, social_value_weighting=social
        ),
    )
    assert_refused(response, proposal, before, WEIGHTS_MESSAGE)


def test_edit_form_refuses_a_weighting_over_100(admin_client, proposal):
    before = revision_count(proposal)
    response = post_edit(
        admin_client,
        proposal,
        proposal_data(price_weighting="150", quality_weighting="0", social_value_weighting="0"),
    )
    assert_refused(response, proposal, before, WEIGHTS_MESSAGE)


def test_edit_form_refuses_a_negative_contract_value(admin_client, proposal):
    before = revision_count(proposal)
    response = post_edit(admin_client, proposal, proposal_data(estimated_value="-5"))
    assert_refused(response, proposal, before, "A contract value cannot be negative.")


def test_edit_form_refuses_a_board_only_proposal_without_a_paragraph(admin_client, proposal):
    before = revision_count(proposal)
    response = post_edit(
        admin_client, proposal, proposal_data(audience="board", exempt_paragraph="")
    )
    assert_refused(
        response,
        proposal,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )
    proposal.refresh_from_db()
    assert proposal.audience == "public"


def test_edit_form_refuses_a_paragraph_on_a_public_proposal(admin_client, proposal):
    before = revision_count(proposal)
    response = post_edit(
        admin_client, proposal, proposal_data(audience="public", exempt_paragraph="3")
    )
    assert_refused(response, proposal, before, "Only board-only papers are exempt.")


def test_edit_form_accepts_a_board_only_proposal_with_its_paragraph(admin_client, proposal):
    response = post_edit(
        admin_client, proposal, proposal_data(audience="board", exempt_paragraph="3")
    )
    assert_saved(response)


def test_edit_form_is_laid_out_for_an_officer(admin_client, proposal):
    html = admin_client.get(edit_url(proposal)).content.decode()
    for select in ("stage", "status", "route_to_market", "audience", "exempt_paragraph"):
        assert f'<select name="{select}"' in html, select
    for label in ("Analyse", "Plan", "Do", "Review", "For board consideration", "Withdrawn"):
        assert f">{label}</option>" in html, label
    assert "in the form NN/NNNNN, e.g. 25/00012." in html
    assert "The decision" in html and "Advice and outcome" in html
    for tab in ("Content", "Attachments", "Confidentiality"):
        assert tab in html


# -- what a visitor sees ----------------------------------------------------------------------


def test_proposal_page_shows_the_decision_options_and_social_value(client):
    proposal = f.ProposalPageFactory(
        title="Recommission home care",
        key_decision_reference="25/00012",
        stage=Stage.PLAN,
        status=ProposalStatus.FOR_CONSIDERATION,
        cabinet_committee=f.CabinetCommitteeFactory(name="Adult Social Care Cabinet Committee"),
        service_area=f.ServiceAreaFactory(name="Adult social care"),
    )
    response = client.get(proposal.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recommission home care" in html
    assert "25/00012" in html
    assert "Adult Social Care Cabinet Committee" in html
    assert "Adult social care" in html
    assert "Plan" in html and "For board consideration" in html
    assert "Option 2: re-tender in three geographical lots" in html
    assert "40" in html and "50" in html
    assert "Twelve apprenticeships a year" in html
    assert "The board is asked to support Option 2." in html
    assert "Transformation programme, phase 2" in html


def test_proposal_page_shows_the_boards_advice_and_what_cabinet_did(client):
    proposal = f.ProposalPageFactory(
        status=ProposalStatus.DECISION_TAKEN,
        board_advice="<p>The board advised re-tendering in three lots.</p>",
        cabinet_response="<p>The Cabinet Committee accepted the board's advice.</p>",
    )
    html = client.get(proposal.url).content.decode()
    assert "The board advised re-tendering in three lots." in html
    assert "accepted the board" in html


def test_proposal_index_lists_newest_first(client):
    import datetime

    older = f.ProposalPageFactory(title="Older proposal", paper_date=datetime.date(2024, 1, 10))
    newer = f.ProposalPageFactory(title="Newer proposal", paper_date=datetime.date(2025, 5, 1))
    index = newer.get_parent()
    response = client.get(index.url)
    assert response.status_code == 200
    listed = [page.pk for page in response.context["listing"]]
    assert listed == [newer.pk, older.pk]
    html = response.content.decode()
    assert html.index("Newer proposal") < html.index("Older proposal")
