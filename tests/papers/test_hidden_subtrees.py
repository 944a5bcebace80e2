"""The hidden subtrees as path prefixes (papers.visibility.hidden_subtrees): listings built
from them hide exactly what Wagtail's own rule hides for each page (``can_view``), and the
same as the per-row test the database runs when a site has too many restrictions for them."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from papers import visibility
from papers.models import (
    Contract,
    Decision,
    MeetingPage,
    ProposalPage,
    ProviderAttendance,
    SocialValueCommitment,
    SocialValueDelivery,
    TrailStep,
)
from papers.models.choices import Audience, SocialValueMeasure, SocialValueUnit
from papers.roles import BOARD_MEMBERS
from tests.factories import (
    BoardMemberUserFactory,
    ContractFactory,
    CouncillorUserFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    ProviderProfilePageFactory,
    SuperuserFactory,
    full_trail,
)
from tests.module_data import kept_for_the_module, reread
from tests.public.helpers import restrict
from tests.query_plans import statements_run_by, tables_walked

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_tree(django_db_setup, django_db_blocker, tmp_path_factory):
    """The tree, built once for the module's tests (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        yield build_tree()


@pytest.fixture
def tree(db, shared_tree):
    return reread(shared_tree)


def build_tree():
    """Sections and papers restricted at different depths, one inside another, with aliases of
    a restricted paper and of a restricted meeting (its minutes aliased with it)."""
    open_section = ProposalIndexPageFactory(slug="open")
    board_section = ProposalIndexPageFactory(slug="board-section")
    papers = {
        "public": ProposalPageFactory(parent=open_section, slug="public"),
        "members": restrict(ProposalPageFactory(parent=open_section, slug="mem"), Audience.MEMBERS),
        "board": restrict(ProposalPageFactory(parent=open_section, slug="brd"), Audience.BOARD),
        "in board section": ProposalPageFactory(parent=board_section, slug="inside"),
        "nested": ProposalPageFactory(parent=board_section, slug="nested"),
    }
    papers["alias of board"] = papers["board"].create_alias(
        parent=open_section, update_slug="brd-alias"
    )
    login_only = ProposalPageFactory(parent=open_section, slug="login")
    PageViewRestriction.objects.create(page=login_only, restriction_type=BaseViewRestriction.LOGIN)
    papers["login only"] = login_only
    # A shared password never passes outside a request: hidden from everyone, superusers too.
    password = ProposalPageFactory(parent=open_section, slug="password")
    PageViewRestriction.objects.create(
        page=password, restriction_type=BaseViewRestriction.PASSWORD, password="letmein"
    )
    papers["password"] = password
    # A section restricted directly (sections have no audience field of their own).
    section_restriction = PageViewRestriction.objects.create(
        page=board_section, restriction_type=BaseViewRestriction.GROUPS
    )
    section_restriction.groups.set([Group.objects.get(name=BOARD_MEMBERS)])
    restrict(papers["nested"], Audience.MEMBERS)  # inside a section already hidden
    meeting = MeetingPageFactory(slug="meeting")
    MinutesPageFactory(parent=meeting, slug="minutes")
    meeting.create_alias(recursive=True, update_slug="meeting-alias")
    restrict(meeting, Audience.MEMBERS)
    return papers


READERS = {
    "anonymous": AnonymousUser,
    "councillor": CouncillorUserFactory,
    "board member": BoardMemberUserFactory,
    "superuser": SuperuserFactory,
}


def by_wagtails_rule(user):
    return {page.pk for page in Page.objects.live() if visibility.can_view(user, page)}


@pytest.mark.parametrize("reader", READERS)
def test_listings_hide_what_wagtails_rule_hides_with_prefixes_and_without(
    tree, reader, monkeypatch
):
    user = READERS[reader]()
    expected = by_wagtails_rule(user)
    assert visibility.hidden_subtrees(user)  # a few restrictions: prefixes
    with_prefixes = set(visibility.visible_pages(user).values_list("pk", flat=True))
    children = {
        parent.pk: set(visibility.visible_children(user, parent, Page.objects.all()))
        for parent in Page.objects.filter(depth__lte=3)
    }
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
    assert visibility.hidden_subtrees(user) is None  # too many: the per-row test
    per_row = set(visibility.visible_pages(user).values_list("pk", flat=True))
    assert with_prefixes == per_row == expected
    for parent in Page.objects.filter(depth__lte=3):
        per_row_children = set(visibility.visible_children(user, parent, Page.objects.all()))
        assert children[parent.pk] == per_row_children, parent


