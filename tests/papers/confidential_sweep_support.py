"""What the confidentiality sweep checks: the restricted items of the seeded demo, and every
public surface that could leak them. Surfaces are discovered from URL resolution at test time,
so a surface added later (a new feed, an API endpoint) is swept once it is listed here."""

import functools
import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import quote, quote_plus

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from modelcluster.fields import ParentalKey
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction
from wagtail.views import serve as wagtail_serve

from papers.choices import Audience
from papers.confidentiality import collection_for
from papers.digest import Week
from papers.models import (
    AgendaItem,
    Decision,
    MinuteItem,
    MinutesPage,
    RecordedVote,
    ReviewPackPage,
    SocialValueCommitment,
)
from papers.popolo import vote_event_id
from tests.two_factor import mark_verified

# The oracle is independent of papers.visibility (the code under test): a page is restricted
# if it or an ancestor carries any view restriction; a document if its collection (or an
# ancestor collection) does.


def _under_restrictions(queryset, restrictions, path_field):
    condition = Q(pk__in=[])
    for restriction in restrictions:
        condition |= Q(**{f"{path_field}__startswith": restriction})
    return queryset.filter(condition)


def restricted_pages():
    """Pages at or below a restriction, and aliases of those (with what lies below them): an
    alias is exactly as visible as its source page (Wagtail keeps no restriction of its own
    on an alias)."""
    paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    restricted = _under_restrictions(Page.objects.live(), paths, "path")
    aliases = Page.objects.filter(alias_of__in=restricted.values("pk"))
    paths += list(aliases.values_list("path", flat=True))
    return _under_restrictions(Page.objects.live(), paths, "path")


def add_aliases_and_copies(admin):
    """Aliases and published copies of restricted pages, as an administrator makes them in the
    admin. Each alias is made as if while its page was public: it carries no restriction of
    its own, only its source's."""
    from django.test import Client
    from django.urls import reverse

    from home.models import StandardPage
    from papers.models import MeetingPage, ProposalPage

    made = []
    proposals = [p for p in ProposalPage.objects.live().specific() if p.audience != "public"]
    members = [p for p in StandardPage.objects.live().specific() if p.audience == "members"]
    meetings = [m for m in MeetingPage.objects.live().specific() if m.audience != "public"]
    chosen = proposals[:1] + members[:1] + meetings[:1]
    client = Client()
    client.force_login(admin)
    mark_verified(client, admin)  # a module-scoped fixture: conftest's force_login wrapper is off
    for page in chosen:
        alias = page.create_alias(update_slug=f"{page.slug}-alias", recursive=True)
        aliases = Page.objects.filter(path__startswith=alias.path)
        PageViewRestriction.objects.filter(page__in=aliases).delete()
        made.append(alias)
    for page in proposals[:2]:
        slug = f"{page.slug}-copy"
        response = client.post(
            reverse("wagtailadmin_pages:copy", args=[page.pk]),
            {
                "new_title": f"{page.title} (copy)",
                "new_slug": slug,
                "new_parent_page": page.get_parent().pk,
                "publish_copies": "on",
            },
        )
        assert response.status_code == 302, response.content[:500]
        assert "/login/verify/" not in response["Location"], "the copy needs a verified session"
        made.append(Page.objects.get(slug=slug))
    assert len(made) >= 4, made
    return made


def move_a_public_document(admin):
    """A document the public has read, then moved into the Board papers collection through the
    admin's edit form (issue 9): from then on the oracle counts it as restricted, so every
    surface is swept for it (the demo's own documents are all restricted from the start)."""
    document = get_document_model().objects.create(
        title="Wexcombe House occupancy return",
        file=ContentFile(b"Quarterly occupancy return: Wexcombe House, 41 beds.", "return.txt"),
        collection=Collection.get_first_root_node(),
    )
    assert Client().get(document.url).status_code == 200
    client = Client()
    client.force_login(admin)
    mark_verified(client, admin)
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "collection": str(collection_for(Audience.BOARD).pk),
            "tags": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    assert restricted_documents().filter(pk=document.pk).exists()
    return document


def public_pages(queryset=None):
    queryset = queryset if queryset is not None else Page.objects.all()
    return queryset.live().exclude(pk__in=restricted_pages().values("pk"))


def restricted_documents():
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    return _under_restrictions(get_document_model().objects.all(), paths, "collection__path")


def public_documents():
    return get_document_model().objects.exclude(pk__in=restricted_documents().values("pk"))


