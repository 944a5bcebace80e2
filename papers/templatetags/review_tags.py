"""What the Chair's approval queue says about each item: its type and its section."""

from django import template
from wagtail.models import Page

register = template.Library()


@register.simple_tag
def review_label(obj):
    """'Meeting in Meetings': the page's type and the board section (top-level page) it is in."""
    if not isinstance(obj, Page):
        return ""
    kind = obj.specific_class._meta.verbose_name if obj.specific_class else "page"
    kind = kind.removesuffix(" page") or kind  # "proposal page" -> "proposal"
    section = obj.get_ancestors(inclusive=True).filter(depth=3).first()
    if section is None or section.pk == obj.pk:
        return kind.capitalize()
    return f"{kind.capitalize()} in {section.title}"
