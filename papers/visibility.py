"""The one place that decides what a user may see.

Every listing, menu, breadcrumb, search, feed, sitemap, calendar and API endpoint goes through
these helpers: Wagtail's own querysets, menus, search and document listings ignore view
restrictions. A restriction on a page hides it and everything below it; a restriction on a
collection hides its documents and those of its child collections. Password restrictions
are never used on this site and count as failed for listings.

Training before board papers (``REQUIRE_TRAINING_FOR_BOARD_PAPERS``): a board member who has not
completed every module marked "required before board papers" is read here as a councillor
(the Members group in place of Board members), so every surface that asks this module shows
them exactly what a councillor sees; officers, the Chair and superusers are never held back.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, CollectionViewRestriction, Page, PageViewRestriction

from .caching import current_generation
from .choices import Audience
from .conf import get_setting, group_name
from .expressions import UnindexedOnSQLite

GROUP_IDS_ATTR = "_board_group_ids"
MISSING_TRAINING_ATTR = "_board_missing_training"
EXEMPT_READER_ATTR = "_board_exempt_audiences"
EXEMPT_PAPERS_ATTR = "_board_exempt_papers"
# Who reads every exempt (Schedule 12A) minute and decision in full: the audience of a
# board-only paper (papers.confidentiality.AUDIENCE_GROUPS), and superusers. Councillors also
# read those of councillors' papers (``exempt_audiences``).
EXEMPT_READER_GROUPS = tuple(group_name(role) for role in ("BOARD_MEMBERS", "CHAIR", "OFFICERS"))


BOARD_MEMBERS_GROUP, MEMBERS_GROUP = group_name("BOARD_MEMBERS"), group_name("MEMBERS")
NEVER_GATED_GROUPS = (group_name("CHAIR"), group_name("OFFICERS"))


def group_ids(user):
    """The ids of the groups ``user`` reads as: their own groups, except that a board member
    still missing required training reads as a councillor (``missing_training``). A few
    queries, cached on the user object (so once a request)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, GROUP_IDS_ATTR, None)
    if cached is None:
        memberships = dict(user.groups.values_list("name", "pk"))
        missing = _missing_training(user, memberships)
        setattr(user, MISSING_TRAINING_ATTR, missing)
        if missing:
            memberships.pop(BOARD_MEMBERS_GROUP)
            members = Group.objects.filter(name=MEMBERS_GROUP).values_list("pk", flat=True).first()
            if members is not None:
                memberships[MEMBERS_GROUP] = members
        cached = frozenset(memberships.values())
        setattr(user, GROUP_IDS_ATTR, cached)
    return cached


def _missing_training(user, memberships):
    """The required modules a board member (not also Chair or officer) has not completed, when
    the site requires them; [] for everyone else. Modules are looked up by name through
    Django's app registry: the models sit above this module and call it."""
    if not get_setting("REQUIRE_TRAINING_FOR_BOARD_PAPERS") or user.is_superuser:
        return []
    if BOARD_MEMBERS_GROUP not in memberships:
        return []
    if any(name in memberships for name in NEVER_GATED_GROUPS):
        return []
    modules = apps.get_model("papers", "TrainingModulePage").objects.live()
    required = modules.filter(required_for_board_papers=True).exclude(completions__user=user)
    return list(required.order_by("path"))


def missing_training(user):
    """The live modules ``user`` must still complete before board papers open to them (empty
    for anyone not held back: see ``group_ids``)."""
    if not _signed_in(user):
        return []
    group_ids(user)
    return getattr(user, MISSING_TRAINING_ATTR, None) or []


def assume_groups(user, ids):
    """Take ``user`` (a stand-in not in the database, e.g. a preview's reader) to be in
    exactly the groups ``ids``: ``group_ids`` answers with them instead of a query."""
    setattr(user, GROUP_IDS_ATTR, frozenset(ids))
    return user


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