NONSENSE = "zqxjvwpkfh"
TITLES_PUBLISHED_ELSEWHERE = []
WORD = re.compile(r"[A-Za-z]{6,}")  # whole words: search engines split hyphens
TAG = re.compile(r"<[^>]+>")

# Surfaces that are not pages. "{q}" is replaced by a search term; "{id}" by the item's id.
# Listed once here; each is swept only if the URL resolves to something other than Wagtail's
# page-serving catch-all (i.e. the helper that owns it has built it).
STATIC_SURFACES = [
    "/",
    "/decisions/",
    "/decisions/?advice=followed&advice=partly&advice=not_followed",
    "/forward-plan/",
    "/forward-plan/feed/",
    "/contracts/",
    "/contracts/?attention=yes",
    "/contracts/contracts.csv",
    "/members/interests/",  # the register of interests (issue 13)
    "/open-data/",
    "/open-data/events.json",
    "/open-data/bills.json",
    "/open-data/motions.json",
    "/open-data/vote_events.json",
    "/open-data/people.json",
    "/open-data/organizations.json",
    "/open-data/decisions.csv",
    "/open-data/trail.csv",
    "/open-data/votes.csv",
    # Signed-in only: a redirect to sign in for the anonymous passes, the councillor's (and the
    # untrained board member's) own digest for the others. The demo's changes are in the week
    # it is seeded (demo.digest), so the current week is the one with content.
    "/digest/",
    f"/digest/{Week.current().label}/",
    "/social-value/",
    "/attendance/",
    "/attendance/?from=2025-03-12&to=2026-03-11",
    "/sitemap.xml",
    "/sitemap-pages.xml?p=1",  # the index's first (in the sweep, only) section
    "/robots.txt",
    "/feeds/all/",
    "/feeds/all/atom/",
    "/feeds/minutes/",
    "/feeds/decisions/",
    "/feeds/proposals/",
    "/feeds/proposals/atom/",
    "/calendar/meetings.ics",
    "/api/v2/pages/",
    "/api/v2/pages/?limit=500",
    "/api/v2/decisions/",
    "/api/v2/documents/",
    "/api/v2/images/",
    "/follow/",
    "/alerts/subscribe/",  # email alerts (issue 13)
    "/alerts/subscribe/check-email/",
    "/alerts/confirm/not-a-token/",
    "/alerts/unsubscribe/not-a-token/",
]
SEARCH_SURFACES = [
    "/search/?q={q}",
    "/api/v2/pages/?search={q}",
    "/api/v2/decisions/?search={q}",
    "/api/v2/documents/?search={q}",
    "/alerts/subscribe/?q={q}",  # the form for a search's alerts describes the search
]
# A meeting's agenda packs (PDF), under its URL: the public pack and the exempt one.
MEETING_SURFACES = ["agenda-pack/", "agenda-pack/exempt/"]
PAGE_DETAIL_SURFACES = ["/api/v2/pages/{id}/"]
DOCUMENT_DETAIL_SURFACES = ["/api/v2/documents/{id}/"]


def meeting_surfaces(meeting):
    """The URLs of ``meeting``'s agenda packs (none for a meeting not served)."""
    return [meeting.url + suffix for suffix in MEETING_SURFACES] if meeting.url else []


def review_pack_surfaces():
    """Each live 12-month review pack's page, PDF and CSV (papers.models.review_pack): pages
    below "About the board", which the sections' listing does not reach."""
    urls = []
    for page in ReviewPackPage.objects.live():
        if page.url:
            urls += [page.url, page.url + "pdf/", page.url + "csv/"]
    return urls


def exists(path):
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return match.func is not wagtail_serve


def available(paths):
    return [p for p in paths if exists(p.format(q="x", id=1))]


@dataclass
class Item:
    kind: str  # "page", "document", "exempt minute", "exempt decision", "restricted contract"
    label: str
    audience: str  # "members" or "board"
    title: str
    urls: list
    words: list
    own_urls: list = field(default_factory=list)  # where the item itself is served
    obj: object = None


# Not prose (the slug is checked as part of the URL).
MACHINE_FIELDS = {"translation_key", "path", "url_path", "slug", "file_hash"}


def text_of(obj):
    """The readable text of a page or document: every text field, tags stripped."""
    parts = []
    for f in obj._meta.get_fields():
        if not getattr(f, "concrete", False) or f.is_relation or f.name in MACHINE_FIELDS:
            continue
        value = getattr(obj, f.attname, None)
        if isinstance(f, StreamField | RichTextField):
            parts.append(TAG.sub(" ", str(value)))
        elif isinstance(value, str):
            parts.append(value)
    return unescape(" ".join(parts))


