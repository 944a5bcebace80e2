"""``seed_demo --papers N``: generated historical proposals and meetings with minutes and
decisions, for scale tests and search benchmarks.

Semantics: the command *ensures at least N* generated papers exist. Paper ``i`` (0-based)
always has the same content (see ``history.py``), so ``--papers 10000`` twice leaves 10,000,
``--papers 100`` after ``--papers 10000`` leaves 10,000, and ``--papers 50`` then
``--papers 100`` equals ``--papers 100`` on a fresh database.

Speed: ``Page.add_child`` costs several queries, signals and a search-index update per page,
far too slow for 10,000 papers. Instead the pages are inserted in bulk with treebeard-correct
``path``/``depth``/``numchild`` and ``url_path``: the ``wagtailcore_page`` rows with
``bulk_create``, then each subclass's own table (multi-table inheritance) with one
``executemany``, then child rows (agenda, minute items, decisions), tags and one revision per page
(live and latest), and finally the search index, in chunks, through the configured backends.
Generated pages are public, live and published; the admin's "usage" counts (Wagtail's
reference index) are not filled for them: run ``manage.py rebuild_references_index`` if needed.
"""

import time
import uuid
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch.backends import get_search_backends
from taggit.models import Tag
from wagtail.models import Page, Revision
from wagtail.search.index import Indexed

from papers.models import (
    AgendaItem,
    BoardPageTag,
    Decision,
    Declaration,
    MeetingPage,
    MinuteItem,
    MinutesPage,
    ProposalPage,
)
from papers.models.choices import MeetingStatus

from . import history, tree_paths
from .helpers import LONDON, block, html
from .people import MEMBERS

KEY_NAMESPACE = uuid.UUID("0b9f6c1e-2f55-4d0e-8c1a-5d7e3b2a9c44")
INDEX_CHUNK = 500
CHUNK = 100 * history.PAPERS_PER_MEETING  # papers generated and inserted at a time


def seed(ctx):
    if ctx.papers <= 0:
        return
    started, cpu_started = time.monotonic(), time.process_time()
    proposals_index = ctx.pages["proposals"]
    meetings_index = ctx.pages["meetings"]
    existing = dict(Page.objects.child_of(proposals_index).values_list("slug", "pk"))
    added_proposals = added_meetings = 0
    # In chunks of whole meetings, so memory stays flat however many papers are asked for.
    for first in range(0, ctx.papers, CHUNK):
        specs = [history.paper(i) for i in range(first, min(first + CHUNK, ctx.papers))]
        new_proposals = [_proposal(ctx, spec) for spec in specs if spec["slug"] not in existing]
        inserter = BulkPages(ctx, proposals_index)
        inserter.add(new_proposals)
        inserter.insert()
        pk_by_slug = {s["slug"]: existing[s["slug"]] for s in specs if s["slug"] in existing}
        pk_by_slug |= {page.slug: page.pk for page in new_proposals}
        added_proposals += len(new_proposals)
        added_meetings += _meetings(ctx, meetings_index, specs, pk_by_slug)
        if ctx.papers > CHUNK:
            ctx.say(f"  generated papers: {first + len(specs)} of {ctx.papers}")
    ctx.say(
        f"Generated papers: {added_proposals} proposals and {added_meetings} meetings with "
        f"minutes added ({ctx.papers} wanted) in {time.monotonic() - started:.1f}s "
        f"({time.process_time() - cpu_started:.1f}s of CPU)."
    )


