"""The read-only API at /api/v2/: listings, details and search honour who is asking."""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from papers.confidentiality import collection_for
from papers.models import AgendaItem
from papers.models.choices import Audience
from tests.factories import BoardDocumentFactory
from tests.public.helpers import board_member, build_content, councillor

pytestmark = pytest.mark.django_db

BOARD_ONLY = ("board_proposal", "secret_minutes")
MEMBERS_ONLY = ("members_proposal",)


@pytest.fixture
def content():
    items = build_content()
    # An agenda item naming the board-only paper, as an exempt item with a public title.
    AgendaItem.objects.create(
        meeting=items["meeting"],
        number="7",
        public_title="Disposal of a council property (exempt)",
        is_exempt=True,
        exempt_paragraph="3",
        proposal=items["board_proposal"],
    )
    decision = items["public_decision"]
    decision.proposal = items["board_proposal"]
    decision.save()
    call_command("update_index", verbosity=0)  # search sees what the factories made
    return items


def as_user(client, who):
    if who == "councillor":
        client.force_login(councillor())
    elif who == "board":
        client.force_login(board_member())
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def expected_hidden(who):
    return {"anonymous": BOARD_ONLY + MEMBERS_ONLY, "councillor": BOARD_ONLY, "board": ()}[who]


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_listing_and_detail_show_only_what_the_requester_may_see(client, content, who):
    as_user(client, who)
    listed = ids(client.get("/api/v2/pages/", {"limit": 100}))
    hidden = expected_hidden(who)
    for key in BOARD_ONLY + MEMBERS_ONLY:
        page = content[key]
        detail = client.get(f"/api/v2/pages/{page.pk}/")
        if key in hidden:
            assert page.pk not in listed
            assert detail.status_code == 404
            assert page.title not in detail.content.decode()
        else:
            assert page.pk in listed
            assert detail.status_code == 200
            assert detail.json()["title"] == page.title
    assert content["public_proposal"].pk in listed


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_search_is_privacy_filtered(client, content, who):
    as_user(client, who)
    found = ids(client.get("/api/v2/pages/", {"search": "Flumpington depot"}))
    nothing = ids(client.get("/api/v2/pages/", {"search": "Xylophonequark"}))
    if who == "board":
        assert content["board_proposal"].pk in found
    else:
        assert found == nothing == set()
    members = ids(client.get("/api/v2/pages/", {"search": "Wobblecombe"}))
    assert (content["members_proposal"].pk in members) == (who != "anonymous")
    public = ids(client.get("/api/v2/pages/", {"search": "Recommission home care"}))
    assert content["public_proposal"].pk in public


def test_type_filter_child_of_and_html_path_cannot_reach_restricted_pages(client, content):
    proposals = ids(
        client.get("/api/v2/pages/", {"type": "papers.ProposalPage", "fields": "stage,status"})
    )
    assert content["board_proposal"].pk not in proposals
    assert content["public_proposal"].pk in proposals
    meeting = content["secret_meeting"]
    assert ids(client.get("/api/v2/pages/", {"child_of": meeting.pk})) == set()
    found = client.get("/api/v2/pages/find/", {"html_path": content["board_proposal"].url})
    assert found.status_code == 404


def test_board_fields_are_exposed_for_reuse(client, content):
    meeting = client.get(f"/api/v2/pages/{content['meeting'].pk}/").json()
    assert meeting["venue"] and meeting["start"] and meeting["status"] == "scheduled"
    titles = [item["public_title"] for item in meeting["agenda_items"]]
    assert "Disposal of a council property (exempt)" in titles
    minutes = client.get(f"/api/v2/pages/{content['public_minutes'].pk}/").json()
    decision = minutes["decisions"][0]
    assert decision["reference"] == "CAB/25/031"
    assert decision["outcome"] == "agreed"
    assert decision["key_decision_reference"] == "25/00012"
    assert decision["cabinet_committee"]
    proposal = client.get(f"/api/v2/pages/{content['public_proposal'].pk}/").json()
    for field in ("key_decision_reference", "stage", "status", "service_area", "estimated_value"):
        assert field in proposal