class _Memberships(list):
    """The groups ``group_ids`` read for a user, shaped like the ``user.groups`` manager."""

    def all(self):
        return self


class _Reader:
    """What ``BaseViewRestriction.accept_request`` reads of ``request.user``, for ``user``."""

    def __init__(self, user):
        self.is_authenticated = _signed_in(user)
        self.is_superuser = self.is_authenticated and user.is_superuser
        self.groups = _Memberships(Group(pk=pk) for pk in group_ids(user))


def restriction_admits(restriction, user):
    """Whether ``user`` passes a single view restriction, by Wagtail's own rule.

    Wagtail decides with ``BaseViewRestriction.accept_request``, which asks about a request;
    listings, feeds, templates and a preview as another reader ask about a user. So it is asked
    about a request for ``user`` with no session (a shared-password restriction never passes)
    and with the group ids ``group_ids`` read once per request, not once per restriction (a
    preview's stand-in reader has no rows to read them from).
    """
    request = HttpRequest()
    request.session = {}
    request.user = _Reader(user)
    return restriction.accept_request(request)


def failing(restrictions, user):
    """The restrictions of a queryset that ``user`` does not pass, as a queryset."""
    if not _signed_in(user):
        return restrictions
    restrictions = restrictions.exclude(restriction_type=BaseViewRestriction.LOGIN)
    if user.is_superuser:
        return restrictions.exclude(restriction_type=BaseViewRestriction.GROUPS)
    return restrictions.exclude(
        restriction_type=BaseViewRestriction.GROUPS, groups__in=list(group_ids(user))
    )


def _under(restrictions, target_field, path_ref="path"):
    """Failing restrictions whose ``target_field`` is the row's tree node or an ancestor of it.

    Tree paths (treebeard) are prefixes of their descendants' paths, so "at or above" is
    "the restriction's path is the first len(path) characters of the row's path".
    """
    path = f"{target_field}__path"
    return restrictions.filter(**{path: Substr(OuterRef(path_ref), 1, Length(path))})


# A reader's hidden subtrees are written into a statement as path prefixes up to this many.
# A site that restricts more pages one by one gets the per-row test in the database instead,
# whose cost grows with the restrictions rather than the statement's length.
MAX_HIDDEN_PREFIXES = 64


# Within one request (``request_scope``) a reader's hidden subtrees are read once for each
# generation of the page cache (papers.caching): every event that can change them (a restriction
# saved or removed, a page moved, saved or deleted, a group membership) starts a new generation
# at once, so a statement compiled after such an event, in this request or because of another,
# reads them afresh. Nothing is kept between requests, nor outside one (commands, tasks).
_REQUEST_MEMO = ContextVar("board_hidden_subtrees", default=None)


@contextmanager
def request_scope():
    """Keep hidden subtrees for the rest of this request, per reader and generation."""
    token = _REQUEST_MEMO.set({})
    try:
        yield
    finally:
        _REQUEST_MEMO.reset(token)


def hidden_subtrees(user, using="default"):
    """The paths of the subtrees ``user`` may not see (None: more than MAX_HIDDEN_PREFIXES):
    the pages of the restrictions they fail and the aliases of pages at or below those, without
    any that lies inside another. A page is hidden exactly when its path starts with one.

    Two small queries (the second only when something is hidden): the restrictions and the
    aliases, never the pages below them; in a request, once a generation (``request_scope``).
    """
    memo = _REQUEST_MEMO.get()
    generation = _generation() if memo is not None else None
    if generation is None:
        return _read_hidden_subtrees(user, using)
    key = ("hidden", using, generation, *_reader_key(user))
    if key not in memo:
        memo[key] = _read_hidden_subtrees(user, using)
    return memo[key]


def _reader_key(user):
    """Exactly what ``failing`` reads of the reader, so a preview as another reader keys apart."""
    signed_in = _signed_in(user)
    return signed_in, signed_in and user.is_superuser, group_ids(user)


