"""The confidentiality sweep over the seeded demo.

For every restricted page, document, exempt minute and exempt decision, as an anonymous visitor (and as the
councillor for board-only items), every surface is requested: the item itself, its parent, the
home page, every index page, search for its title and for words only it contains, the decisions
register, sitemap, feeds, calendar and API. Its title, its words and its URL must never appear,
and a search for its words must look exactly like a search for a word that exists nowhere. The
board member runs first (warming any cache) and must find everything.
"""

import datetime
import re
from collections import Counter
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from demo.seed import run as seed_demo_content
from papers.alert_mail import send_due
from papers.models import EmailSubscription, MeetingPage, MinutesPage, SavedSearch, Topic
from papers.visibility import missing_training
from tests.module_data import kept_for_the_module
from tests.responses import response_text

from .confidential_sweep_support import (
    DOCUMENT_DETAIL_SURFACES,
    NONSENSE,
    PAGE_DETAIL_SURFACES,
    SEARCH_SURFACES,
    STATIC_SURFACES,
    TITLES_PUBLISHED_ELSEWHERE,
    add_aliases_and_copies,
    available,
    leaks,
    meeting_surfaces,
    move_a_public_document,
    normalise,
    restricted_items,
    review_pack_surfaces,
)

pytestmark = pytest.mark.django_db
EXEMPT_KINDS = ("exempt minute", "exempt decision")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, rolled back after its last test (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        seed_demo_content(password="sweep-password")
        admin = get_user_model().objects.get(username="admin")
        add_aliases_and_copies(admin)  # issue 9: aliases and copies of restricted pages
        move_a_public_document(admin)  # issue 9: and a document moved to a stricter collection
        yield


def client_for(username=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def page_surfaces():
    """Home and every index page (live children of the home page and their index children)."""
    home = Page.objects.get(depth=2)
    sections = list(home.get_children().live())
    return ["/"] + [p.url for p in sections if p.url] + review_pack_surfaces()


def referring_pages(page):
    """Pages that link to ``page``: agendas and minutes naming it, providers related to it."""
    meetings = MeetingPage.objects.filter(agenda_items__proposal=page)
    minutes = MinutesPage.objects.filter(decisions__proposal_id=page.pk)
    providers = getattr(page, "related_providers", None)
    pages = [*meetings, *minutes, *(providers.all() if providers is not None else [])]
    packs = [url for meeting in meetings if meeting.live for url in meeting_surfaces(meeting)]
    return [p.url for p in pages if p.live and p.url] + packs


def surfaces_for(item):
    """Every URL to request for one item, search terms included."""
    urls = list(available(STATIC_SURFACES)) + page_surfaces()
    if item.kind == "page":
        parent = item.obj.get_parent()
        if parent.url:
            urls.append(parent.url)
        urls += referring_pages(item.obj)
        urls += [s.format(id=item.obj.pk) for s in available(PAGE_DETAIL_SURFACES)]
    if item.kind == "document":
        urls += [s.format(id=item.obj.pk) for s in available(DOCUMENT_DETAIL_SURFACES)]
    if item.kind == "restricted commitment":
        # The providers whose pages (and API details) carry readings against it.
        for delivery in item.obj.deliveries.select_related("provider"):
            if delivery.provider.live and delivery.provider.url:
                urls.append(delivery.provider.url)
            urls += [s.format(id=delivery.provider_id) for s in available(PAGE_DETAIL_SURFACES)]
    if item.kind in ("exempt minute", "exempt decision", "exempt vote"):
        urls.append(item.obj.minutes.url)
        urls.append(item.obj.minutes.get_parent().url)
        urls += meeting_surfaces(item.obj.minutes.get_parent())
    surfaces = dict.fromkeys(urls)
    terms = [t for t in [item.title, *item.words] if t]
    for template in available(SEARCH_SURFACES):
        surfaces.update({template.format(q=term): term for term in terms})
    surfaces.update(dict.fromkeys(item.own_urls))
    return surfaces


CACHE_HITS = Counter()


def get(client, url):
    response = client.get(url, HTTP_HOST="localhost")
    CACHE_HITS[response.get("X-Page-Cache")] += 1
    return response, response_text(response)


def assert_no_leak(client, item, who, tally, seen):
    """``seen``: the answers this visitor already got in this pass, by URL. Shared surfaces
    (home, indexes, feeds, sitemap, API listings) answer every item alike, so each is requested
    once per pass and checked against every item."""

    def fetch(url):
        if url not in seen:
            seen[url] = get(client, url)
            tally["requests"] += 1
        return seen[url]

    nothing = {t: fetch(t.format(q=NONSENSE))[1] for t in available(SEARCH_SURFACES)}
    for url, term in surfaces_for(item).items():
        response, body = fetch(url)
        if term:
            body = normalise(body, term)  # the query echoed back is not a leak
        tally["checks"] += 1
        if url.startswith("/contracts/"):
            tally["contracts"] += 1
        if url.startswith("/social-value/"):
            tally["social_value"] += 1
        assert response.status_code < 500, f"{url} failed for {who}"
        if url in item.own_urls:
            # The item itself: refused (sign-in redirect, 403 or 404), marked private, and
            # the body names nothing but the address the visitor typed.
            assert response.status_code in (302, 403, 404), f"{who} got {item.label} at {url}"
            if response.status_code == 302:
                assert response["Location"].startswith("/login/?next=")
            body = body.replace(url, "")
            assert "no-store" in response.get("Cache-Control", "") or response.status_code == 404
        found = leaks(body, item)
        if term:  # words of the query itself may be echoed (e.g. "results for ...")
            found = [f for f in found if f.lower() not in term.lower()]
        assert not found, f"{item.kind} {item.label!r} leaks {found} to {who} at {url}"
        for template, empty in nothing.items():
            for word in item.words:
                if url == template.format(q=word):
                    assert body == normalise(empty, NONSENSE), (
                        f"search for {word!r} ({item.label}) differs from a search for a "
                        f"word that exists nowhere, for {who} at {url}"
                    )


# The header's "Signed in as X" and a refusal's "You are signed in as X, and ..." (the exempt
# agenda pack answers a reader who may open none of its papers so).
SIGNED_IN_AS = re.compile(r"signed in as [^<]+", re.IGNORECASE)


def assert_same_as(client, item, councillor_seen, seen, tally):
    """Every surface of ``item`` but its own addresses answers ``client`` exactly as it answered
    the councillor (``councillor_seen``, kept by ``assert_no_leak``): the same status and, but
    for the name in "Signed in as" and the form tokens, the same body. ``seen``: this client's
    answers so far, so a shared surface is requested once."""
    checked = 0
    for url in surfaces_for(item):
        if url in item.own_urls:
            continue
        if url not in seen:
            seen[url] = get(client, url)
            tally["requests"] += 1
        response, body = seen[url]
        expected_response, expected = councillor_seen[url]
        assert response.status_code == expected_response.status_code, url
        same = [SIGNED_IN_AS.sub("", normalise(b, NONSENSE)) for b in (body, expected)]
        assert same[0] == same[1], (
            f"{url} differs between a board member without training and the councillor"
        )
        checked += 1
    return checked


@pytest.fixture(
    params=[
        "uncached",
        # What the cache adds (who gets a stored copy) is the same on any database; the
        # uncached pass checks the database's answers on each.
        pytest.param("page cache in Redis", marks=pytest.mark.same_on_any_database),
    ]
)
def cache_mode(request):
    """The sweep with the server's page cache off and on (papers.caching), as production runs
    it (Redis; the cache in process memory shares papers.caching's logic and is covered by
    tests/public/test_caching.py): anything a cache kept from one visitor and handed to another
    would show as a leak."""
    if request.param == "page cache in Redis":
        request.getfixturevalue("page_cache_redis")
    return request.param


@pytest.mark.slow
def test_sweep(seeded, cache_mode, capsys):
    # An exempt minute with only stock words ("Exempt minute") has nothing of its own to leak.
    TITLES_PUBLISHED_ELSEWHERE.clear()
    CACHE_HITS.clear()
    anonymous = client_for()
    chrome = " ".join(get(anonymous, url)[1] for url in ["/login/", f"/search/?q={NONSENSE}"])
    # The calendar's stock line under every event (papers.calendar): "details" is no word of
    # any paper's own, though a paper may use it (it became one of a board-only paper's
    # distinctive words once the demo's contracts shared that paper's longer words).
    chrome += " Papers and details:"
    # The open-data page documents the exports (no content of its own), and the exports' stock
    # vocabulary (Popolo's classifications and options, the site's choice values) is no
    # paper's own either.
    chrome += " " + get(anonymous, "/open-data/")[1]
    chrome += (
        " committee-meeting confirmed passed cancelled proposal resolution committee party"
        " member abstain voting web page recorded_vote consensus majority board key_decision"
        " call_in endorsed endorsed_changes not_endorsed deferred followed partly not_followed"
        " agreed not_agreed noted"
    )
    items = [item for item in restricted_items(chrome) if item.title or item.words]
    kinds = {item.kind for item in items}
    assert {"page", "document", "exempt minute", "exempt decision"} <= kinds, kinds
    aliases = [i for i in items if i.kind == "page" and i.obj.alias_of_id]
    copies = [i for i in items if i.kind == "page" and i.obj.title.endswith("(copy)")]
    assert len(aliases) >= 2 and len(copies) == 2, (aliases, copies)
    assert any(item.audience == "members" for item in items)
    contracts = [i for i in items if i.kind == "restricted contract"]
    assert contracts, "the demo has a restricted provider with a contract"
    assert any(i.kind == "exempt vote" for i in items), "the demo has a vote on exempt business"
    commitments = [i for i in items if i.kind == "restricted commitment"]
    assert commitments, "the demo has social value commitments on a restricted proposal"
    assert all(item.words for item in items if item.kind == "document")

    # 1. The board member first: finds every item (and warms any cache on the way).
    member = client_for("member")
    for item in items:
        for url in item.own_urls[:1]:
            response, body = get(member, url)
            assert response.status_code == 200, f"member cannot open {item.label} at {url}"
            assert (
                "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            )
            if item.kind == "page":
                assert item.title in body.replace("&#x27;", "'").replace("&amp;", "&")
        if item.kind in EXEMPT_KINDS:
            # Read in full on the minutes page (title and text), with the notice beside it.
            body = unescape(get(member, item.obj.minutes.url)[1])
            assert item.obj.exempt_notice in body
            for term in [item.obj.title, *item.words]:
                assert term in body, f"member cannot read {item.label}'s {term!r}"
        if item.kind == "exempt vote":
            # In the open-data votes, by its id, for those who read exempt business.
            for url in ("/open-data/vote_events.json", "/open-data/votes.csv"):
                assert item.title in get(member, url)[1], f"member cannot find {item.label}"
            continue
        if item.kind == "restricted commitment":
            # On the proposal's page, and on the social value page once a contract names it.
            body = unescape(get(member, item.obj.proposal.url)[1])
            assert item.obj.description in body, f"member cannot read {item.label}"
            if item.obj.deliveries.exists():
                assert item.obj.description in unescape(get(member, "/social-value/")[1])
            continue
        if item.kind == "restricted contract":
            # In the register and its CSV, by title and reference, for those who may see it.
            for url in ("/contracts/", "/contracts/contracts.csv"):
                body = unescape(get(member, url)[1])
                for term in (item.obj.title, item.obj.contract_reference):
                    assert term in body, f"member cannot find {item.label} at {url}"
            continue
        # A document is found through the page that attaches it (one no page attaches, as the
        # moved one, is not a search result); an exempt minute through its minutes, an exempt
        # decision as itself (in its minutes).
        targets = [item.obj.minutes.url] if item.kind in EXEMPT_KINDS else [item.obj.url]
        attaching = [
            other.obj.url
            for other in items
            if other.kind == "page" and item.obj in other.obj.attached_documents()
        ]
        if item.kind == "document":
            targets = attaching
        if item.words and targets and available(["/search/?q={q}"]):
            response, body = get(member, f"/search/?q={item.words[0]}")
            assert any(t in body for t in targets), (
                f"member's search for {item.words[0]!r} misses {item.label}"
            )

    # The public reads each exempt minute and decision as its notice and public summary.
    anonymous_minutes = {}
    for item in items:
        if item.kind in EXEMPT_KINDS:
            url = item.obj.minutes.url
            if url not in anonymous_minutes:
                anonymous_minutes[url] = unescape(get(anonymous, url)[1])
            assert item.obj.exempt_notice in anonymous_minutes[url]
            assert item.obj.public_text in anonymous_minutes[url]

    # 2. Anonymous: nothing of any restricted item, anywhere (each surface requested twice, so
    # a response stored by a cache on the first request would show on the second).
    # The second pass starts after the whole first one, so every shared surface it gets may be
    # the copy a cache kept from the first.
    tally = {"checks": 0, "requests": 0, "contracts": 0, "social_value": 0}
    for who in ("an anonymous visitor", "an anonymous visitor (again)"):
        seen = {}
        for item in items:
            assert_no_leak(anonymous, item, who, tally, seen)

    # 3. The councillor (a member, not on the board): nothing of board-only items.
    councillor = client_for("councillor")
    board_items = [i for i in items if i.audience == "board"]
    councillor_seen = {}
    for item in board_items:
        assert_no_leak(councillor, item, "the councillor", tally, councillor_seen)

    # The councillor reads members-only papers, and members-only contracts in the register.
    for item in items:
        if item.audience == "members" and item.kind == "page":
            assert get(councillor, item.own_urls[0])[0].status_code == 200
        if item.audience == "members" and item.kind == "restricted contract":
            assert item.obj.title in unescape(get(councillor, "/contracts/")[1])
        if item.audience == "members" and item.kind in EXEMPT_KINDS:
            # Exempt business on a councillors' paper: the councillor reads it in full.
            assert item.obj.title in unescape(get(councillor, item.obj.minutes.url)[1])

    # 4. A board member without the required training (issue 13; the demo's "trainee", with
    # REQUIRE_TRAINING_FOR_BOARD_PAPERS on): exactly what the councillor sees of board papers,
    # every surface answered as it is to the councillor, every board paper refused.
    trainee_checks = 0
    if settings.BOARD_PAPERS.get("REQUIRE_TRAINING_FOR_BOARD_PAPERS"):
        trainee_user = get_user_model().objects.get(username="trainee")
        assert missing_training(trainee_user), "the demo trainee must lack a required module"
        trainee = client_for("trainee")
        before = tally["checks"]
        trainee_seen = {}
        for item in board_items:
            # Its own addresses refused (the training page); every other surface exactly as
            # the councillor's answer, in which step 3 found nothing of the item.
            for url in item.own_urls:
                response, body = get(trainee, url)
                tally["checks"] += 1
                tally["requests"] += 1
                assert response.status_code in (302, 403, 404), f"trainee got {item.label}"
                assert (
                    "no-store" in response.get("Cache-Control", "") or response.status_code == 404
                )
                assert not leaks(body.replace(url, ""), item), f"{item.label} leaks at {url}"
            tally["checks"] += assert_same_as(trainee, item, councillor_seen, trainee_seen, tally)
        for item in items:
            if item.audience == "members" and item.kind == "page":
                assert get(trainee, item.own_urls[0])[0].status_code == 200
        trainee_checks = tally["checks"] - before

    # With the cache on, the anonymous sweep did get stored copies (the test means something).
    assert (CACHE_HITS["hit"] > 0) == (cache_mode != "uncached"), CACHE_HITS
    with capsys.disabled():
        print(
            f"\nconfidentiality sweep ({cache_mode}): {len(items)} restricted items "
            f"({sum(i.kind == 'page' for i in items)} pages, "
            f"{sum(i.kind == 'document' for i in items)} documents, "
            f"{sum(i.kind == 'exempt minute' for i in items)} exempt minutes, "
            f"{sum(i.kind == 'exempt decision' for i in items)} exempt decisions, "
            f"{len(contracts)} contracts of restricted providers, {len(commitments)} social "
            f"value commitments of restricted proposals; of the pages "
            f"{len(aliases)} aliases and {len(copies)} published copies of restricted pages); "
            f"{tally['checks']} surface checks in {tally['requests']} requests (anonymous "
            f"twice, councillor for {len(board_items)} board-only items), {tally['contracts']} "
            f"checks of the contracts register and its CSV, {tally['social_value']} of the "
            f"social value page; of the checks {trainee_checks} as "
            f"a board member without the required training, each also answered exactly as to "
            f"the councillor; 0 leaks; {CACHE_HITS['hit']} answers "
            "from the page cache"
        )
        for title in sorted(set(TITLES_PUBLISHED_ELSEWHERE)):
            print(f"  note: {title!r} is restricted but officers also published that exact title")


ALERT_TERM = re.compile(r"Your alert: Search: “(.+?)”")


@pytest.mark.slow
def test_alert_emails_sweep(seeded, capsys):
    """Issue 13: email alerts built for the anonymous subscriber (decisions, minutes, and a
    search for each restricted item's title and first distinctive word), and the councillor's
    and the trainee's saved searches for each board-only item: no email holds anything of an
    item its recipient may not open. The demo's papers were published before the alerts began
    (``created_at`` a year back), so each run has everything new to send."""
    TITLES_PUBLISHED_ELSEWHERE.clear()
    anonymous = client_for()
    empty = {"description": "", "items": [], "unsubscribe_url": "", "account_url": ""}
    chrome = " ".join(get(anonymous, url)[1] for url in ["/login/", f"/search/?q={NONSENSE}"])
    chrome += " " + render_to_string("papers/email/alert.html", {**empty, "is_member": True})
    chrome += " " + render_to_string("papers/email/alert.html", empty) + " Papers and details:"
    items = [item for item in restricted_items(chrome) if item.title or item.words]
    board_items = [item for item in items if item.audience == "board"]
    began = timezone.now() - datetime.timedelta(days=400)
    SavedSearch.objects.all().delete()
    EmailSubscription.objects.all().delete()
    User = get_user_model()

    def terms(item):
        return [t for t in [item.title, *item.words[:1]] if t]

    def subscribe(n, topic, querystring=""):
        EmailSubscription.objects.create(email=f"s{n}@example.org", topic=topic,
                                         querystring=querystring, created_at=began,
                                         confirmed_at=began)  # fmt: skip

    subscribe(0, Topic.DECISIONS)
    subscribe(1, Topic.MINUTES)
    queries = {term for item in items for term in terms(item)}
    for n, term in enumerate(sorted(queries), start=2):
        subscribe(n, Topic.SEARCH, QueryDict.fromkeys(["q"], term).urlencode())
    readers = {"councillor": "the councillor"}
    if settings.BOARD_PAPERS.get("REQUIRE_TRAINING_FOR_BOARD_PAPERS"):
        readers["trainee"] = "a board member without the required training"
    board_queries = {term for item in board_items for term in terms(item)}
    for username in readers:
        user = User.objects.get(username=username)
        for term in sorted(board_queries):
            SavedSearch.objects.create(user=user, name=term[:100], created_at=began,
                                       querystring=QueryDict.fromkeys(["q"], term).urlencode())  # fmt: skip
    mail.outbox.clear()
    runs = send_due()
    assert not [run.error for run in runs if run.error]
    sent = sum(run.sent for run in runs)
    assert sent and mail.outbox
    checks = 0
    for message in mail.outbox:
        body = "\n".join([message.subject, message.body, message.alternatives[0][0]])
        echoed = ALERT_TERM.search(message.body)
        term = echoed[1] if echoed else ""
        if term:
            body = normalise(body, term)
        who = message.to[0]
        username = who.split("@")[0]
        exposed = board_items if username in readers else items
        for item in exposed:
            found = [f for f in leaks(body, item) if not term or f.lower() not in term.lower()]
            checks += 1
            assert not found, f"{item.kind} {item.label!r} leaks {found} in an alert to {who}"
    with capsys.disabled():
        withheld = sum(run.withheld for run in runs)
        print(
            f"\nalert emails sweep: {len(runs)} alerts ({len(queries)} public searches, "
            f"{len(board_queries)} saved searches for each of {', '.join(readers)}), "
            f"{len(mail.outbox)} emails, {sent} items sent, {withheld} withheld; "
            f"{checks} item checks, 0 leaks"
        )


def test_attendance_and_review_pack_surfaces(seeded, capsys):
    """Issue 12's attendance page and the review pack (page, PDF, CSV): nothing of any
    restricted item to an anonymous visitor, nor of a board-only item to the councillor; the
    pack's PDF is read as text. (``test_sweep`` requests the same surfaces for every item; this
    is the short run over them alone.)"""
    surfaces = [
        url for url in available(STATIC_SURFACES) if url.startswith("/attendance/")
    ] + review_pack_surfaces()
    assert len(surfaces) == 5, surfaces  # two attendance views, the demo pack's three files
    items = [item for item in restricted_items() if item.title or item.words]
    requests = checks = 0
    for who, client, audiences in (
        ("an anonymous visitor", client_for(), ("members", "board")),
        ("the councillor", client_for("councillor"), ("board",)),
    ):
        for url in surfaces:
            response, body = get(client, url)
            requests += 1
            assert response.status_code == 200, f"{url} answered {response.status_code} to {who}"
            for item in items:
                if item.audience in audiences:
                    checks += 1
                    found = leaks(body, item)
                    assert not found, f"{item.kind} {item.label!r} leaks {found} to {who} at {url}"
    with capsys.disabled():
        print(
            f"\nattendance and review pack: {len(surfaces)} surfaces, {requests} requests, "
            f"{checks} checks against {len(items)} restricted items; 0 leaks"
        )
