"""What the Chair's approval queue says about each item: its type and its section."""

from django import template
from django.utils.formats import date_format
from wagtail.models import Page

from papers.roles import section_of

register = template.Library()


@register.simple_tag
def review_label(obj):
    """'Meeting in Meetings': the page's type and the board section it is in."""
    if not isinstance(obj, Page):
        return ""
    kind = obj.specific_class._meta.verbose_name if obj.specific_class else "page"
    kind = kind.removesuffix(" page") or kind  # "proposal page" -> "proposal"
    section = section_of(obj)
    if section is None or section.pk == obj.pk:
        return kind.capitalize()
    return f"{kind.capitalize()} in {section.title}"


@register.simple_tag
def paper_facts(page):
    """'CAB/2025/014 · 12 March 2025 · Public': what tells two papers apart in a chooser."""
    if not isinstance(page, Page):
        return ""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    audience = getattr(page, "get_audience_display", None)
    if audience is None:
        return ""
    facts = [
        getattr(page, "reference", ""),
        date_format(page.paper_date, "j F Y") if page.paper_date else "",
    ]
    facts.append(audience())
    return " · ".join(fact for fact in facts if fact)
