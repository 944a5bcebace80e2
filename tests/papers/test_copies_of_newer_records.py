"""Copies, aliases and reverted revisions of pages carrying the newer records: recorded votes
on exempt business (papers.models.votes), a restricted proposal's social value commitments
(papers.models.social_value) and a board-only 12-month review pack (papers.models.review_pack).

The house rule (docs: "An alias or copy of a page is exactly as visible as the page";
"loosening takes effect only when that revision is published"): whoever may not read the
original (here the public and a councillor) learns nothing of it from the copy, the alias or
the reverted page, whether served, through the API or in the open data. Each operation is
driven through the Wagtail admin as an editor would, and a board member sees the item on the
same surfaces, so each test can fail.
"""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data

from papers.choices import SocialValueMeasure, SocialValueUnit
from papers.models import MinutesPage, ProposalPage, ReviewPackPage
from papers.models.choices import AdviceReached, Audience
from tests import factories as f
from tests.admin_forms import assert_saved, form_data_from_html
from tests.papers.review_pack_support import (
    BOARD,
    PUBLIC,
    SECRET_PROVIDER,
    SECRET_TITLE,
    build_records,
    make_pack,
)
from tests.papers.test_aliases_and_copies import copy_through_admin
from tests.papers.test_recorded_votes import add_votes
from tests.papers.test_social_value import commit
from tests.papers.workflow_support import block_form_data
from tests.public.helpers import board_member, councillor, restrict
from tests.responses import response_text

pytestmark = pytest.mark.django_db


# -- driving the admin ------------------------------------------------------------------------


def alias_through_admin(client, page, parent, slug):
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": page.title,
            "new_slug": slug,
            "new_parent_page": parent.pk,
            "alias": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    alias = Page.objects.get(slug=slug, depth=parent.depth + 1).specific
    assert alias.alias_of_id == page.pk
    return alias


def revert_through_admin(client, page, revision, publish):
    """Open ``revision`` in the admin ("Review this version" → "Replace current draft") and
    save it as a draft, or publish it."""
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = form_data_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript: fill them in from the revision, as it would.
    old = revision.as_object()
    for field in old._meta.get_fields():
        if isinstance(field, StreamField):
            value = block_form_data(field.stream_block, getattr(old, field.name))
            for key, item in nested_form_data({field.name: value}).items():
                data[key] = item
    if publish:
        data["action-publish"] = "action-publish"
    assert_saved(client.post(url, data))
    return type(page).objects.get(pk=page.pk)


def readers():
    """The refused (the public, a councillor) and, to show the tests can see, a board member."""
    anonymous, member, board = Client(), Client(), Client()
    member.force_login(councillor())
    board.force_login(board_member())
    return {"anonymous": anonymous, "councillor": member}, board


def text_of(client, url):
    response = client.get(url)
    return response.status_code, unescape(response_text(response))


# -- (a) minutes carrying recorded votes on exempt business ------------------------------------

EXEMPT_REF = "CAB/26/007"
EXEMPT_TITLE = "Quillfeather Services termination"
# Only the exempt vote names these two members.
EXEMPT_VOTERS = ("Cllr Ada Conway", "Cllr Lila Lowe")
OPEN_DATA = (
    "/open-data/vote_events.json",
    "/open-data/votes.csv",
    "/open-data/motions.json",
    "/open-data/decisions.csv",
    "/api/v2/decisions/?limit=100",
)


@pytest.fixture
def voted_minutes():
    """Public minutes of a public meeting: an exempt decision taken on a recorded vote (no
    paper, so board members, the Chair and officers read it) and a public one."""
    members = [
        f.MemberFactory(name="Cllr Ada Conway", political_group="Conservative"),
        f.MemberFactory(name="Cllr Ben Carter", political_group="Conservative"),
        f.MemberFactory(name="Cllr Lila Lowe", political_group="Labour"),
    ]
    minutes = f.MinutesPageFactory(
        title="Minutes of the Quillfeather meeting",
        decisions=[
            {
                "reference": EXEMPT_REF,
                "title": EXEMPT_TITLE,
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "A decision on a contract, taken in private.",
                "reached_by": AdviceReached.RECORDED_VOTE,
            },
            {"reference": "CAB/26/002", "reached_by": AdviceReached.RECORDED_VOTE},
        ],
        items=[],
    )
    add_votes(minutes, EXEMPT_REF, [(members[0], "for"), (members[2], "against")])
    add_votes(minutes, "CAB/26/002", [(members[1], "abstain")])
    minutes.save_revision().publish()  # the votes are part of the published revision
    return MinutesPage.objects.get(pk=minutes.pk)


