"""This site's navigation: the sections of the home page the reader may see, then the
fixed views (decisions register, search). The add-on's own tags are in ``papers_tags``.
"""

from django import template
from wagtail.models import Site

from papers.visibility import visible_pages

register = template.Library()

# Fixed sections that are views, not pages: (label, path).
EXTRA_SECTIONS = [("Decisions", "/decisions/"), ("Search", "/search/")]


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The service navigation: the home page's sections the user may see, then fixed views."""
    request = context.get("request")
    current_path = getattr(request, "path", "")
    root = _site_root(context)
    items = []
    if root is not None:
        sections = visible_pages(_user(context), root.get_children().in_menu()).order_by("path")
        for section in sections:
            url = section.get_url(request)
            if url:
                items.append(
                    {"text": section.title, "href": url, "active": current_path.startswith(url)}
                )
    for text, href in EXTRA_SECTIONS:
        items.append({"text": text, "href": href, "active": current_path.startswith(href)})
    for item in items:
        item["current"] = item["active"] and current_path == item["href"]
    return {"items": items}