def _generation():
    try:
        return current_generation()
    except Exception:  # no cache (or it is down): read every time, as outside a request
        return None


def _read_hidden_subtrees(user, using):
    failed = failing(PageViewRestriction.objects.using(using), user)
    paths = list(failed.values_list("page__path", flat=True)[: MAX_HIDDEN_PREFIXES + 1])
    if paths and len(paths) <= MAX_HIDDEN_PREFIXES:
        aliases = (
            Page.objects.using(using)
            .filter(alias_of__gt=0)
            .filter(_starts_with_any("alias_of__path", paths))
        )
        # Unordered: in page order SQLite walked every page (5 ms at 10,000, every request)
        # rather than the few aliases; which ones come first does not matter (sorted below).
        paths += aliases.order_by().values_list("path", flat=True)[: MAX_HIDDEN_PREFIXES + 1]
    if len(paths) > MAX_HIDDEN_PREFIXES:
        return None
    outermost = []
    for path in sorted(paths):  # a path sorts right after its ancestors
        if not (outermost and path.startswith(outermost[-1])):
            outermost.append(path)
    return outermost


def _starts_with_any(field, prefixes):
    condition = Q()
    for prefix in sorted(prefixes):
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def _hidden_aliases(user, path_ref="path"):
    """Aliases at or above the row whose source page is at or below a restriction ``user``
    fails: an alias, and whatever lies under it, is exactly as visible as the page it copies."""
    failed = failing(PageViewRestriction.objects.all(), user)
    source_hidden = _under(failed, "page", path_ref="alias_of__path")
    # ``alias_of > 0`` (every alias; ids are positive) rather than ``IS NOT NULL``: SQLite then
    # reads the few aliases through the index on alias_of, where ``IS NOT NULL`` made it scan
    # every page for every row tested (100 s to count 10,000 papers).
    aliases = Page.objects.filter(
        alias_of__gt=0, path=Substr(OuterRef(path_ref), 1, Length("path"))
    )
    return aliases.filter(Exists(source_hidden))


def _unhidden(user, queryset):
    """Rows of ``queryset`` (live or not) at or below no restriction ``user`` fails and no
    alias of such a page."""
    return queryset.filter(OutsideHiddenSubtrees(user))


