"""The read-only API at /api/v2/: listings, details and search honour who is asking."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from papers.confidentiality import collection_for
from papers.models import AccessLogEntry, AgendaItem
from papers.models.choices import Audience
from tests.factories import BoardDocumentFactory, ProposalPageFactory, StandardPageFactory
from tests.module_data import kept_for_the_module, reread
from tests.public.helpers import board_member, build_content, councillor, extra_decision

pytestmark = pytest.mark.django_db

BOARD_ONLY = ("board_proposal", "secret_minutes")
MEMBERS_ONLY = ("members_proposal",)


@pytest.fixture(scope="module")
def shared_content(django_db_setup, django_db_blocker, tmp_path_factory):
    """The content, built once for the module's tests (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        yield build_api_content()


@pytest.fixture
def content(db, shared_content):
    return reread(shared_content)


def build_api_content():
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
    # A detail or a find by path with one ?type= reads that type's pages (papers.api.endpoints)
    typed = {"type": "papers.ProposalPage"}
    board_proposal = content["board_proposal"]
    assert client.get(f"/api/v2/pages/{board_proposal.pk}/", typed).status_code == 404
    found = client.get("/api/v2/pages/find/", {**typed, "html_path": board_proposal.url})
    assert found.status_code == 404
    public = content["public_proposal"]
    assert client.get(f"/api/v2/pages/{public.pk}/", typed).status_code == 200


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


