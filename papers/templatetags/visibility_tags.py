"""Template filters over papers.visibility, for templates that show documents and decisions."""

from django import template

from papers.visibility import can_view_document, visible_decisions, visible_documents

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