def exempt_vote_in_api(client, page):
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    decision = next(d for d in detail["decisions"] if d["reference"] == EXEMPT_REF)
    return decision["recorded_vote"], decision.get("title")


def assert_exempt_vote_withheld(page):
    """The refused read nothing of the exempt vote on ``page`` (its page, the API, the open
    data), and a board member reads it there."""
    refused, board = readers()
    for name, client in refused.items():
        status, html = text_of(client, page.url)
        assert status == 200, (name, status)  # the minutes are public: only the vote is not
        assert "A decision on a contract, taken in private." in html  # the notice is there
        for secret in (EXEMPT_TITLE, f"Totals by political group, {EXEMPT_REF}", *EXEMPT_VOTERS):
            assert secret not in html, (name, secret)
        assert html.count("Recorded vote:") == 1, name  # the public decision's only
        vote, title = exempt_vote_in_api(client, page)
        assert vote is None and title != EXEMPT_TITLE, (name, vote, title)
        for url in OPEN_DATA:
            _, text = text_of(client, url)
            for secret in (EXEMPT_TITLE, *EXEMPT_VOTERS):
                assert secret not in text, (name, url, secret)
    vote, title = exempt_vote_in_api(board, page)
    assert vote["counts"]["for"] == 1 and vote["counts"]["against"] == 1
    assert EXEMPT_VOTERS[0] in text_of(board, page.url)[1]
    assert EXEMPT_VOTERS[0] in text_of(board, "/open-data/votes.csv")[1]


def test_a_copy_of_minutes_withholds_the_exempt_vote(admin_client, voted_minutes):
    meeting = f.MeetingPageFactory(title="Another meeting", slug="another")
    copy = copy_through_admin(admin_client, voted_minutes, meeting, "quillfeather-copy")
    assert copy.live and copy.recorded_votes.filter(decision_reference=EXEMPT_REF).count() == 2
    assert_exempt_vote_withheld(copy)


def test_an_alias_of_minutes_withholds_the_exempt_vote(admin_client, voted_minutes):
    meeting = f.MeetingPageFactory(title="Another meeting", slug="another")
    alias = alias_through_admin(admin_client, voted_minutes, meeting, "quillfeather-alias")
    assert alias.recorded_votes.filter(decision_reference=EXEMPT_REF).count() == 2
    assert_exempt_vote_withheld(alias)


def test_reverting_to_a_revision_with_the_exempt_vote_withholds_it_again(
    admin_client, voted_minutes
):
    """The exemption is lifted (the decision and its vote become public), then an editor
    reverts to the revision taken while it was exempt: the vote is exempt again."""
    exempt_revision = voted_minutes.latest_revision
    lifted = voted_minutes.get_latest_revision_as_object()
    decisions = list(lifted.decisions.all())
    for decision in decisions:
        decision.is_exempt, decision.exempt_paragraph = False, ""
    lifted.decisions = decisions
    lifted.save_revision().publish()
    assert not voted_minutes.decisions.filter(is_exempt=True).exists()
    public_html = Client().get(voted_minutes.url).content.decode()
    assert EXEMPT_VOTERS[0] in public_html  # lifted: the public reads the vote

    reverted = revert_through_admin(admin_client, voted_minutes, exempt_revision, publish=True)
    assert reverted.decisions.get(reference=EXEMPT_REF).is_exempt
    assert_exempt_vote_withheld(reverted)


# -- (b) a restricted proposal carrying social value commitments -------------------------------

COMMITMENT = "Kestrel carbon plan"
PROPOSAL_TITLE = "Zephyrwick extension"


@pytest.fixture
def committed_proposal():
    """A board-only proposal committing its provider to a carbon saving."""
    proposal = f.ProposalPageFactory(title=PROPOSAL_TITLE, slug="zephyrwick")
    commit(proposal, SocialValueMeasure.CARBON, SocialValueUnit.TONNES, 120, COMMITMENT)
    proposal.save_revision().publish()
    return restrict(ProposalPage.objects.get(pk=proposal.pk), Audience.BOARD)