class OutsideHiddenSubtrees(Expression):
    """The condition "this row's page lies in none of ``user``'s hidden subtrees".

    The hidden subtrees are read when the statement is compiled, that is each time it runs
    (never when the queryset is built, which may be earlier), and written in as path
    prefixes: a few string comparisons a row, which the planner estimates from its statistics.
    (Testing each row against the restrictions in the statement cost a nested loop over every
    row and every restriction: 840,000 comparisons to count 120,000 pages.) With more than
    MAX_HIDDEN_PREFIXES, the per-row test is what is written; in a request it is built only
    if the reader's hidden subtrees are that many when the condition is built
    (``_per_row_tests``).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, user, path="path"):
        """``path``: the tree path of the row's page, e.g. ``"minutes__path"`` for a record
        tested by the page it belongs to (a join, which the database reads in the order the
        listing wants, where ``IN (visible pages)`` made SQLite sort every record)."""
        super().__init__()
        self.user = user
        self.path = F(path)
        self.per_row = _per_row_tests(user, path)

    def get_source_expressions(self):
        return [self.path, *(self.per_row or ())]

    def set_source_expressions(self, expressions):
        self.path, *per_row = expressions
        self.per_row = tuple(per_row) or None

    def as_sql(self, compiler, connection):
        prefixes = hidden_subtrees(self.user, using=connection.alias)
        if prefixes is None:
            if self.per_row is None:
                # Past MAX_HIDDEN_PREFIXES only since this statement was built (a restriction
                # added in the same request): nothing is shown rather than something unchecked.
                return "%s", (False,)
            restricted, restricted_params = compiler.compile(self.per_row[0])
            aliased, aliased_params = compiler.compile(self.per_row[1])
            # In parentheses: the condition may be negated (``exclude``) or combined.
            sql = f"(NOT {restricted} AND NOT {aliased})"
            return sql, (*restricted_params, *aliased_params)
        if not prefixes:
            return "%s", (True,)
        path, path_params = compiler.compile(self.path)
        conditions, params = [], []
        for prefix in prefixes:
            conditions.append(f"{path} LIKE %s")
            params += [*path_params, connection.ops.prep_for_like_query(prefix) + "%"]
        return f"NOT ({' OR '.join(conditions)})", params


def _per_row_tests(user, path="path"):
    """The per-row form's two conditions (unresolved: each statement resolves its own copy),
    built once a request for each reader, and in a request only when the reader's hidden
    subtrees are too many for prefixes: resolving them again in every statement that nests
    the condition was a third of compiling a search. None when they are not needed."""
    memo = _REQUEST_MEMO.get()
    if memo is None:
        return _build_per_row_tests(user, path)
    if hidden_subtrees(user) is not None:
        return None
    key = ("per-row", path, *_reader_key(user))
    if key not in memo:
        memo[key] = _build_per_row_tests(user, path)
    return memo[key]


def _build_per_row_tests(user, path):
    failed = failing(PageViewRestriction.objects.all(), user)
    return Exists(_under(failed, "page", path_ref=path)), Exists(_hidden_aliases(user, path))


def visible_pages(user, queryset=None):
    """Live pages ``user`` may see: nothing at or below a restriction they fail, nor at or
    below an alias of such a page."""
    queryset = queryset if queryset is not None else Page.objects.all()
    return _unhidden(user, queryset.live())


def visible_page_ids(user, ids):
    """Those of the page ids ``ids`` that are live pages ``user`` may see: one query for all
    of them (a list of links asks this, not ``can_view`` once a link)."""
    if not ids:
        return set()
    return set(visible_pages(user, Page.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def visible_children(user, parent, queryset):
    """The live children of ``parent`` (among ``queryset``) that ``user`` may see: exactly
    ``visible_pages(user, queryset.child_of(parent))``, in a form whose cost per row does not
    grow with the number of pages or restrictions, and which a listing reads in the order of
    its own index (``_children``).

    With the hidden subtrees as path prefixes, that is what it is. With too many of them, what
    lies at or above a child is what lies at or above its parent, and the child itself: so the
    parent's place is tested once (a subquery that does not depend on the row), and each child
    only for a failed restriction on itself (an index look-up) or for being an alias of a
    hidden page (the few aliases' sources are tested once, not every page in the tree).
    """
    if hidden_subtrees(user) is not None:
        return visible_pages(user, _children(queryset, parent))
    failed = failing(PageViewRestriction.objects.all(), user)
    place_visible = _unhidden(user, Page.objects.filter(pk=parent.pk))
    alias_sources = Page.objects.filter(alias_of__gt=0).values("alias_of")
    hidden_sources = Page.objects.filter(pk__in=alias_sources).filter(
        Exists(_under(failed, "page"))
    )
    return (
        _children(queryset, parent)
        .live()
        .filter(Exists(place_visible))
        .exclude(Exists(failed.filter(page_id=OuterRef("pk"))))
        .exclude(alias_of__in=hidden_sources.values("pk"))
    )


def _children(queryset, parent):
    """``queryset.child_of(parent)``: the pages one level below ``parent`` within its path.

    Written so that SQLite does not look the level up in migration 0026's (depth, path) index:
    with it, SQLite read every child and sorted them all to show twenty (12 ms at 10,000
    papers); without it, SQLite walks the listing's own index in order (the proposals' paper
    date) and stops after the page shown (0.06 ms). That takes the tables' statistics, which
    seed_demo gathers (ANALYZE); without them SQLite reads every child either way. Other
    databases get the same two conditions as they are (Wagtail's ``child_of`` adds two that
    these imply).
    """
    return queryset.alias(child_depth=UnindexedOnSQLite("depth")).filter(
        path__startswith=parent.path, child_depth=parent.depth + 1
    )


def view_restrictions(page):
    """Every restriction on ``page`` or an ancestor, and, for each of those that is an alias,
    on its source page and the source's ancestors (Wagtail's own ``get_view_restrictions``
    resolves an alias to its source but not to the source's ancestors)."""
    chain = list(page.get_ancestors(inclusive=True).only("path", "alias_of"))
    sources = [p.alias_of for p in chain if p.alias_of_id]
    paths = {p.path for p in chain}
    for source in sources:
        paths |= {source.path[:i] for i in range(Page.steplen, len(source.path) + 1, Page.steplen)}
    return PageViewRestriction.objects.filter(page__path__in=paths)