@pytest.mark.parametrize("reader", READERS)
def test_decisions_are_listed_by_their_minutes_with_prefixes_and_without(tree, reader, monkeypatch):
    """A decision is tested through a join to its minutes' page, in either form: listed
    exactly when Wagtail's rule lets the reader see its minutes (restricted, aliased, open)."""
    open_meeting = MeetingPageFactory(slug="open-meeting")
    MinutesPageFactory(parent=open_meeting, slug="open-minutes")
    MinutesPageFactory(parent=open_meeting, slug="draft-minutes").unpublish()
    user = READERS[reader]()
    seen = by_wagtails_rule(user)
    expected = {d.pk for d in Decision.objects.all() if d.minutes_id in seen}
    assert expected
    if reader == "anonymous":  # the restricted meeting's minutes and their alias are hidden
        assert len(expected) < Decision.objects.count()
    listed = visibility.visible_decisions(user, Decision.objects.all())
    with_prefixes = set(listed.values_list("pk", flat=True))
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
    per_row = set(
        visibility.visible_decisions(user, Decision.objects.all()).values_list("pk", flat=True)
    )
    assert with_prefixes == per_row == expected


@pytest.mark.parametrize("reader", READERS)
def test_trail_steps_are_listed_by_their_proposal_with_prefixes_and_without(
    tree, reader, monkeypatch
):
    """The same join through another relation (a step's proposal): restricted, nested, aliased,
    login-only and password-protected proposals, in both forms, as Wagtail's rule says."""
    for proposal in tree.values():
        full_trail(proposal.specific)
    user = READERS[reader]()
    seen = by_wagtails_rule(user)
    expected = {step.pk for step in TrailStep.objects.all() if step.proposal_id in seen}
    assert expected and len(expected) < TrailStep.objects.count()
    with_prefixes = set(
        visibility.visible_trail_steps(user, TrailStep.objects.all()).values_list("pk", flat=True)
    )
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
    per_row = set(
        visibility.visible_trail_steps(user, TrailStep.objects.all()).values_list("pk", flat=True)
    )
    assert with_prefixes == per_row == expected


def provider_records(tree):
    """Contracts, social value readings and providers' attendance of a public and a board-only
    provider and an alias of the board-only one, against commitments of every proposal of the
    tree and at every meeting (the tree's restricted one, its alias, and an open one)."""
    providers = [
        ProviderProfilePageFactory(slug="open-provider", contracts=[], reviews=[]),
        restrict(
            ProviderProfilePageFactory(slug="board-provider", contracts=[], reviews=[]),
            Audience.BOARD,
        ),
    ]
    providers.append(providers[1].create_alias(update_slug="board-provider-alias").specific)
    MeetingPageFactory(slug="open-meeting", agenda=[])
    commitments = [
        SocialValueCommitment.objects.create(
            proposal=proposal.specific,
            measure=SocialValueMeasure.choices[0][0],
            unit=SocialValueUnit.choices[0][0],
            target=10,
        )
        for proposal in tree.values()
    ]
    for provider in providers:
        ContractFactory(provider=provider)
        for commitment in commitments:
            SocialValueDelivery.objects.create(
                provider=provider,
                commitment=commitment,
                review_date=datetime.date(2025, 6, 1),
                delivered=5,
            )
        for meeting in MeetingPage.objects.all():
            ProviderAttendance.objects.create(
                meeting=meeting, provider=provider, attendee="Priya Okafor, Director"
            )


PROVIDER_RECORDS = {
    "contracts": (visibility.visible_contracts, Contract, lambda c: {c.provider_id}),
    "social value readings": (
        visibility.visible_deliveries,
        SocialValueDelivery,
        lambda d: {d.provider_id, d.commitment.proposal_id},
    ),
    "attendance": (
        visibility.visible_provider_attendance,
        ProviderAttendance,
        lambda a: {a.provider_id, a.meeting_id},
    ),
}


