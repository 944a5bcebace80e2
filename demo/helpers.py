"""Small tools the demo steps share: find-or-create pages and snippets, build rich text."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from wagtail.models import Page

LONDON = ZoneInfo("Europe/London")
# Fixed namespace so generated block ids are the same on every machine.
BLOCK_NAMESPACE = uuid.UUID("6f1c2b0e-6a59-4c39-9a8e-2f4d3e0b7c11")


def at(year, month, day, hour=10, minute=0):
    """A London wall-clock time; demo dates are fixed so a later run changes nothing."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def html(*paragraphs):
    """Paragraph strings to rich text; a string starting with '<' is taken as HTML already."""
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


def bullets(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def block(kind, value, key):
    """One raw StreamField block with a stable id derived from ``key``."""
    return {"type": kind, "value": value, "id": str(uuid.uuid5(BLOCK_NAMESPACE, key))}


def body(key, *parts):
    """A body StreamField from ("heading", text) / ("paragraph", html) / plain-string parts."""
    blocks = []
    for n, part in enumerate(parts):
        kind, value = part if isinstance(part, tuple) else ("paragraph", html(part))
        blocks.append(block(kind, value, f"{key}/body/{n}"))
    return blocks


def child(parent, slug):
    """The child of ``parent`` with this slug, as its specific type, or None."""
    page = Page.objects.child_of(parent).filter(slug=slug).first()
    return page.specific if page is not None else None


def ensure_page(ctx, parent, page, *, publish=True, tags=()):
    """Add ``page`` under ``parent`` unless a child with its slug exists; return the stored page.

    New pages are saved as a revision by the officer and published by the chair, so each has
    the history an editor would expect. Existing pages are left untouched: a second run (or an
    editor's later changes) is never overwritten and no new revision is made.
    """
    existing = child(parent, page.slug)
    if existing is not None:
        return existing
    page.live = False
    page.has_unpublished_changes = True
    for tag in tags:
        page.tags.add(tag)
    parent.add_child(instance=page)
    revision = page.save_revision(user=ctx.users.get("officer"), log_action=True)
    if publish:
        # The chair approves board papers; roles (and so permissions) may be set up later.
        revision.publish(user=ctx.users.get("chair"), skip_permission_checks=True)
        page.refresh_from_db()
    ctx.created += 1
    return page