def can_view(user, page):
    """Whether ``user`` may see ``page`` (restrictions on it, every ancestor and, for an
    alias, the page it is an alias of)."""
    if page is None:
        return False
    return all(
        restriction_admits(restriction, user)
        for restriction in view_restrictions(page).prefetch_related("groups")
    )


def visible_documents(user, queryset=None):
    """Documents ``user`` may open: none in a collection (or below one) they may not see."""
    queryset = queryset if queryset is not None else get_document_model().objects.all()
    hidden = _under(
        failing(CollectionViewRestriction.objects.all(), user),
        "collection",
        path_ref="collection__path",
    )
    return queryset.exclude(Exists(hidden))


def can_view_document(user, document):
    if document is None:
        return False
    return all(
        restriction_admits(restriction, user)
        for restriction in document.collection.get_view_restrictions().prefetch_related("groups")
    )


def _in_visible_minutes(user, queryset):
    """The records of ``queryset`` (decisions, minute items, votes) whose minutes ``user`` may
    see."""
    return _of_visible_page(user, queryset, "minutes")


def _of_visible_page(user, queryset, relation):
    """The records of ``queryset`` whose page (``relation``: their minutes, proposal, provider)
    is live and one ``user`` may see: a join to that page, tested where it is read.

    Never a list of ids in Python, nor ``relation IN (visible pages)``, after which SQLite read
    every visible page and sorted every record of them to list the newest twenty (the register,
    its feed and the API 2-4x slower at 10,000 papers), nor a correlated EXISTS (the register's
    count 4-5x slower on SQLite). The relation is named, not its model imported: the add-on's
    models sit below this module and call it. A search backend filters by indexed fields only:
    hand it ``pk IN (this)``.
    """
    return queryset.filter(**{f"{relation}__live": True}).filter(
        OutsideHiddenSubtrees(user, f"{relation}__path")
    )


def visible_decisions(user, queryset):
    """Decisions (of ``queryset``) ``user`` may see listed: those in live minutes they may see.

    An exempt decision is listed to everyone who may see its minutes, but only as its notice
    and public summary unless ``decision_is_readable``: templates, the API and feeds ask that.
    """
    return _in_visible_minutes(user, queryset)


def minutes_of_visible_decisions(user, decisions):
    """The minutes holding the decisions (of ``decisions``) that ``user`` may see listed: the
    minutes they may see with at least one of them. A tenth as many rows as the decisions, so
    the cheaper way to ask, say, which years the register has."""
    minutes_model = decisions.model._meta.get_field("minutes").related_model
    holding = minutes_model.objects.filter(Exists(decisions.filter(minutes_id=OuterRef("pk"))))
    return visible_pages(user, holding)


def visible_trail_steps(user, queryset):
    """Advice trail steps (of ``queryset``) ``user`` may see: those of live proposals they may
    see. A step is exactly as visible as its proposal."""
    return _of_visible_page(user, queryset, "proposal")