def test_with_the_cache_on_a_reader_s_total_is_counted_once_and_follows_a_new_page(
    client, content, page_cache
):
    """A listing's total is kept for the page cache's generation (papers.api.filters.
    BoundedPagination): another offset does not count again, a board member's total is their
    own, and a page published changes it at once."""

    def total(path="/api/v2/pages/?offset=1"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.content
        counted = any("COUNT(" in query["sql"] for query in queries.captured_queries)
        return response.json()["meta"]["total_count"], counted

    public_total, counted = total("/api/v2/pages/")
    assert counted
    as_user(client, "board")
    board_total, counted = total("/api/v2/pages/")
    assert counted and board_total == public_total + len(BOARD_ONLY + MEMBERS_ONLY)
    assert total() == (board_total, False)
    ProposalPageFactory(title="Published after the count")
    assert total() == (board_total + 1, True)


def test_with_the_cache_on_a_search_s_total_is_counted_once_and_follows_a_new_page(
    client, content, page_cache
):
    """The total of a ?search= is kept for the page cache's generation too
    (papers.search.ranked.RankedResults): another offset does not count the matches again, a
    board member's total is their own, and a page published changes it at once."""

    def total(offset=1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v2/pages/?search=briefing&offset={offset}")
        assert response.status_code == 200, response.content
        counted = any("COUNT(" in query["sql"] for query in queries.captured_queries)
        return response.json()["meta"]["total_count"], counted

    public_total, counted = total(0)
    assert counted and public_total >= 1
    as_user(client, "board")
    board_total, counted = total(0)
    assert counted and board_total > public_total
    assert total() == (board_total, False)
    ProposalPageFactory(title="Briefing on day centres")
    assert total() == (board_total + 1, True)


def test_with_the_cache_on_a_document_moved_to_a_board_only_collection_leaves_the_total(
    client, content, page_cache
):
    """The documents listing's total is kept too (papers.api.filters.BoundedPagination): a
    document moved into a restricted collection is counted out at once for the public."""
    document = BoardDocumentFactory(
        title="Market position statement", collection=collection_for(Audience.PUBLIC)
    )

    def total(offset):
        response = client.get(f"/api/v2/documents/?offset={offset}")
        assert response.status_code == 200, response.content
        return response.json()["meta"]["total_count"]

    before = total(0)
    assert before >= 1 and total(1) == before
    document.collection = collection_for(Audience.BOARD)
    document.save()
    assert total(2) == before - 1


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


# Issue 9, finding 6: the API shows no more than the page does.


def test_attachments_list_only_documents_the_reader_may_open(client, content):
    from papers.confidentiality import collection_for as collection

    proposal = content["public_proposal"]
    shown = BoardDocumentFactory(title="Market position statement", collection=collection("public"))
    moved = BoardDocumentFactory(title="Gubbinsworth appraisal", collection=collection("public"))
    proposal.attachments = [
        ("attachment", {"document": shown, "title": ""}),
        ("attachment", {"document": moved, "title": "Gubbinsworth bidder prices"}),
    ]
    proposal.save_revision().publish()
    moved.collection = collection(Audience.BOARD)  # moved to the board's collection later
    moved.save()

    def attachments(who):
        client.logout()
        as_user(client, who)
        response = client.get(f"/api/v2/pages/{proposal.pk}/")
        assert response.status_code == 200
        return response.json()["attachments"], response.content.decode()

    for who in ("anonymous", "councillor"):
        listed, body = attachments(who)
        assert [a["value"]["document"] for a in listed] == [shown.pk]
        assert "Gubbinsworth" not in body
    listed, _ = attachments("board")
    assert [a["value"]["document"] for a in listed] == [shown.pk, moved.pk]
    assert listed[1]["value"]["title"] == "Gubbinsworth bidder prices"


def test_an_exempt_agenda_item_shows_only_its_public_notice(client, content):
    item = AgendaItem.objects.get(is_exempt=True)
    item.description = "Offers received for the Snicklefritz site."
    item.save()
    AgendaItem.objects.create(
        meeting=content["meeting"], number="8", public_title="Home care", description="Open item."
    )
    meeting = client.get(f"/api/v2/pages/{content['meeting'].pk}/")
    assert "Snicklefritz" not in meeting.content.decode()
    items = {i["public_title"]: i for i in meeting.json()["agenda_items"]}
    assert items["Disposal of a council property (exempt)"]["description"] is None
    assert items["Home care"]["description"] == "Open item."


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_decisions_cannot_be_filtered_by_a_proposal_the_reader_may_not_see(client, content, who):
    as_user(client, who)
    secret = content["board_proposal"]
    by_secret = ids(client.get("/api/v2/decisions/", {"proposal": secret.pk}))
    by_nothing = ids(client.get("/api/v2/decisions/", {"proposal": 987654}))
    assert by_nothing == set()
    if who == "board":
        assert by_secret == {content["public_decision"].pk}
    else:
        assert by_secret == by_nothing  # exactly as for a proposal that does not exist
    public = content["public_proposal"]
    extra_decision(content["public_minutes"], reference="CAB/25/040", proposal=public)
    assert len(ids(client.get("/api/v2/decisions/", {"proposal": public.pk}))) == 1


def test_pages_cannot_be_filtered_by_a_provider_the_reader_may_not_see(client, content):
    from tests.factories import ProviderProfilePageFactory
    from tests.public.helpers import restrict

    provider = restrict(ProviderProfilePageFactory(title="Grindlewick Care"), Audience.BOARD)
    proposal = content["public_proposal"]
    proposal.related_providers.add(provider)
    proposal.save_revision().publish()
    params = {"type": "papers.ProposalPage", "related_providers": provider.pk}
    assert ids(client.get("/api/v2/pages/", params)) == set()
    as_user(client, "board")
    assert ids(client.get("/api/v2/pages/", params)) == {proposal.pk}


# Issue 9, finding 9: reads through the API are logged like views on the site.


def test_api_reads_of_restricted_items_are_in_the_access_log(client, content):
    secret = content["board_proposal"]
    document = BoardDocumentFactory(
        title="Flumpington valuation report", collection=collection_for(Audience.BOARD)
    )
    client.get(f"/api/v2/pages/{secret.pk}/")  # anonymous: refused, nothing to log
    assert not AccessLogEntry.objects.exists()
    member = board_member()
    client.force_login(member)
    assert client.get(f"/api/v2/pages/{secret.pk}/").status_code == 200
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 200
    assert client.get(f"/api/v2/pages/{content['public_proposal'].pk}/").status_code == 200
    logged = {(e.object_type, e.object_id): e for e in AccessLogEntry.objects.all()}
    assert set(logged) == {("page", secret.pk), ("document", document.pk)}
    entry = logged[("page", secret.pk)]
    assert entry.user == member and entry.audience == "board" and entry.viewed_at
    assert entry.path == f"/api/v2/pages/{secret.pk}/"
    # A listing that returns restricted items logs each of them.
    AccessLogEntry.objects.all().delete()
    client.get("/api/v2/pages/", {"type": "papers.ProposalPage"})
    client.get("/api/v2/decisions/")
    logged = set(AccessLogEntry.objects.values_list("object_type", "object_id"))
    assert ("page", secret.pk) in logged
    assert ("page", content["members_proposal"].pk) in logged
    assert ("decision", content["secret_decision"].pk) in logged
    assert ("page", content["public_proposal"].pk) not in logged


@pytest.mark.parametrize("params", [{}, {"type": "papers.ProposalPage"}], ids=["all", "typed"])
def test_listings_hold_to_the_requested_site(client, content, params):
    """A second council's site: each site's listing, by type or not, shows its own pages."""
    other_root = StandardPageFactory(
        parent=Page.get_first_root_node(), title="Another council", slug="another-council"
    )
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    theirs = ProposalPageFactory(parent=other_root, title="Their proposal", slug="theirs")
    ours = ids(client.get("/api/v2/pages/", {**params, "limit": 100}))
    assert content["public_proposal"].pk in ours and theirs.pk not in ours
    other = ids(client.get("/api/v2/pages/", {**params, "site": "other.example"}))
    assert theirs.pk in other and content["public_proposal"].pk not in other
