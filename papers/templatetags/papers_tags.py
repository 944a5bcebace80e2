"""The add-on's template tags: breadcrumbs, banners, pagination and formatting.

Load with ``{% load papers_tags %}``. Everything that lists pages goes through
``papers.visibility``: Wagtail's own menus, ``get_children()`` and ``get_ancestors()`` ignore
view restrictions.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import Page, Site

from ..choices import Audience, BoardRole, RagRating
from ..conf import get_setting
from ..confidentiality import AUDIENCE_AT_LEVEL, level_of, restriction_level
from ..visibility import (
    can_view,
    can_view_document,
    visible_decisions,
    visible_pages,
)

register = template.Library()

TAG_COLOURS = {
    # outcomes of decisions
    "agreed": "green",
    "not_agreed": "red",
    "deferred": "yellow",
    "noted": "grey",
    # proposal statuses
    "draft": "grey",
    "for_consideration": "blue",
    "advice_given": "purple",
    "decision_taken": "green",
    "withdrawn": "grey",
    # meeting statuses
    "scheduled": "blue",
    "held": "green",
    "cancelled": "red",
    # commissioning stages
    "analyse": "teal",
    "plan": "purple",
    "do": "orange",
    "review": "magenta",
    # whether a Key Decision followed the board's advice
    "followed": "green",
    "partly": "yellow",
    "not_followed": "red",
    # RAG ratings
    RagRating.RED: "red",
    RagRating.AMBER: "orange",
    RagRating.GREEN: "green",
}


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


@register.simple_tag
def council_name():
    return get_setting("COUNCIL_NAME")


@register.simple_tag
def board_name():
    return getattr(settings, "WAGTAIL_SITE_NAME", "Commissioning Advisory Board")


@register.inclusion_tag("papers/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, current_title=None):
    """Breadcrumbs to ``page`` (or the context's page), listing only ancestors the user may see.

    Pages outside the page tree (search, sign in) call it with no page and get "Home".
    """
    request = context.get("request")
    page = page or context.get("page")
    crumbs = []
    if isinstance(page, Page):
        ancestors = visible_pages(_user(context), page.get_ancestors().filter(depth__gt=1))
        crumbs = [
            {"text": "Home" if a.depth == 2 else a.title, "href": a.get_url(request)}
            for a in ancestors.order_by("depth")
        ]
    elif getattr(request, "path", "/") != "/":
        root = _site_root(context)
        if root is not None:
            crumbs = [{"text": "Home", "href": root.get_url(request) or "/"}]
    if current_title:
        crumbs.append({"text": current_title, "href": None})
    return {"crumbs": [c for c in crumbs if c["href"] or c["text"]]}


@register.inclusion_tag("papers/includes/audience_banner.html")
def audience_banner(page):
    """A visible, printed banner on members-only and confidential (exempt) papers.

    It follows the page's own audience or, if tighter, a restriction inherited from a parent
    (minutes under a board-only meeting are confidential too).
    """
    if not isinstance(page, Page):
        return {"audience": None}
    levels = [level_of(getattr(page, "audience", Audience.PUBLIC))]
    if page.pk:
        restrictions = page.get_view_restrictions().prefetch_related("groups")
        levels += [restriction_level(r) for r in restrictions]
    audience = AUDIENCE_AT_LEVEL[max(levels)]
    if audience == Audience.PUBLIC:
        return {"audience": None}
    paragraph = getattr(page, "exempt_paragraph", "") if audience == Audience.BOARD else ""
    label = page.get_exempt_paragraph_display() if paragraph else ""
    reason = label.split(": ", 1)[1] if ": " in label else ""
    return {"audience": audience, "paragraph": paragraph, "reason": reason}


@register.inclusion_tag("papers/includes/pagination.html", takes_context=True)
def pagination(context, page_obj, label="Pages"):
    """GOV.UK pagination for a Django ``Page``; keeps the other query parameters."""
    request = context.get("request")
    if page_obj is None or page_obj.paginator.num_pages <= 1:
        return {"show": False}
    query = request.GET.copy() if request is not None else None

    def url_for(number):
        if query is None:
            return f"?page={number}"
        query["page"] = number
        return "?" + query.urlencode()

    current = page_obj.number
    last = page_obj.paginator.num_pages
    wanted = {1, last, current - 1, current, current + 1}
    items, previous = [], 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": url_for(number), "current": number == current})
        previous = number
    return {
        "show": True,
        "label": label,
        "items": items,
        "previous_url": url_for(current - 1) if page_obj.has_previous() else None,
        "next_url": url_for(current + 1) if page_obj.has_next() else None,
    }


@register.filter
def can_see(page, user):
    """Whether ``user`` may open ``page``: it is live and no restriction keeps them out."""
    if page is None:
        return False
    page = getattr(page, "page_ptr", page)
    return bool(page.live) and can_view(user, page)


@register.filter
def only_visible(pages, user):
    """Narrow pages to those ``user`` may see.

    In a preview, relations are modelcluster's in-memory stand-ins, not querysets: filter
    them by id through the same helper rather than trusting them.
    """
    if isinstance(pages, QuerySet):
        return visible_pages(user, pages)
    pages = list(pages)
    allowed = set(
        visible_pages(user, Page.objects.filter(pk__in=[p.pk for p in pages])).values_list(
            "pk", flat=True
        )
    )
    return [p for p in pages if p.pk in allowed]


@register.filter
def tag_colour(value):
    """The GOV.UK tag modifier for a status, outcome, stage or RAG value."""
    colour = TAG_COLOURS.get(value)
    return f"govuk-tag--{colour}" if colour else ""


@register.filter
def money(value):
    """£1,234,567 (pence only when there are some)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


@register.filter
def govuk_date(value):
    """12 March 2025, as GOV.UK writes dates."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, "j F Y")


@register.filter
def govuk_time(value):
    """10am, 2:30pm, midday."""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_datetime(value):
    """Wednesday 12 March 2025 at 10am."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, 'l j F Y')} at {govuk_time(value)}"


@register.filter
def duration(minutes):
    """1 hour 30 minutes."""
    if minutes in (None, ""):
        return ""
    hours, mins = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


@register.filter
def file_size(num_bytes):
    """120 KB, 2.4 MB."""
    if not num_bytes:
        return ""
    if num_bytes < 1024 * 1024:
        return f"{max(1, round(num_bytes / 1024))} KB"
    return f"{num_bytes / (1024 * 1024):.1f} MB"


@register.filter
def decisions_visible_to(decisions, user):
    """Narrow a queryset of decisions to those in minutes ``user`` may see."""
    return visible_decisions(user, decisions).select_related("minutes")


@register.filter
def visible_attachments(stream, user):
    """The attachment blocks of a StreamField whose document ``user`` may open."""
    return [
        block
        for block in stream or []
        if block.value.get("document") is not None
        and can_view_document(user, block.value["document"])
    ]


@register.filter
def by_board_role(members):
    """Members in the order a council lists them: Chair, Vice-Chair, members, substitutes."""
    rank = {role: index for index, role in enumerate(BoardRole.values)}
    return sorted(members, key=lambda m: (rank.get(m.board_role, len(rank)), m.name))