def visible_contracts(user, queryset):
    """Contracts (of ``queryset``) ``user`` may see: those of live provider pages they may see.
    A restricted provider's contracts are not listed, exported or counted for anyone else."""
    return _of_visible_page(user, queryset, "provider")


def reads_exempt(user):
    """Whether ``user`` reads all exempt business in full: the most restrictive default (board
    members, the Chair, officers, superusers), which is also who reads an exempt item with no
    paper, or with a board-only or public paper."""
    return None in exempt_audiences(user)


def reads_any_exempt(user):
    """Whether ``user`` reads some exempt business in full: the default readers, and councillors
    (the exempt minutes and decisions of papers for councillors). A cheap first question for
    search; which records is ``readable_decisions`` / ``readable_exempt_minutes``'."""
    return bool(exempt_audiences(user))


def exempt_audiences(user):
    """The paper audiences whose exempt records ``user`` reads in full, ``None`` standing for
    every exempt record (the default readers). An exempt minute or decision is read by whoever
    its paper's audience admits (papers.confidentiality.AUDIENCE_GROUPS): a councillors'
    paper admits councillors too; a board-only paper, no paper at all, or a public paper (an
    item made exempt for a reason of its own) keep the most restrictive default. One query,
    cached on the user object."""
    if not _signed_in(user):
        return frozenset()
    if user.is_superuser:
        return frozenset({None, Audience.MEMBERS, Audience.BOARD})
    cached = getattr(user, EXEMPT_READER_ATTR, None)
    if cached is None:
        names = set(Group.objects.filter(pk__in=group_ids(user)).values_list("name", flat=True))
        if names & set(EXEMPT_READER_GROUPS):
            cached = frozenset({None, Audience.MEMBERS, Audience.BOARD})
        elif MEMBERS_GROUP in names:
            cached = frozenset({Audience.MEMBERS})
        else:
            cached = frozenset()
        setattr(user, EXEMPT_READER_ATTR, cached)
    return cached


def _readable_exempt(user, queryset):
    """A filter for the exempt records of ``queryset`` ``user`` reads in full (None: all of
    them); exempt records with no paper match no audience. A subquery on the record's own
    ``proposal`` column, so the search backends (which filter on indexed fields) accept it."""
    audiences = exempt_audiences(user)
    if None in audiences:
        return None
    papers = queryset.model._meta.get_field("proposal").related_model
    admitted = papers.objects.filter(audience__in=sorted(audiences)).values("pk")
    return Q(proposal__in=admitted)


def _paper_audiences(model):
    """{paper id: audience} for the papers linked from exempt records of ``model``: few (exempt
    business is rare), read in one query."""
    papers = model._meta.get_field("proposal").related_model
    linked = model.objects.filter(is_exempt=True, proposal__isnull=False).values("proposal_id")
    return dict(papers.objects.filter(pk__in=linked).values_list("pk", "audience"))


def exempt_record_is_readable(record, user):
    """Whether ``user`` reads an exempt ``record`` (a minute item or decision) in full.

    Bounded queries: the audiences of the papers linked from exempt records are read once per
    reader and model; only a record newly linked in an unsaved draft (a preview) costs its own
    query, once per paper."""
    audiences = exempt_audiences(user)
    if None in audiences:
        return True
    if not audiences or not record.proposal_id:
        return False
    known = getattr(user, EXEMPT_PAPERS_ATTR, None)
    if known is None:
        known = {}
        setattr(user, EXEMPT_PAPERS_ATTR, known)
    model = type(record)
    if model not in known:
        known[model] = _paper_audiences(model)
    papers = known[model]
    if record.proposal_id not in papers:
        related = model._meta.get_field("proposal").related_model
        found = related.objects.filter(pk=record.proposal_id).values_list("audience", flat=True)
        papers[record.proposal_id] = found.first()
    return papers[record.proposal_id] in audiences