def _proposal(ctx, spec):
    page = ProposalPage(
        title=spec["title"],
        slug=spec["slug"],
        reference=spec["reference"],
        paper_date=spec["paper_date"],
        summary=spec["summary"],
        body=[
            block("paragraph", html(text), f"h{spec['i']}/body/{n}")
            for n, text in enumerate(spec["body"])
        ],
        key_decision_reference=spec["key_decision_reference"],
        decision_maker=spec["decision_maker"],
        cabinet_committee=ctx.snippets[spec["committee"]],
        service_area=ctx.snippets[spec["area"]],
        stage=spec["stage"],
        programme=spec["programme"],
        status=spec["status"],
        options_appraisal=[
            block(
                "option",
                {
                    "name": name,
                    "description": html(text),
                    "advantages": "",
                    "disadvantages": "",
                    "estimated_cost": cost,
                    "recommended": recommended,
                },
                f"h{spec['i']}/option/{n}",
            )
            for n, (name, text, cost, recommended) in enumerate(spec["options"])
        ],
        social_value_commitments="<ul>"
        + "".join(f"<li>{c}</li>" for c in spec["social_value"])
        + "</ul>",
        route_to_market=spec["route"],
        estimated_value=spec["value"],
        recommendation=html(spec["recommendation"]),
        board_advice=html(spec["advice"]) if spec["advice"] else "",
        cabinet_response=html(spec["response"]) if spec["response"] else "",
    )
    if spec["weights"]:
        page.price_weighting, page.quality_weighting, page.social_value_weighting = spec["weights"]
    page.generated_tags = [spec["area"], spec["service"]]
    page.published_at = datetime.combine(spec["paper_date"], clock(9), tzinfo=LONDON)
    return page


def _meetings(ctx, index, specs, pk_by_slug):
    """Create missing meetings (with minutes); complete a meeting left partial by a smaller N."""
    members = [ctx.snippets["members"][name] for name, *_ in MEMBERS[:13]]
    existing = dict(Page.objects.child_of(index).values_list("slug", "pk"))
    inserter = BulkPages(ctx, index)
    partial = []
    # One query for all meetings: how many decisions each one's minutes already hold.
    decisions_held = dict(
        MinutesPage.objects.descendant_of(index)
        .annotate(held=Count("decisions"))
        .values_list("url_path", "held")
    )
    for first in range(0, len(specs), history.PAPERS_PER_MEETING):
        group = specs[first : first + history.PAPERS_PER_MEETING]
        number = group[0]["i"] // history.PAPERS_PER_MEETING
        day, hour, suffix = history.meeting_start(number)
        slug = f"{day:%Y-%m-%d}-{number}"
        if slug in existing:
            if decisions_held.get(f"{index.url_path}{slug}/minutes/", 0) < len(group):
                partial.append((existing[slug], group))
            continue
        start = datetime.combine(day, clock(hour), tzinfo=LONDON)
        meeting = MeetingPage(
            title=f"{day:%-d %B %Y}{suffix}",
            slug=slug,
            reference=f"CAB/{day:%Y-%m-%d}/{number}",
            paper_date=day,
            start=start,
            end=start + timedelta(hours=2, minutes=30),
            status=MeetingStatus.HELD,
            summary="Archived meeting: "
            + "; ".join(spec["title"] for spec in group[:3])
            + ("; and other items." if len(group) > 3 else "."),
        )
        meeting.agenda_items = [_agenda_item(spec, pk_by_slug) for spec in group]
        meeting.published_at = start
        minutes = MinutesPage(
            title=f"Minutes of {day:%-d %B %Y}{suffix}",
            slug="minutes",
            reference=f"CAB/M/{day:%Y-%m-%d}/{number}",
            paper_date=day,
            summary=f"Minutes of the board's meeting on {day:%-d %B %Y}, with its decisions.",
            signed_on=day + timedelta(days=28),
        )
        minutes.minute_items = [_minute_item(spec) for spec in group]
        minutes.decisions = [_decision(ctx, spec, pk_by_slug) for spec in group]
        minutes.declarations = [
            Declaration(
                member=members[spec["declaring_member"]],
                item=spec["title"],
                nature="A family member works for a provider of this service. "
                "Not a prejudicial interest.",
            )
            for spec in group
            if spec["declaration"]
        ]
        minutes.published_at = start + timedelta(days=28)
        minutes.generated_tags = ["minutes"]
        inserter.add([meeting], children=[minutes])
    inserter.insert()
    for meeting_pk, group in partial:
        _complete(ctx, meeting_pk, group, pk_by_slug)
    return len(inserter.pages) // 2


