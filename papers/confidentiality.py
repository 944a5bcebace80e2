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

import json
import logging
import re

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
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

DOCUMENT_LINK = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
LINKTYPE_DOCUMENT = re.compile(r"""linktype=["']document["']""", re.IGNORECASE)
LINK_ID = re.compile(r"""\bid=["'](\d+)["']""", re.IGNORECASE)
READERS = {
    Audience.PUBLIC: "anyone",
    Audience.MEMBERS: "councillors only",
    Audience.BOARD: "the board only",
}


def page_level(page, parent=None):
    """How restricted a page is or will be: its audience, or an ancestor's restriction."""
    if parent is None and page.pk and page.depth:
        parent = page.get_parent()
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


def linked_document_ids(html):
    ids = []
    for tag in DOCUMENT_LINK.findall(html or ""):
        if LINKTYPE_DOCUMENT.search(tag) and (match := LINK_ID.search(tag)):
            ids.append(int(match.group(1)))
    return ids


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def documents_used(page):
    """{field name: [document ids]} for attachments and rich-text document links."""
    used = {}
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            raw = field.get_prep_value(getattr(page, field.name))
            raw = json.loads(raw) if isinstance(raw, str) else raw
            ids = [
                block["value"]["document"]
                for block in raw or []
                if block.get("type") == "attachment" and isinstance(block.get("value"), dict)
            ]
            ids += [i for text in _strings(raw) for i in linked_document_ids(text)]
        elif isinstance(field, RichTextField):
            ids = linked_document_ids(getattr(page, field.name))
        else:
            continue
        ids = [i for i in ids if i]
        if ids:
            used[field.name] = ids
    return used


def attachment_errors(page, parent=None):
    """Field errors for documents less restricted than the page that uses them."""
    used = documents_used(page)
    if not used:
        return {}
    return _document_errors(used, page_level(page, parent))


def _document_errors(used, needed):
    """{field: message} for the documents of ``used`` ({field: [ids]}) that readers at level
    ``needed`` would see named or linked although fewer people may open them."""
    audience = AUDIENCE_AT_LEVEL[needed]
    documents = get_document_model().objects.select_related("collection")
    documents = documents.in_bulk({i for ids in used.values() for i in ids})
    errors = {}
    for field_name, ids in used.items():
        problems = []
        for document_id in dict.fromkeys(ids):
            document = documents.get(document_id)
            if document is None or collection_level(document.collection) >= needed:
                continue
            problems.append(
                f"“{document.title}” is in the “{document.collection.name}” collection, which "
                f"{READERS[AUDIENCE_AT_LEVEL[collection_level(document.collection)]]} can open, "
                f"but this page is for {READERS[audience]}. Move the document to the "
                f"“{COLLECTIONS[audience]}” collection (or one at least as restricted), "
                "or link another."
            )
        if problems:
            errors[field_name] = " ".join(problems)
    return errors


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
            used = {}
            for field in child.instance._meta.get_fields():
                if isinstance(field, RichTextField) and field.name in data:
                    ids = linked_document_ids(data[field.name])
                    if ids:
                        used[field.name] = ids
            if not used:
                continue
            needed = form_level(form) if needed is None else needed
            for field_name, message in _document_errors(used, needed).items():
                child.add_error(field_name, message)


def readers_may_open(page, document):
    """Whether everyone who may read ``page`` may also open ``document`` (for indexing)."""
    return collection_level(document.collection) <= level_of(page.audience)
