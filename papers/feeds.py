"""RSS and Atom feeds of the board's published minutes, decisions and proposals.

Feeds are for everyone and may be cached and shared (papers.caching), so they are always
computed for an anonymous visitor, never for whoever happens to request them: a board member's
feed reader gets exactly what the public gets.

Everything in an item is plain text, whatever an officer typed: control characters (which XML
cannot carry) and line breaks are removed from titles, and a description is HTML-escaped plain
text, so a reader that treats it as HTML shows ``<img onerror=...>`` as words, never as markup.
Links are built from the Site's configured address (papers.site_address).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import condition
from wagtail.models import Page

from .caching import public_etag
from .models import Decision, MinutesPage, ProposalPage
from .pagination import first_rows
from .plain_text import html_to_text, one_line
from .site_address import absolute_url
from .visibility import decision_is_readable, visible_decisions, visible_pages

FEED_SIZE = 30
SITE_NAME = settings.WAGTAIL_SITE_NAME


def stable_host():
    """The site's own host name, for identifiers that must not change with the address used."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def public_pages(model):
    """Live pages of ``model`` that an anonymous visitor may see, with their tags."""
    return visible_pages(AnonymousUser(), model.objects.all()).prefetch_related("tags")


def with_parent_title(pages):
    """``pages`` annotated with the title of each one's parent (its meeting, for minutes)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    parent = Page.objects.filter(path=parent_path).values("title")[:1]
    return pages.annotate(parent_title=Subquery(parent))


def public_decisions():
    """Decisions whose minutes an anonymous visitor may see."""
    return visible_decisions(AnonymousUser(), Decision.objects.all()).select_related(
        "minutes", "cabinet_committee"
    )


def plain(html):
    """Rich text as plain words: no markup, so no link (and no linked page's URL) escapes."""
    return Truncator(html_to_text(html)).words(80)


class Entry:
    """One feed item, whatever it came from: a minutes page, a proposal or a decision."""

    def __init__(self, *, guid, title, link, description, published, updated, categories=()):
        self.guid = guid
        self.title = one_line(title)
        self.link = link
        self.description = one_line(description)  # plain text; escaped on output
        self.published = published
        self.updated = updated or published
        self.categories = [one_line(c) for c in categories if one_line(c)]

    @classmethod
    def for_page(cls, page, kind, request, categories=()):
        published = page.first_published_at or page.last_published_at
        heading = f"{page.reference}: {page.title}" if page.reference else page.title
        return cls(
            guid=f"{kind}-{page.pk}",
            title=heading,
            link=page.get_full_url(request) or absolute_url(page.url, request),
            description=page.summary,
            published=published,
            updated=page.last_published_at,
            categories=[
                kind.capitalize(),
                *categories,
                *sorted(tag.name for tag in page.tags.all()),
            ],
        )

    @classmethod
    def for_decision(cls, decision, request):
        minutes = decision.minutes
        outcome = decision.get_outcome_display()
        # Feeds are public: an exempt decision shows only its notice and public summary.
        if decision_is_readable(decision, AnonymousUser()):
            title, text = decision.title, plain(decision.resolution)
        else:
            title, text = decision.exempt_notice, plain(decision.public_text)
        description = f"{outcome}. {text}"
        if decision.key_decision_reference:
            description += f" Key Decision {decision.key_decision_reference}."
        committee = decision.cabinet_committee.name if decision.cabinet_committee else ""
        return cls(
            guid=f"decision-{decision.pk}",
            title=f"{decision.reference}: {title} ({outcome.lower()})",
            link=f"{minutes.get_full_url(request) or absolute_url(minutes.url, request)}"
            f"#{decision.anchor}",
            description=description,
            published=minutes.first_published_at or minutes.last_published_at,
            updated=minutes.last_published_at,
            categories=["Decision", outcome, committee],
        )


def newest_minutes():
    return with_parent_title(public_pages(MinutesPage)).order_by("-first_published_at", "-pk")


def newest_proposals():
    return (
        public_pages(ProposalPage)
        .select_related("service_area")
        .order_by("-first_published_at", "-pk")
    )


def newest_decisions():
    return public_decisions().order_by("-minutes__first_published_at", "sort_order")


def minutes_entry(page, request):
    entry = Entry.for_page(page, "minutes", request)
    meeting_title = page.parent_title or ""
    if meeting_title.lower() not in page.title.lower():
        entry.title = one_line(f"{entry.title}: {meeting_title}")  # "Minutes" alone: too little
    return entry


def proposal_entry(page, request):
    categories = [
        page.get_stage_display(),
        page.get_status_display(),
        page.service_area.name if page.service_area else "",
    ]
    return Entry.for_page(page, "proposal", request, categories=categories)


# Each section: its newest items first, how one becomes an Entry, and the date it is
# published under (the field Entry takes it from, read through the items' own relations).
FEED_SOURCES = (
    (newest_minutes, minutes_entry, ("first_published_at", "last_published_at")),
    (newest_proposals, proposal_entry, ("first_published_at", "last_published_at")),
    (
        newest_decisions,
        Entry.for_decision,
        ("minutes__first_published_at", "minutes__last_published_at"),
    ),
)


def minutes_entries(request, limit=FEED_SIZE):
    return [minutes_entry(page, request) for page in newest_minutes()[:limit]]


def proposal_entries(request, limit=FEED_SIZE):
    return [proposal_entry(page, request) for page in newest_proposals()[:limit]]


def decision_entries(request, limit=FEED_SIZE):
    # Ids first: SQLite sorted every decision's whole row, and its minutes', to take thirty
    # (38 ms at 10,000 papers, against 5 ms for the ids).
    return [Entry.for_decision(d, request) for d in first_rows(newest_decisions(), limit)]


def all_entries(request, limit=FEED_SIZE):
    """The newest ``limit`` items of the three sections together.

    Which items those are is decided from each section's ids and dates alone; only they are
    then read whole and built, not ``limit`` of each section (three times the work, two
    thirds of it thrown away).
    """
    candidates = []
    for source, (newest, _, dates) in enumerate(FEED_SOURCES):
        for position, (pk, first, last) in enumerate(newest().values_list("pk", *dates)[:limit]):
            published = first or last
            candidates.append((published.timestamp() if published else 0, source, position, pk))
    # Newest first; where dates tie, the sections' order and each section's own order.
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    shown = candidates[:limit]
    entries = {}
    for source, (newest, build, _) in enumerate(FEED_SOURCES):
        wanted = [pk for _, from_source, _, pk in shown if from_source == source]
        if wanted:
            for item in newest().filter(pk__in=wanted):
                entries[source, item.pk] = build(item, request)
    return [entries[source, pk] for _, source, _, pk in shown if (source, pk) in entries]


SECTIONS = {
    "all": (
        "Minutes, decisions and proposals",
        "Everything the board publishes: minutes, decisions and commissioning proposals.",
        all_entries,
    ),
    "minutes": ("Minutes", "Published minutes of the board's meetings.", minutes_entries),
    "decisions": (
        "Decisions",
        "The board's decisions and advice, as recorded in its published minutes.",
        decision_entries,
    ),
    "proposals": (
        "Commissioning proposals",
        "Commissioning proposals the board has published for consideration.",
        proposal_entries,
    ),
}


class SectionFeed(Feed):
    """RSS 2.0 feed of one section (``all``, ``minutes``, ``decisions`` or ``proposals``)."""

    url_name = "feed"

    def get_object(self, request, section):
        if section not in SECTIONS:
            raise Http404("No such feed.")
        self.request = request
        return section

    def title(self, section):
        return f"{SITE_NAME}: {SECTIONS[section][0]}"

    def description(self, section):
        return SECTIONS[section][1]

    subtitle = description

    def link(self, section):
        return absolute_url("/", self.request)

    def feed_url(self, section):
        return absolute_url(reverse(self.url_name, args=[section]), self.request)

    def items(self, section):
        return SECTIONS[section][2](self.request)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        # RSS descriptions and Atom summaries are read as HTML: escape the plain text once more.
        return escape(entry.description)

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return f"tag:{stable_host()},2025:{entry.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    url_name = "feed_atom"


# A feed is the same for everyone and changes only on an event that clears the page cache, so
# its ETag is the cache's generation: an unchanged feed costs one cache read and a 304.
rss_feed = condition(etag_func=public_etag)(SectionFeed())
atom_feed = condition(etag_func=public_etag)(SectionAtomFeed())