def _agenda_item(spec, pk_by_slug):
    return AgendaItem(
        number=str(spec["i"] % history.PAPERS_PER_MEETING + 3),
        public_title=spec["title"],
        proposal_id=pk_by_slug[spec["slug"]],
    )


def _minute_item(spec):
    return MinuteItem(
        number=f"{spec['i']}/H",
        title=spec["title"],
        text=html(
            f"The {spec['decision_maker']} introduced the paper. Members discussed "
            f"{spec['concern']} and the effect on residents in {spec['district']}."
        ),
    )


def _decision(ctx, spec, pk_by_slug):
    return Decision(
        reference=f"CAB/{spec['paper_date']:%y}/H{spec['i']:06d}",
        title=spec["title"],
        resolution=html(
            f"RESOLVED that the {spec['committee']} be advised as follows: "
            + (spec["advice"] or "that a decision be deferred.")
        ),
        outcome=spec["outcome"],
        proposal_id=pk_by_slug[spec["slug"]],
        key_decision_reference=spec["key_decision_reference"],
        cabinet_committee=ctx.snippets[spec["committee"]],
    )


def _complete(ctx, meeting_pk, group, pk_by_slug):
    """An earlier, smaller --papers left this meeting with fewer items: add the rest."""
    meeting = MeetingPage.objects.get(pk=meeting_pk)
    minutes = MinutesPage.objects.child_of(meeting).get()
    have = set(minutes.decisions.values_list("reference", flat=True))
    missing = [s for s in group if _decision(ctx, s, pk_by_slug).reference not in have]
    if not missing:
        return
    for row_model, rows, parent in (
        (AgendaItem, [_agenda_item(s, pk_by_slug) for s in missing], meeting),
        (MinuteItem, [_minute_item(s) for s in missing], minutes),
        (Decision, [_decision(ctx, s, pk_by_slug) for s in missing], minutes),
    ):
        for row in rows:
            setattr(row, f"{_parent_field(row)}_id", parent.pk)
        row_model.objects.bulk_create(rows)
        if issubclass(row_model, Indexed):
            _index_rows(row_model, [row.pk for row in rows])
    for page in (MeetingPage.objects.get(pk=meeting.pk), MinutesPage.objects.get(pk=minutes.pk)):
        page.save_revision(user=ctx.users.get("officer")).publish(
            user=ctx.users.get("chair"), skip_permission_checks=True
        )