def published_part(child):
    """What the public reads of an exempt child record: an agenda item's public title, a
    minute's or decision's reference, outcome and public summary (never its title or text)."""
    if hasattr(child, "public_title"):
        return child.public_title
    keep = ("number", "reference", "key_decision_reference", "outcome", "public_summary")
    return " ".join(str(getattr(child, name, "")) for name in keep)


def with_children(page):
    """A page's text and that of its child records (agenda items, contracts, reviews, ...),
    leaving out exempt minutes and decisions, whose text is never published."""
    parts = [text_of(page)]
    hidden = set(restricted_pages().values_list("pk", flat=True))
    for relation in page._meta.related_objects:
        if relation.one_to_many and isinstance(relation.field, ParentalKey):
            for child in getattr(page, relation.get_accessor_name()).all():
                commitment = getattr(child, "commitment", None)
                if commitment is not None and commitment.proposal_id in hidden:
                    # A reading against a restricted proposal's commitment (issue 14): not
                    # published on the provider's public page.
                    continue
                if getattr(child, "is_exempt", False):
                    parts.append(published_part(child))
                else:
                    parts.append(text_of(child))
    return " ".join(parts)


def public_corpus():
    """Everything an anonymous visitor may read, from the database, lower-cased."""
    parts = [with_children(p) for p in public_pages().specific()]
    minutes = public_pages(MinutesPage.objects.all()).values("pk")
    parts += [
        published_part(m) if m.is_exempt else text_of(m)
        for m in MinuteItem.objects.filter(minutes__in=minutes)
    ]
    parts += [
        published_part(d) if d.is_exempt else text_of(d)
        for d in Decision.objects.filter(minutes__in=minutes)
    ]
    parts += [f"{a.public_title} {a.description}" for a in AgendaItem.objects.all()]
    parts += [text_of(d) for d in public_documents()]
    return " ".join(parts).lower()


def stem(word):
    word = word.lower()
    return word[: max(5, len(word) - 3)]


@functools.lru_cache(maxsize=4)
def database_stems(text):
    """The search stems PostgreSQL gives ``text`` ("pricing" → "price"); empty elsewhere."""
    if connection.vendor != "postgresql":
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(to_tsvector('english', %s)))", [text]
        )
        return frozenset(cursor.fetchone()[0])


def distinctive(text, corpus, limit=4):
    """Up to ``limit`` of the longest words of ``text`` that no public content contains."""
    # Search engines stem ("library" finds "libraries"), so a word counts as the item's own
    # only if no public text shares even its crude stem, nor the database's own stem.
    public_stems = database_stems(corpus)
    words = {
        w.lower(): w
        for w in WORD.findall(text)
        if stem(w) not in corpus and not (database_stems(w.lower()) & public_stems)
    }
    return sorted(words.values(), key=lambda w: (-len(w), w))[:limit]


