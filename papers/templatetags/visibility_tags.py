"""Template filters over papers.visibility, for templates that show documents and decisions."""

from django import template
from django.utils.safestring import mark_safe

from papers import richtext
from papers.visibility import (
    can_view_document,
    decision_is_readable,
    minute_is_readable,
    visible_decisions,
    visible_documents,
)

register = template.Library()


@register.filter
def can_open(document, user):
    """Whether ``user`` may open ``document`` (its collection's restrictions admit them)."""
    return can_view_document(user, document)


@register.filter
def openable_by(documents, user):
    """Narrow a queryset of documents to those ``user`` may open."""
    return visible_documents(user, documents)


@register.filter
def decisions_for(decisions, user):
    """Narrow a queryset of decisions to those in minutes ``user`` may see."""
    return visible_decisions(user, decisions)


@register.filter
def decision_readable_by(decision, user):
    """Whether ``user`` reads the decision in full; otherwise show its notice and summary."""
    return decision_is_readable(decision, user)


@register.filter
def minute_readable_by(item, user):
    """Whether ``user`` reads the minute in full; otherwise show its notice and summary."""
    return minute_is_readable(item, user)


@register.filter
def decision_title_for(decision, user):
    """A decision's title for ``user``: its notice instead when it is exempt to them."""
    return decision.title if decision_is_readable(decision, user) else decision.exempt_notice


@register.filter
def without_withheld_links(html):
    """Rendered rich text without the document links withheld from this reader (and their
    text): papers.richtext marks them, since rich text renders without the request."""
    return mark_safe(richtext.without_withheld_links(str(html)))  # noqa: S308 (already HTML)
