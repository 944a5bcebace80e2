"""Keeps each board page's audience and Wagtail's own view restrictions in step.

The ``audience`` field is what officers choose; Wagtail's group view restriction on the page is
what the site enforces (serving, and through ``papers.visibility`` every listing). The rule:

- tightening takes effect as soon as any revision is saved, draft or not (``Revision`` post_save)
  and whenever a page row is saved with a tighter audience (pages made in code, e.g. seed_demo);
- loosening takes effect only when a revision is published (``page_published``), that is after
  the Chair's approval; the restriction then follows the published audience, or a newer draft's
  if that is tighter.

Because the revision is saved (in its own transaction) before Wagtail publishes it, a page
published as board-only in one step already carries its restriction when it goes live.
Documents follow the same audiences through three collections with collection view restrictions.

The receivers that apply these rules are connected in ``papers.signal_handlers``; this module
needs none of the add-on's models (they call it, to validate and to index).
"""

import logging

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Revision,
)

from .choices import Audience
from .conf import group_name

logger = logging.getLogger(__name__)

LEVELS = {Audience.PUBLIC: 0, Audience.MEMBERS: 1, Audience.BOARD: 2}
AUDIENCE_AT_LEVEL = {level: audience for audience, level in LEVELS.items()}
OFFICERS, CHAIR, BOARD_MEMBERS, MEMBERS = (
    group_name(role) for role in ("OFFICERS", "CHAIR", "BOARD_MEMBERS", "MEMBERS")
)
AUDIENCE_GROUPS = {
    Audience.PUBLIC: [],
    Audience.MEMBERS: [MEMBERS, BOARD_MEMBERS, CHAIR, OFFICERS],
    Audience.BOARD: [BOARD_MEMBERS, CHAIR, OFFICERS],
}
COLLECTIONS = {
    Audience.PUBLIC: "Public papers",
    Audience.MEMBERS: "Members' papers",
    Audience.BOARD: "Board papers",
}


def level_of(audience):
    return LEVELS.get(audience, 0)


def groups_for(audience):
    return [Group.objects.get_or_create(name=name)[0] for name in AUDIENCE_GROUPS[audience]]


def restriction_level(restriction):
    """How tight a single view restriction is, on the audience scale."""
    if restriction.restriction_type != BaseViewRestriction.GROUPS:
        return LEVELS[Audience.MEMBERS]  # any signed-in user (or a password): not public
    names = {group.name for group in restriction.groups.all()}
    return LEVELS[Audience.MEMBERS] if MEMBERS in names else LEVELS[Audience.BOARD]


# Pages ------------------------------------------------------------------------------------


def own_restriction(page):
    return (
        PageViewRestriction.objects.filter(page=page, restriction_type=BaseViewRestriction.GROUPS)
        .prefetch_related("groups")
        .first()
    )


def current_level(page):
    restriction = own_restriction(page)
    return restriction_level(restriction) if restriction else 0


def stored_audience(page):
    """The audience in the page row (the live version, for a published page)."""
    specific = Page.objects.filter(pk=page.pk).specific().first()
    return getattr(specific, "audience", Audience.PUBLIC)


def latest_revision_audience(page):
    revision = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-pk").first()
    return revision.content.get("audience") if revision else None


def apply_audience(page, audience, user=None):
    """Make the page's own group restriction match ``audience`` exactly."""
    restriction = own_restriction(page)
    wanted = set(AUDIENCE_GROUPS[audience])
    if not wanted:
        if restriction is not None:
            restriction.delete(user=user)
            logger.info("Removed the view restriction on page %s", page.pk)
        return
    if restriction is not None and {g.name for g in restriction.groups.all()} == wanted:
        return
    with transaction.atomic():
        if restriction is None:
            restriction = PageViewRestriction(
                page_id=page.pk, restriction_type=BaseViewRestriction.GROUPS
            )
        restriction.save(user=user)
        restriction.groups.set(groups_for(audience))
    logger.info("Page %s restricted to %s", page.pk, audience)


def tighten(page, *audiences, user=None):
    """Restrict the page to the tightest of its current restriction and ``audiences``."""
    target = max([current_level(page)] + [level_of(a) for a in audiences if a])
    if target > current_level(page):
        apply_audience(page, AUDIENCE_AT_LEVEL[target], user=user)


def settle(page, user=None):
    """After publishing: the tighter of the live audience and the latest draft's, exactly."""
    target = max(level_of(stored_audience(page)), level_of(latest_revision_audience(page)))
    apply_audience(page, AUDIENCE_AT_LEVEL[target], user=user)


# Documents ---------------------------------------------------------------------------------


def ensure_collections():
    """The public, members' and board collections, restricted to match (idempotent)."""
    root = Collection.get_first_root_node()
    if root is None:
        return {}
    collections = {}
    for audience, name in COLLECTIONS.items():
        collection = root.get_children().filter(name=name).first()
        if collection is None:
            collection = root.add_child(name=name)
        collections[audience] = collection
        groups = groups_for(audience)
        restrictions = CollectionViewRestriction.objects.filter(collection=collection)
        if not groups:
            continue
        restriction = restrictions.filter(restriction_type=BaseViewRestriction.GROUPS).first()
        if restriction is None:
            restriction = CollectionViewRestriction.objects.create(
                collection=collection, restriction_type=BaseViewRestriction.GROUPS
            )
        if set(restriction.groups.all()) != set(groups):
            restriction.groups.set(groups)
    return collections


def collection_for(audience):
    return ensure_collections()[audience]