def restricted_items(chrome=""):
    """Every page, document and exempt minute an anonymous visitor may not see.

    ``chrome``: the HTML of pages with no content of their own (class names, labels), whose
    words cannot tell whether an item leaked.
    """
    from papers.confidentiality import AUDIENCE_AT_LEVEL, collection_level, page_level

    corpus = public_corpus() + " " + chrome.lower()
    items = []
    hidden = restricted_pages().specific()
    for page in hidden:
        audience = AUDIENCE_AT_LEVEL[page_level(page)] if hasattr(page, "audience") else "board"
        page_title = page.title
        if page.title.lower() in corpus:
            # Officers published this exact title themselves (e.g. as a public agenda item's
            # title): not a leak by the site, but the sweep reports it.
            TITLES_PUBLISHED_ELSEWHERE.append(page.title)
            page_title = ""
        items.append(
            Item(
                "page",
                page.title,
                audience,
                page_title,
                [page.url],
                distinctive(text_of(page), corpus),
                [page.url],
                page,
            )
        )
    for page in hidden:
        # Its contracts (issue 14) are in the contracts register and its CSV only for those
        # who may see the provider: each is an item with its own words.
        audience = AUDIENCE_AT_LEVEL[page_level(page)] if hasattr(page, "audience") else "board"
        for contract in page.contracts.all() if hasattr(page, "contracts") else []:
            title = "" if contract.title.lower() in corpus else contract.title
            words = distinctive(text_of(contract), corpus)
            label = contract.contract_reference or contract.title
            items.append(
                Item("restricted contract", label, audience, title, [], words, [], contract)
            )
    for page in hidden:
        # Its social value commitments (issue 14), and the notes of readings against them on
        # any provider's page, reach only those who may see the proposal.
        audience = AUDIENCE_AT_LEVEL[page_level(page)] if hasattr(page, "audience") else "board"
        for commitment in SocialValueCommitment.objects.filter(proposal_id=page.pk):
            notes = " ".join(d.note for d in commitment.deliveries.all())
            words = distinctive(f"{commitment.description} {notes}", corpus)
            label = f"{page.title}: {commitment.label}"
            items.append(
                Item("restricted commitment", label, audience, "", [], words, [], commitment)
            )
    for document in restricted_documents():
        words = distinctive(f"{document.title} {document.extracted_text}", corpus)
        media = f"/media/{document.file.name}"
        items.append(
            Item(
                "document",
                document.title,
                AUDIENCE_AT_LEVEL[collection_level(document.collection)],
                document.title,
                [document.url, media, document.file.name],
                words,
                [document.url, media],
                document,
            )
        )
    public_minutes = public_pages(MinutesPage.objects.all()).values("pk")

    def exempt_audience(record):
        # Exempt business is read by whoever its paper's audience admits: councillors too for
        # a councillors' paper; otherwise the board (papers.visibility.exempt_audiences).
        paper = record.proposal
        return "members" if paper is not None and paper.audience == Audience.MEMBERS else "board"

    for minute in MinuteItem.objects.filter(minutes__in=public_minutes, is_exempt=True):
        # Only its number, notice and public summary are published: not its title or text.
        words = distinctive(f"{minute.title} {TAG.sub(' ', minute.text)}", corpus)
        title = "" if minute.title.lower() in corpus else minute.title
        audience = exempt_audience(minute)
        items.append(Item("exempt minute", minute.title, audience, title, [], words, [], minute))
    for decision in Decision.objects.filter(minutes__in=public_minutes, is_exempt=True):
        words = distinctive(f"{decision.title} {TAG.sub(' ', decision.resolution)}", corpus)
        title = "" if decision.title.lower() in corpus else decision.title
        items.append(
            Item(
                "exempt decision",
                decision.reference,
                exempt_audience(decision),
                title,
                [],
                words,
                [],
                decision,
            )
        )
        voted = RecordedVote.objects.filter(
            minutes_id=decision.minutes_id, decision_reference=decision.reference
        )
        if voted.exists():
            # A vote on exempt business (issue 12): not even its id reaches a reader who may
            # not read the decision (its words are the decision's, checked above).
            vote_id = vote_event_id(decision)
            items.append(
                Item(
                    "exempt vote",
                    decision.reference,
                    exempt_audience(decision),
                    vote_id,
                    [],
                    [],
                    [],
                    decision,
                )
            )
    return items


def variants(term):
    """The forms a term may take in a response: as is, HTML-escaped, URL-encoded, JSON."""
    forms = {term, escape(term), quote(term), quote_plus(term), quote(term, safe="")}
    forms |= {f.replace("/", "\\/") for f in set(forms)}
    return {f for f in forms if f}


JSON_KEY = re.compile(r'"[A-Za-z_]+"\s*:')
ICS_PROPERTY = re.compile(r"(?m)^[A-Z][A-Z-]*(?=[;:])")  # SUMMARY:, DESCRIPTION;...
# Markup that is structure, not content: styling and form attributes, tag and attribute names.
# Attribute values that carry content (href, content, title, alt) are kept.
STRUCTURE = re.compile(
    r'\s(?:class|id|for|name|type|rel|role|aria-[a-z-]+|data-[a-z-]+)="[^"]*"'
    r"|</?[A-Za-z][A-Za-z0-9:-]*|\s[A-Za-z:-]+="
)


def leaks(body, item):
    """The item's title, words or URLs found in a response body (case-insensitive).

    Words are looked for in content only: structure (class names, XML elements such as Atom's
    <summary>, JSON keys, iCalendar property names) is left out. Titles and URLs are looked for anywhere.
    """
    raw = body.lower()
    text = ICS_PROPERTY.sub(" ", JSON_KEY.sub(" ", STRUCTURE.sub(" ", body))).lower()
    found = []
    for term in [item.title, *item.urls]:
        if term and any(v.lower() in raw for v in variants(term)):
            found.append(term)
    for word in item.words:
        if re.search(rf"\b{re.escape(word.lower())}\b", text):
            found.append(word)
    return found


def normalise(body, query):
    """A search response with the query itself (echoed in the box, heading, links) removed."""
    for form in sorted(variants(query), key=len, reverse=True):
        body = re.sub(re.escape(form), "QUERY", body, flags=re.IGNORECASE)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r"Printed from [^<]+ on [^<]+", "", body)
    return body