@pytest.mark.parametrize("reader", READERS)
def test_provider_records_are_listed_by_their_pages_with_prefixes_and_without(
    tree, reader, monkeypatch
):
    """Joins through a provider, a commitment's proposal and a meeting, in both forms: a row is
    listed exactly when Wagtail's rule lets the reader see every page it belongs to."""
    provider_records(tree)
    user = READERS[reader]()
    seen = by_wagtails_rule(user)

    def listed(kind):
        visible, model, _ = PROVIDER_RECORDS[kind]
        return set(visible(user, model.objects.all()).values_list("pk", flat=True))

    with_prefixes = {kind: listed(kind) for kind in PROVIDER_RECORDS}
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
    for kind, (_, model, pages_of) in PROVIDER_RECORDS.items():
        expected = {row.pk for row in model.objects.all() if pages_of(row) <= seen}
        assert expected, kind
        if reader in ("anonymous", "councillor"):  # the board-only provider and its alias
            assert len(expected) < model.objects.count(), kind
        assert with_prefixes[kind] == listed(kind) == expected, kind


def test_anonymous_visitors_see_only_the_public_paper_and_no_alias_of_a_hidden_one(tree):
    seen = set(visibility.visible_pages(AnonymousUser()).values_list("pk", flat=True))
    assert tree["public"].pk in seen
    hidden = ["members", "board", "in board section", "nested", "alias of board", "login only"]
    hidden.append("password")
    assert not seen & {tree[name].pk for name in hidden}


def test_a_subtree_inside_another_is_not_written_twice(tree):
    prefixes = visibility.hidden_subtrees(AnonymousUser())
    board_section = tree["in board section"].get_parent()
    assert board_section.path in prefixes
    assert tree["nested"].path not in prefixes
    assert all(not a.startswith(b) for a in prefixes for b in prefixes if a != b)


def test_the_prefixes_cost_two_small_queries(tree):
    with CaptureQueriesContext(connection) as queries:
        visibility.hidden_subtrees(AnonymousUser())
    assert len(queries) == 2
    assert all("wagtailcore_page" in q["sql"] for q in queries)


def test_the_prefixes_are_read_without_walking_every_page(tree):
    """Both statements read restrictions and aliases through their indexes (SQLite's plan): in
    page order SQLite walked every page for the aliases, 5 ms at 10,000 papers, every request."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics: a small table is read whole")
    statements = statements_run_by(lambda: visibility.hidden_subtrees(AnonymousUser()))
    assert len(statements) == 2
    for sql, params in statements:
        assert "wagtailcore_page" not in tables_walked(sql, params), sql


def test_a_list_cut_off_at_the_limit_is_never_taken_for_the_whole(tree, monkeypatch):
    """Two restrictions on one page are two rows: with the limit below the number of distinct
    pages, the rows read up to it may hold both and so fewer pages than the limit; the rows
    are what is counted, so the per-row test is used, never a list missing a page."""
    board = tree["board"]
    PageViewRestriction.objects.create(page=board, restriction_type=BaseViewRestriction.LOGIN)
    anonymous = AnonymousUser()
    rows = visibility.failing(PageViewRestriction.objects.all(), anonymous).count()
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", rows - 2)
    assert visibility.hidden_subtrees(anonymous) is None
    seen = set(visibility.visible_pages(anonymous).values_list("pk", flat=True))
    assert seen == by_wagtails_rule(anonymous)


@pytest.mark.parametrize("limit", [64, 0])
def test_the_condition_negated_gives_exactly_the_hidden_pages(tree, limit, monkeypatch):
    """``exclude`` of the condition: the live pages Wagtail's rule hides, in both forms."""
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", limit)
    user = CouncillorUserFactory()
    hidden = Page.objects.live().exclude(visibility.OutsideHiddenSubtrees(user))
    everything = set(Page.objects.live().values_list("pk", flat=True))
    assert set(hidden.values_list("pk", flat=True)) == everything - by_wagtails_rule(user)