class BulkPages:
    """Collects new pages under one parent (each with optional children of its own) and
    inserts them with correct tree fields, subclass rows, child rows, revisions and index."""

    def __init__(self, ctx, parent):
        self.ctx = ctx
        self.parent = parent
        self.pages = []  # in insertion order; children follow their parent
        self.next_step = tree_paths.next_position(parent)
        self.tags = {}

    def _place(self, page, parent_path, parent_depth, parent_url, step):
        page.path = tree_paths.child_path(parent_path, step)
        page.depth = parent_depth + 1
        page.url_path = f"{parent_url}{page.slug}/"
        page.numchild = 0
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.published_at
        page.latest_revision_created_at = page.published_at
        page.owner = self.ctx.users.get("officer")
        page.locale_id = self.parent.locale_id
        page.translation_key = uuid.uuid5(KEY_NAMESPACE, page.url_path)
        page.content_type = ContentType.objects.get_for_model(page)
        self.tag(page, getattr(page, "generated_tags", ()))
        # Hold every inline relation in memory (empty if unused) so that building the
        # revision below needs no queries: on an unsaved page, .all() is what it holds.
        names = [relation.get_accessor_name() for relation in get_all_child_relations(type(page))]
        names += [field.name for field in get_all_child_m2m_relations(type(page))]
        for name in names:
            setattr(page, name, list(getattr(page, name).all()))
        self.pages.append(page)

    def tag(self, page, names):
        """Tag a page in memory, so the tags are inserted and kept in its revision."""
        for name in names:
            if name not in self.tags:
                self.tags[name] = Tag.objects.filter(name=name).first() or Tag.objects.create(
                    name=name
                )
        page.board_tagged_items = [BoardPageTag(tag=self.tags[name]) for name in names]

    def add(self, pages, children=()):
        """Add pages under the parent; ``children`` pairs one child with each page."""
        children = list(children) or [None] * len(pages)
        for page, kid in zip(pages, children, strict=True):
            self._place(
                page, self.parent.path, self.parent.depth, self.parent.url_path, self.next_step
            )
            self.next_step += 1
            if kid is not None:
                kid.published_at = getattr(kid, "published_at", page.published_at)
                page.numchild = 1
                self._place(kid, page.path, page.depth, page.url_path, 1)

    def insert(self):
        if not self.pages:
            return
        Page.objects.bulk_create(self.pages, batch_size=_batch(Page._meta.concrete_fields))
        by_model = {}
        for page in self.pages:
            page.page_ptr_id = page.id
            by_model.setdefault(type(page), []).append(page)
        for model, pages in by_model.items():
            _insert_subclass_rows(model, pages)
        self._insert_children()
        Page.objects.filter(pk=self.parent.pk).update(
            numchild=Page.objects.child_of(self.parent).count()
        )
        self._insert_revisions(by_model)
        self._index(by_model)

    def _insert_children(self):
        """Inline rows (agenda, minutes, decisions, tags...) held in memory by modelcluster."""
        rows = {}
        for page in self.pages:
            for relation in get_all_child_relations(type(page)):
                for row in getattr(page, relation.get_accessor_name()).all():
                    setattr(row, relation.field.attname, page.pk)
                    rows.setdefault(type(row), []).append(row)
        for model, objs in rows.items():
            model.objects.bulk_create(objs, batch_size=_batch(model._meta.concrete_fields))
            # Decisions and minute items are searched on their own (bulk_create sends no
            # signal, so nothing else indexes them).
            if issubclass(model, Indexed):
                _index_rows(model, [obj.pk for obj in objs])

    def _insert_revisions(self, by_model):
        base_type = ContentType.objects.get_for_model(Page)
        officer = self.ctx.users.get("officer")
        revisions = [
            Revision(
                content_type=page.content_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                created_at=page.published_at,
                user=officer,
                content=page.serializable_data(),
                object_str=page.title,
            )
            for page in self.pages
        ]
        Revision.objects.bulk_create(revisions, batch_size=500)
        newest = Subquery(
            Revision.objects.filter(
                base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField())
            )
            .order_by("-pk")
            .values("pk")[:1]
        )
        Page.objects.filter(path__startswith=self.parent.path, latest_revision__isnull=True).filter(
            depth__gt=self.parent.depth
        ).update(latest_revision=newest, live_revision=newest)

    def _index(self, by_model):
        for model, pages in by_model.items():
            _index_rows(model, [page.pk for page in pages])


def _index_rows(model, ids):
    """Add the rows ``ids`` of ``model`` to every search backend, in chunks."""
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), INDEX_CHUNK):
        objs = list(model.get_indexed_objects().filter(pk__in=ids[start : start + INDEX_CHUNK]))
        for backend in backends:
            backend.add_bulk(model, objs)


def _insert_subclass_rows(model, pages):
    """Each page's row in its own model's table (multi-table inheritance), whose parent rows
    ``bulk_create`` has just inserted. Django's ``bulk_create`` refuses multi-table inherited
    models, so this is one parameterised INSERT run with ``executemany``, each value prepared
    by its field exactly as a save would (``pre_save``, ``get_db_prep_save``)."""
    fields = model._meta.local_concrete_fields
    # Double quotes: standard SQL, quoting names on both PostgreSQL and SQLite.
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.db_table,
        ", ".join(f'"{field.column}"' for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(page, add=True), connection) for field in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _parent_field(row):
    return "meeting" if isinstance(row, AgendaItem) else "minutes"


def _batch(fields):
    """Rows per INSERT that stay under the database's limit on query parameters."""
    limit = connection.features.max_query_params or 2000
    return max(1, min(500, limit // max(1, len(fields))))