def decision_is_readable(decision, user):
    """Whether ``user`` reads a decision in full (title, resolution), not just its notice.

    Seeing its minutes at all is ``visible_decisions``' question; this one is about exempt
    business inside minutes the user may see.
    """
    return not decision.is_exempt or exempt_record_is_readable(decision, user)


def minute_is_readable(item, user):
    """Whether ``user`` reads a minute item's title and text, not just its exempt notice."""
    return not item.is_exempt or exempt_record_is_readable(item, user)


def readable_decisions(user, queryset):
    """Decisions ``user`` may read in full, so may find by the words of their title and
    resolution: visible ones, less the exempt ones their paper's audience does not admit them to
    (``exempt_audiences``)."""
    decisions = visible_decisions(user, queryset)
    readable = _readable_exempt(user, decisions)
    if readable is None:
        return decisions
    return decisions.filter(Q(is_exempt=False) | readable)


def readable_votes_by_decision(user, decisions, votes):
    """{decision reference: [votes]}: of ``votes`` (one minutes' recorded votes), those on
    ``decisions`` (the same minutes' decisions, which the caller shows ``user``) that ``user``
    may read in full. A vote on an exempt decision is left out for those who do not read exempt
    business (not even counted), and so is one naming no decision of these minutes."""
    known = {decision.reference for decision in decisions}
    withheld = {d.reference for d in decisions if not decision_is_readable(d, user)}
    shown = {}
    for vote in votes:
        reference = vote.decision_reference
        if reference in known and reference not in withheld:
            shown.setdefault(reference, []).append(vote)
    return shown


def readable_votes(user, queryset):
    """Recorded votes (of ``queryset``) ``user`` may read: in minutes they may see, on a
    decision of those minutes they may read in full. For anyone the decision's paper does not
    admit to its exempt business, a vote on it is not there at all: not listed, exported,
    counted or given an id.

    The decisions' model is read from the minutes' own ``decisions`` relation, so this module
    needs none of the add-on's models."""
    minutes_model = queryset.model._meta.get_field("minutes").related_model
    decision_model = minutes_model._meta.get_field("decisions").related_model
    same = decision_model.objects.filter(
        minutes_id=OuterRef("minutes_id"), reference=OuterRef("decision_reference")
    )
    votes = _in_visible_minutes(user, queryset).filter(Exists(same))
    # The same rule as ``readable_decisions``: a vote on an exempt decision is read by whoever
    # the decision's paper admits to its exempt business (``exempt_audiences``).
    readable = _readable_exempt(user, decision_model.objects.all())
    if readable is None:
        return votes
    withheld = same.filter(is_exempt=True).exclude(readable)
    return votes.exclude(Exists(withheld))


def readable_exempt_minutes(user, queryset):
    """Exempt minute items (of ``queryset``) ``user`` may read in full (none for the public),
    in minutes they may see: search finds their minutes pages by their text for these readers
    only."""
    if not reads_any_exempt(user):
        return queryset.none()
    items = queryset.filter(is_exempt=True)
    readable = _readable_exempt(user, items)
    if readable is not None:
        items = items.filter(readable)
    return _in_visible_minutes(user, items)


def visible_commitments(user, queryset):
    """Social value commitments (of ``queryset``) ``user`` may see: those of live proposals
    they may see. A restricted proposal's commitments are never shown, counted or totalled."""
    return _of_visible_page(user, queryset, "proposal")


def visible_deliveries(user, queryset):
    """Readings of social value delivered (of ``queryset``) ``user`` may see: on live provider
    pages they may see, against commitments of live proposals they may see."""
    on_visible_providers = _of_visible_page(user, queryset, "provider")
    return _of_visible_page(user, on_visible_providers, "commitment__proposal")


def visible_provider_attendance(user, queryset):
    """Providers' attendance at meetings (of ``queryset``) ``user`` may see: a live provider
    page they may see at a live meeting they may see."""
    on_visible_providers = _of_visible_page(user, queryset, "provider")
    return _of_visible_page(user, on_visible_providers, "meeting")