def test_in_a_request_they_are_read_once_until_an_event(tree):
    """Inside ``request_scope`` (every request, papers.access.ReaderMiddleware) a reader's
    hidden subtrees are read once; a restriction saved in the same request (or by another
    process: the event starts a new page cache generation) is in the next statement."""
    anonymous = AnonymousUser()
    expected = by_wagtails_rule(anonymous)
    with visibility.request_scope():
        first = visibility.hidden_subtrees(anonymous)
        with CaptureQueriesContext(connection) as queries:
            assert visibility.hidden_subtrees(anonymous) == first
            seen = set(visibility.visible_pages(anonymous).values_list("pk", flat=True))
        assert seen == expected
        assert len(queries) == 1  # the pages themselves
        restrict(tree["public"], Audience.MEMBERS)
        assert tree["public"].path in visibility.hidden_subtrees(anonymous)
        seen = set(visibility.visible_pages(anonymous).values_list("pk", flat=True))
        assert tree["public"].pk not in seen


def test_in_a_request_each_reader_has_their_own(tree):
    board_member, councillor = BoardMemberUserFactory(), CouncillorUserFactory()
    with visibility.request_scope():
        assert visibility.hidden_subtrees(councillor) != visibility.hidden_subtrees(board_member)
        for user in (AnonymousUser(), councillor, board_member):
            seen = set(visibility.visible_pages(user).values_list("pk", flat=True))
            assert seen == by_wagtails_rule(user)


def test_outside_a_request_they_are_read_for_every_statement(tree):
    visibility.hidden_subtrees(AnonymousUser())
    with CaptureQueriesContext(connection) as queries:
        visibility.hidden_subtrees(AnonymousUser())
    assert len(queries) == 2


@pytest.mark.parametrize("reader", READERS)
def test_in_a_request_the_per_row_form_kept_for_the_reader_holds_for_every_statement(
    tree, reader, monkeypatch
):
    """With too many restrictions for prefixes, the per-row conditions are built once a
    request and reused by every statement (pages and a page type's own table alike)."""
    monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
    user = READERS[reader]()
    expected = by_wagtails_rule(user)
    with visibility.request_scope():
        pages = set(visibility.visible_pages(user).values_list("pk", flat=True))
        proposals = set(
            visibility.visible_pages(user, ProposalPage.objects.all()).values_list("pk", flat=True)
        )
        again = set(visibility.visible_pages(user).values_list("pk", flat=True))
    assert pages == again == expected
    assert proposals == expected & set(ProposalPage.objects.values_list("pk", flat=True))


def test_in_a_request_the_per_row_form_is_built_only_when_prefixes_will_not_do(tree):
    """Resolving the per-row subqueries again in every statement that nests the condition was
    a third of compiling a search: in a request, with few restrictions, they are not built.
    Outside a request (commands, tasks) they are, since nothing is read before compiling."""
    anonymous = AnonymousUser()
    assert visibility.OutsideHiddenSubtrees(anonymous).per_row is not None
    with visibility.request_scope():
        assert visibility.OutsideHiddenSubtrees(anonymous).per_row is None
        assert visibility.OutsideHiddenSubtrees(anonymous, "minutes__path").per_row is None


def test_a_statement_built_with_prefixes_and_run_past_the_limit_shows_nothing(tree, monkeypatch):
    """A listing built in a request while prefixes did, and run after a restriction took the
    reader past MAX_HIDDEN_PREFIXES in the same request, has no per-row form to fall back on:
    it shows nothing (never a page it did not check). A listing built afterwards is exact."""
    anonymous = AnonymousUser()
    with visibility.request_scope():
        listing = visibility.visible_pages(anonymous)
        assert tree["public"].pk in set(listing.values_list("pk", flat=True))
        monkeypatch.setattr(visibility, "MAX_HIDDEN_PREFIXES", 0)
        restrict(tree["public"], Audience.MEMBERS)
        shown = set(listing.values_list("pk", flat=True))
        rebuilt = set(visibility.visible_pages(anonymous).values_list("pk", flat=True))
    expected = by_wagtails_rule(anonymous)
    assert tree["public"].pk not in expected
    assert shown <= expected
    assert rebuilt == expected and rebuilt


def test_a_page_request_reads_the_readers_restrictions_once(client, tree):
    """ReaderMiddleware opens the request's scope: the home page (section navigation,
    listings, breadcrumbs: several statements) reads the failed restrictions once."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    reads = [
        q for q in queries if 'AS "page__path" FROM "wagtailcore_pageviewrestriction"' in q["sql"]
    ]
    assert len(reads) == 1