def collection_level(collection):
    restrictions = collection.get_view_restrictions().prefetch_related("groups")
    return max([restriction_level(r) for r in restrictions] + [0])


# Attachments ------------------------------------------------------------------------------

READERS = {
    Audience.PUBLIC: "anyone",
    Audience.MEMBERS: "councillors only",
    Audience.BOARD: "the board only",
}


def page_level(page):
    """How restricted a page is: its audience, or an ancestor's restriction."""
    parent = page.get_parent() if page.pk and page.depth else None
    levels = [level_of(page.audience)]
    if parent is not None:
        restrictions = parent.get_view_restrictions().prefetch_related("groups")
        levels += [restriction_level(r) for r in restrictions]
    return max(levels)


def paper_audience(page):
    """The tightest audience a paper has now: its own field, a draft's tightening (already
    its restriction) or a restricted section above it. Agenda items and decisions follow it."""
    page = page.specific
    levels = [current_level(page)]
    if hasattr(page, "audience"):
        levels.append(page_level(page))
    else:
        levels += [restriction_level(r) for r in page.get_view_restrictions()]
    return AUDIENCE_AT_LEVEL[max(levels)]


def referenced_document_ids(field, value):
    """Ids of the documents that ``value``, of a RichTextField or StreamField ``field``, links to
    or attaches: Wagtail's own ``extract_references`` (what its reference index records) finds
    them in rich text, in document choosers and in rich text inside any block."""
    document_model = get_document_model()
    return [
        int(object_id)
        for model, object_id, _model_path, _content_path in field.extract_references(value)
        if issubclass(model, document_model) and str(object_id).isdigit()
    ]


def documents_in(model, values):
    """{field name: [document ids]} for the ``values`` ({field name: value}) of an instance of
    ``model``, in each field that can refer to documents (Wagtail's RichTextField and
    StreamField: those with ``extract_references``, as Wagtail's reference index tells them)."""
    used = {}
    for field in model._meta.get_fields():
        if hasattr(field, "extract_references") and field.name in values:
            ids = referenced_document_ids(field, values[field.name])
            if ids:
                used[field.name] = ids
    return used


def documents_used(page):
    """{field name: [document ids]} for a page's attachments and rich-text document links."""
    fields = [
        field.name for field in page._meta.get_fields() if hasattr(field, "extract_references")
    ]
    return documents_in(type(page), {name: getattr(page, name) for name in fields})


def attachment_errors(page):
    """Field errors for documents less restricted than the page that uses them (its audience
    and, once it is in the tree, its section's restriction: see ``section_document_errors``)."""
    used = documents_used(page)
    if not used:
        return {}
    return _document_errors(used, page_level(page))


def _document_errors(used, needed, reported_below=0):
    """{field: message} for the documents of ``used`` ({field: [ids]}) that readers at level
    ``needed`` would see named or linked although fewer people may open them; documents below
    level ``reported_below`` are left out (another check reports them)."""
    audience = AUDIENCE_AT_LEVEL[needed]
    documents = get_document_model().objects.select_related("collection")
    documents = documents.in_bulk({i for ids in used.values() for i in ids})
    errors = {}
    for field_name, ids in used.items():
        problems = []
        for document_id in dict.fromkeys(ids):
            document = documents.get(document_id)
            if document is None:
                continue
            level = collection_level(document.collection)
            if level >= needed or level < reported_below:
                continue
            problems.append(
                f"“{document.title}” is in the “{document.collection.name}” collection, which "
                f"{READERS[AUDIENCE_AT_LEVEL[level]]} can open, "
                f"but this page is for {READERS[audience]}. Move the document to the "
                f"“{COLLECTIONS[audience]}” collection (or one at least as restricted), "
                "or link another."
            )
        if problems:
            errors[field_name] = " ".join(problems)
    return errors


def section_document_errors(form):
    """{field: message} for a page being added in ``form``: documents it uses that the section
    it will sit in makes too open, beyond those its own audience does (the model's clean()
    reports those: it cannot see a parent before the page is in the tree)."""
    if form.instance.pk is not None or getattr(form, "parent_page", None) is None:
        return {}
    own = level_of(form.cleaned_data.get("audience", getattr(form.instance, "audience", None)))
    needed = form_level(form)
    if needed <= own:
        return {}
    used = documents_in(type(form.instance), form.cleaned_data)
    return _document_errors(used, needed, reported_below=own) if used else {}


def form_level(form):
    """The restriction level a page being edited in ``form`` will have (cleaned audience)."""
    audience = form.cleaned_data.get("audience", getattr(form.instance, "audience", None))
    levels = [level_of(audience)]
    parent = getattr(form, "parent_page", None)
    if parent is not None:
        restrictions = parent.get_view_restrictions().prefetch_related("groups")
        levels += [restriction_level(r) for r in restrictions]
    return max(levels)


def inline_document_errors(form):
    """Put the same check on the rich text of a page's inline records (decisions, minute
    items, contracts...): a link to a document fewer people may open than may read the page
    is an error on that record's field, as it is on the page's own fields."""
    needed = None
    for formset in getattr(form, "formsets", {}).values():
        if not formset.is_valid():
            continue  # its own errors come first
        for child in formset.forms:
            data = getattr(child, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            used = documents_in(type(child.instance), data)
            if not used:
                continue
            needed = form_level(form) if needed is None else needed
            for field_name, message in _document_errors(used, needed).items():
                child.add_error(field_name, message)


def readers_may_open(page, document):
    """Whether everyone who may read ``page`` may also open ``document`` (for indexing)."""
    return collection_level(document.collection) <= level_of(page.audience)