def assert_commitment_withheld(page):
    refused, board = readers()
    listing = (
        f"/api/v2/pages/?type=papers.ProposalPage&fields=commitments&limit=100&slug={page.slug}"
    )
    for name, client in refused.items():
        status, html = text_of(client, page.url)
        assert status in (302, 403) and COMMITMENT not in html, (name, status)
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404, name
        for url in (listing, "/social-value/", "/open-data/bills.json", "/search/?q=Zephyrwick"):
            _, text = text_of(client, url)
            assert COMMITMENT not in text and PROPOSAL_TITLE not in text, (name, url)
    # (/social-value/ lists the commitments of proposals that awarded a contract: a copy or
    # alias awarded none, so it is checked only for the refused.)
    detail = board.get(f"/api/v2/pages/{page.pk}/").json()
    assert [c["description"] for c in detail["commitments"]] == [COMMITMENT]
    assert COMMITMENT in text_of(board, page.url)[1]
    assert COMMITMENT in text_of(board, listing)[1]


def test_a_copy_of_a_restricted_proposal_keeps_its_commitments_hidden(
    admin_client, committed_proposal
):
    # Copied into a public section, published.
    parent = f.ProposalIndexPageFactory(title="Open proposals", slug="open-proposals")
    copy = copy_through_admin(admin_client, committed_proposal, parent, "zephyrwick-copy")
    assert copy.live and copy.commitments.get().description == COMMITMENT
    assert_commitment_withheld(copy)


def test_an_alias_of_a_restricted_proposal_keeps_its_commitments_hidden(
    admin_client, committed_proposal
):
    parent = f.ProposalIndexPageFactory(title="Open proposals", slug="open-proposals")
    alias = alias_through_admin(admin_client, committed_proposal, parent, "zephyrwick-alias")
    assert alias.commitments.get().description == COMMITMENT
    assert_commitment_withheld(alias)


def test_an_alias_made_while_the_proposal_was_public_hides_its_commitments_with_it(
    admin_client,
):
    """Aliased while public; the proposal is then restricted (saved, not yet published, so
    Wagtail has not synced the alias): the alias carries no restriction of its own."""
    proposal = f.ProposalPageFactory(title=PROPOSAL_TITLE, slug="zephyrwick")
    commit(proposal, SocialValueMeasure.CARBON, SocialValueUnit.TONNES, 120, COMMITMENT)
    proposal.save_revision().publish()
    parent = f.ProposalIndexPageFactory(title="Open proposals", slug="open-proposals")
    alias = alias_through_admin(admin_client, proposal, parent, "zephyrwick-alias")
    assert COMMITMENT in text_of(Client(), alias.url)[1]  # public, for now
    restrict(ProposalPage.objects.get(pk=proposal.pk), Audience.BOARD)
    assert (
        not ProposalPage.objects.get(pk=alias.pk)
        .get_view_restrictions()
        .filter(page=alias)
        .exists()
    )
    assert_commitment_withheld(ProposalPage.objects.get(pk=alias.pk))


def test_reverting_a_restricted_proposal_to_its_public_revision_keeps_it_hidden_until_published(
    admin_client,
):
    """Public when first published, then restricted (and published so): an editor reverting
    to the public revision saves a draft, which loosens nothing until it is published."""
    proposal = f.ProposalPageFactory(title=PROPOSAL_TITLE, slug="zephyrwick")
    commit(proposal, SocialValueMeasure.CARBON, SocialValueUnit.TONNES, 120, COMMITMENT)
    public_revision = proposal.save_revision()
    public_revision.publish()
    restricted = restrict(ProposalPage.objects.get(pk=proposal.pk), Audience.BOARD)
    restricted.save_revision().publish()

    reverted = revert_through_admin(admin_client, restricted, public_revision, publish=False)
    assert reverted.has_unpublished_changes
    assert reverted.get_latest_revision_as_object().audience == Audience.PUBLIC
    assert reverted.audience == Audience.BOARD
    assert_commitment_withheld(reverted)


# -- (c) a board-only 12-month review pack -----------------------------------------------------

# The pack names neither (it counts): what the board's pack tells is its board-only counts.
PACK_SECRETS = (SECRET_TITLE, SECRET_PROVIDER)
assert BOARD["considered"] != PUBLIC["considered"] and BOARD["held"] != PUBLIC["held"]