def test_links_to_a_confidential_paper_are_withheld_from_those_who_may_not_see_it(client, content):
    secret = content["board_proposal"]
    for who in ("anonymous", "councillor"):
        as_user(client, who)
        meeting = client.get(f"/api/v2/pages/{content['meeting'].pk}/")
        minutes = client.get(f"/api/v2/pages/{content['public_minutes'].pk}/")
        for response in (meeting, minutes):
            assert secret.title not in response.content.decode()
            assert secret.url not in response.content.decode()
        exempt = [i for i in meeting.json()["agenda_items"] if i["is_exempt"]][0]
        assert exempt["paper"] is None
        assert minutes.json()["decisions"][0]["proposal"] is None
        client.logout()
    as_user(client, "board")
    meeting = client.get(f"/api/v2/pages/{content['meeting'].pk}/").json()
    exempt = [i for i in meeting["agenda_items"] if i["is_exempt"]][0]
    assert exempt["paper"]["id"] == secret.pk
    assert "title" not in exempt["paper"]  # an exempt item shows only its public notice
    minutes = client.get(f"/api/v2/pages/{content['public_minutes'].pk}/").json()
    assert minutes["decisions"][0]["proposal"]["title"] == secret.title


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_decisions_endpoint_follows_the_minutes(client, content, who):
    as_user(client, who)
    response = client.get("/api/v2/decisions/", {"fields": "*"})
    references = {item["reference"] for item in response.json()["items"]}
    assert "CAB/25/031" in references
    assert ("CAB/25/099" in references) == (who == "board")
    secret = content["secret_decision"]
    detail = client.get(f"/api/v2/decisions/{secret.pk}/")
    assert detail.status_code == (200 if who == "board" else 404)


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_documents_endpoint_honours_collection_restrictions(client, content, who):
    public = BoardDocumentFactory(
        title="Public market position statement", collection=collection_for(Audience.PUBLIC)
    )
    members = BoardDocumentFactory(
        title="Wobblecombe options appraisal", collection=collection_for(Audience.MEMBERS)
    )
    board = BoardDocumentFactory(
        title="Flumpington valuation report", collection=collection_for(Audience.BOARD)
    )
    call_command("update_index", verbosity=0)
    as_user(client, who)
    listed = ids(client.get("/api/v2/documents/"))
    assert public.pk in listed
    assert (members.pk in listed) == (who != "anonymous")
    assert (board.pk in listed) == (who == "board")
    detail = client.get(f"/api/v2/documents/{board.pk}/")
    assert detail.status_code == (200 if who == "board" else 404)
    searched = ids(client.get("/api/v2/documents/", {"search": "Flumpington"}))
    assert (board.pk in searched) == (who == "board")


def test_images_endpoint_lists_only_unrestricted_collections_for_the_public(client, content):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    Image = get_image_model()
    open_image = Image.objects.create(
        title="Council chamber",
        file=get_test_image_file(),
        collection=collection_for(Audience.PUBLIC),
    )
    board_image = Image.objects.create(
        title="Flumpington site plan",
        file=get_test_image_file(),
        collection=collection_for(Audience.BOARD),
    )
    listed = ids(client.get("/api/v2/images/"))
    assert open_image.pk in listed
    assert board_image.pk not in listed
    as_user(client, "board")
    assert board_image.pk in ids(client.get("/api/v2/images/"))


def test_signed_in_answers_are_never_shared_cached(client, content):
    anonymous = client.get("/api/v2/pages/")
    assert "private" not in anonymous["Cache-Control"]
    as_user(client, "board")
    signed_in = client.get("/api/v2/pages/")
    assert {"private", "no-store"} <= {d.strip() for d in signed_in["Cache-Control"].split(",")}
    assert "Cookie" in signed_in["Vary"]


def test_bad_parameters_are_clear_400s_not_errors(client, content):
    for params in (
        {"type": "nope.Nope"},
        {"child_of": "abc"},
        {"order": "nonsense"},
        {"limit": "-1"},
    ):
        response = client.get("/api/v2/pages/", params)
        assert response.status_code == 400, params
        assert "message" in response.json()
    assert Page.objects.filter(pk=content["board_proposal"].pk).exists()