@pytest.fixture
def about():
    build_records()  # meetings, proposals and providers, one of each board-only
    return f.StandardPageFactory(title="About the board", slug="about")


def pack_surfaces(page):
    return (page.url, page.url + "pdf/", page.url + "csv/")


def assert_pack_withheld(page, counted_for=Audience.BOARD):
    refused, board = readers()
    for name, client in refused.items():
        for url in pack_surfaces(page):
            status, text = text_of(client, url)
            assert status in (302, 403), (name, url, status)
            assert not any(secret in text for secret in PACK_SECRETS), (name, url)
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404, name
        listing = client.get("/api/v2/pages/", {"type": "papers.ReviewPackPage", "fields": "*"})
        assert page.pk not in {item["id"] for item in listing.json()["items"]}, name
    # A board member reads the pack, counted for the board, on every surface.
    for url in pack_surfaces(page):
        assert text_of(board, url)[0] == 200, url
    figures = board.get(f"/api/v2/pages/{page.pk}/").json()["figures"]
    counts = BOARD if counted_for == Audience.BOARD else PUBLIC
    assert (figures["audience"], figures["proposals"]["considered"]) == (
        counted_for,
        counts["considered"],
    )


def test_a_copy_of_a_board_only_review_pack_is_board_only(admin_client, about):
    pack = make_pack(about, Audience.BOARD)
    public = f.StandardPageFactory(title="Publications", slug="publications")
    copy = copy_through_admin(admin_client, pack, public, "review-pack-copy")
    assert copy.live and copy.audience == Audience.BOARD
    assert_pack_withheld(copy)


def test_an_alias_of_a_board_only_review_pack_is_board_only(admin_client, about):
    pack = make_pack(about, Audience.BOARD)
    public = f.StandardPageFactory(title="Publications", slug="publications")
    alias = alias_through_admin(admin_client, pack, public, "review-pack-alias")
    assert_pack_withheld(alias)


def test_an_alias_made_while_the_pack_was_public_is_hidden_with_it(admin_client, about):
    """Aliased while public; the pack is then made board-only and recounted (saved, not yet
    published, so Wagtail has not synced the alias)."""
    pack = make_pack(about, Audience.PUBLIC)
    public = f.StandardPageFactory(title="Publications", slug="publications")
    alias = alias_through_admin(admin_client, pack, public, "review-pack-alias")
    assert Client().get(alias.url).status_code == 200  # public, for now
    pack.audience, pack.exempt_paragraph = Audience.BOARD, "3"
    pack.save()
    pack.save_revision()
    alias = ReviewPackPage.objects.get(pk=alias.pk)
    assert not alias.get_view_restrictions().filter(page=alias).exists()
    assert_pack_withheld(alias, counted_for=Audience.PUBLIC)  # the live figures are public's


def test_reverting_a_board_only_pack_to_its_public_revision(admin_client, about):
    """A public pack made board-only: reverting to the public revision saves a draft that
    loosens nothing; publishing it gives a public pack counted afresh for the public, never the
    board revision's figures."""
    pack = make_pack(about, Audience.PUBLIC)
    public_revision = pack.latest_revision
    pack.audience, pack.exempt_paragraph = Audience.BOARD, "3"
    pack.save()
    pack.save_revision().publish()
    pack = ReviewPackPage.objects.get(pk=pack.pk)
    assert pack.figures["proposals"]["considered"] == BOARD["considered"]

    draft = revert_through_admin(admin_client, pack, public_revision, publish=False)
    assert draft.audience == Audience.BOARD
    assert_pack_withheld(draft)

    published = revert_through_admin(admin_client, draft, public_revision, publish=True)
    assert published.audience == Audience.PUBLIC
    refused, _ = readers()
    for name, client in refused.items():
        for url in pack_surfaces(published):
            status, text = text_of(client, url)
            assert status == 200, (name, url, status)
            assert not any(secret in text for secret in PACK_SECRETS), (name, url)
        figures = client.get(f"/api/v2/pages/{published.pk}/").json()["figures"]
        assert (figures["audience"], figures["meetings"]["held"]) == (
            Audience.PUBLIC,
            PUBLIC["held"],
        ), name
        assert figures["proposals"]["considered"] == PUBLIC["considered"], name
