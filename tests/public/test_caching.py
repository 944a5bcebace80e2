"""Caching that cannot leak (issue 10, item 4; papers.caching and papers.cache_invalidation).

The server keeps anonymous public responses and hands them to the next anonymous visitor;
nothing for a signed-in user, nothing restricted and no page with a form's CSRF token is ever
kept, by the server or (per the headers) by a shared cache; every event that changes what the
public may see drops every copy at once. The same tests run against the process-memory cache
and, where it matters, against real Redis (tests.page_cache).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from papers.confidentiality import collection_for
from papers.models.choices import Audience
from tests.factories import (
    BoardDocumentFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
)
from tests.page_cache import HIT, cache_control
from tests.public.helpers import board_member, build_content, councillor, restrict

pytestmark = pytest.mark.django_db
TITLE = "Recommission home care"


@pytest.fixture
def content():
    return build_content()


def listings(content):
    """Every public surface that names the public proposal."""
    proposal = content["public_proposal"]
    return [
        proposal.url,
        proposal.get_parent().url,
        "/",
        reverse("feed", args=["all"]),
        reverse("feed", args=["proposals"]),
        reverse("sitemap"),
        reverse("decisions") + "?q=home",
        reverse("search") + "?q=home+care",
        "/api/v2/pages/?type=papers.ProposalPage&fields=title",
        f"/api/v2/pages/{proposal.pk}/",
    ]


def warm(client, urls):
    """Request each address twice: the second answer must come from the server's cache."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        second = client.get(url)
        assert second.get("X-Page-Cache") == HIT, f"{url} was not served from the cache"
    return urls


@pytest.fixture(params=["locmem", "redis"])
def any_page_cache(request):
    return request.getfixturevalue(
        "page_cache" if request.param == "locmem" else "page_cache_redis"
    )


def test_anonymous_public_pages_are_kept_and_shareable_briefly(client, content, page_cache):
    url = content["public_proposal"].url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert {"public", "max-age=0", "s-maxage=60"} <= cache_control(first)
    assert "Cookie" in first["Vary"]
    assert not first.cookies
    second = client.get(url)
    assert second["X-Page-Cache"] == HIT
    assert second.content == first.content


def test_a_hit_costs_no_database_query(client, content, page_cache, django_assert_num_queries):
    url = content["public_proposal"].get_parent().url
    warm(client, [url])
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == HIT


def test_a_page_restricted_while_cached_is_never_served_again(client, content, any_page_cache):
    proposal = content["public_proposal"]
    urls = warm(client, listings(content))
    restrict(proposal, Audience.BOARD)
    refused = client.get(proposal.url)
    assert refused.status_code == 302 and refused["Location"].startswith("/login/")
    assert {"private", "no-store"} <= cache_control(refused)
    for url in urls[1:]:
        for _ in range(2):
            response = client.get(url)
            assert response.get("X-Page-Cache") != HIT or TITLE not in response.content.decode()
            assert TITLE not in response.content.decode(), f"{url} still names it"
    outsider = client.__class__()
    outsider.force_login(councillor())
    assert outsider.get(proposal.url).status_code == 403
    assert TITLE not in outsider.get(proposal.get_parent().url).content.decode()


def test_responses_for_a_signed_in_user_are_never_kept(client, content, page_cache):
    member = board_member()
    client.force_login(member)
    urls = [content["public_proposal"].url, content["board_proposal"].url, "/api/v2/pages/"]
    for url in [*urls, reverse("search") + "?q=care"]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response, url
            assert {"private", "no-store"} <= cache_control(response), url
    # Nor does the anonymous copy go to a signed-in reader, nor theirs to the public.
    client.logout()
    anonymous = warm(client, [content["public_proposal"].url])[0]
    client.force_login(member)
    response = client.get(anonymous)
    assert "X-Page-Cache" not in response
    assert "Sign out" in response.content.decode()


def test_restricted_responses_are_never_kept(client, content, page_cache):
    board_only = content["board_proposal"]
    for _ in range(2):
        response = client.get(board_only.url)
        assert response.status_code == 302
        assert "X-Page-Cache" not in response
        assert {"private", "no-store"} <= cache_control(response)
    outsider = client.__class__()
    outsider.force_login(councillor())
    refused = outsider.get(board_only.url)
    assert refused.status_code == 403 and {"private", "no-store"} <= cache_control(refused)


def test_a_page_with_a_csrf_form_is_never_kept(client, content, page_cache):
    for _ in range(2):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Page-Cache" not in response
        assert {"private", "no-store"} <= cache_control(response)


def test_cookies_alone_do_not_stop_an_anonymous_visitor_getting_the_cached_copy(
    client, content, page_cache
):
    client.get(reverse("login"))  # a CSRF cookie, as after looking at the sign-in page
    assert client.cookies.get("csrftoken")
    url = content["public_proposal"].url
    warm(client, [url])
    assert "csrfmiddlewaretoken" not in client.get(url).content.decode()


def publish_new_title(content):
    proposal = content["public_proposal"]
    proposal.title = "Recommission home care (revised)"
    proposal.save_revision().publish()


def unpublish(content):
    content["public_proposal"].unpublish()


def move(content):
    other = ProposalIndexPageFactory(title="Archive", slug="archive")
    content["public_proposal"].move(other, pos="last-child")


def delete(content):
    content["public_proposal"].delete()


def restrict_page(content):
    restrict(content["public_proposal"], Audience.MEMBERS)


def loosen_page(content):
    # Removing the restriction is an event too: the public copy of the listing must gain it.
    PageViewRestriction.objects.filter(page=content["board_proposal"]).delete()


def restrict_collection(content):
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node().get_children().first(),
        restriction_type=CollectionViewRestriction.GROUPS,
    )
    restriction.groups.set(Group.objects.all())


def change_restriction_groups(content):
    # Only the groups, no save of the restriction: who it admits changes all the same.
    restriction = PageViewRestriction.objects.get(page=content["board_proposal"])
    restriction.groups.set(Group.objects.all())


def replace_document(content):
    document = content["document"]
    document.file.save("replaced.txt", content=document.file.file, save=False)
    document.save()


def move_document(content):
    document = content["document"]
    document.collection = collection_for(Audience.BOARD)
    document.save()


def move_document_by_the_bulk_action(content):
    # "Add to collection" updates the rows without a signal.
    officer = Client()
    officer.force_login(content["officer"])
    url = reverse("wagtail_bulk_action", args=["papers", "boarddocument", "add_to_collection"])
    response = officer.post(
        f"{url}?id={content['document'].pk}&next=/admin/documents/",
        {"collection": collection_for(Audience.BOARD).pk},
    )
    assert response.status_code == 302


def edit_snippet(content):
    from wagtail import hooks

    for hook in hooks.get_hooks("after_edit_snippet"):
        hook(None, content["public_proposal"].cabinet_committee)


EVENTS = [
    publish_new_title,
    unpublish,
    move,
    delete,
    restrict_page,
    loosen_page,
    restrict_collection,
    change_restriction_groups,
    replace_document,
    move_document,
    move_document_by_the_bulk_action,
    edit_snippet,
]


@pytest.mark.parametrize("event", EVENTS, ids=[e.__name__ for e in EVENTS])
def test_every_event_drops_every_cached_copy(client, content, page_cache, event):
    content["document"] = BoardDocumentFactory(collection=collection_for(Audience.PUBLIC))
    content["officer"] = OfficerFactory()  # before anything is kept: a new user is an event
    urls = ["/", content["meeting"].url, reverse("sitemap"), reverse("decisions"), "/api/v2/pages/"]
    warm(client, urls)
    event(content)
    for url in urls:
        assert client.get(url).get("X-Page-Cache") != HIT, f"{url} survived {event.__name__}"


def test_the_cache_is_cleared_again_when_the_transaction_commits(
    client, content, page_cache, django_capture_on_commit_callbacks
):
    # A request that read the data before the commit may store its answer after the first
    # clear: the clear on commit drops whatever was stored in between.
    url = content["public_proposal"].get_parent().url
    with django_capture_on_commit_callbacks(execute=True):
        restrict(content["public_proposal"], Audience.BOARD)
        client.get(url)  # stored in between
        assert client.get(url)["X-Page-Cache"] == HIT
    assert client.get(url).get("X-Page-Cache") != HIT


@pytest.fixture
def cdn_purges(settings, monkeypatch):
    """Wagtail's HTTP purge backend configured; the addresses it would purge, as paths."""
    purged = []
    monkeypatch.setattr(HTTPBackend, "purge", lambda backend, url: purged.append(url))
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:8169",
        }
    }
    return purged


def paths(urls):
    return {urlsplit(url).path for url in urls}


def test_a_cdn_is_purged_of_the_page_and_the_listings(
    content, cdn_purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restrict(content["public_proposal"], Audience.BOARD)
    assert content["public_proposal"].url in paths(cdn_purges), cdn_purges
    assert {"/", "/sitemap.xml", "/feeds/all/", "/decisions/"} <= paths(cdn_purges)


def test_a_cdn_is_purged_of_the_address_a_page_moves_away_from(
    content, cdn_purges, django_capture_on_commit_callbacks
):
    proposal = content["public_proposal"]
    old_url = proposal.url
    with django_capture_on_commit_callbacks(execute=True):
        move(content)
    assert old_url in paths(cdn_purges)


def test_documents_and_redirects_are_revalidated_by_shared_caches(client, content, page_cache):
    document = BoardDocumentFactory(collection=collection_for(Audience.PUBLIC))
    response = client.get(document.url)
    assert response.status_code == 200
    assert "no-cache" in cache_control(response) and "public" not in cache_control(response)
    redirect = client.get(content["board_proposal"].url)
    assert redirect.status_code == 302 and "public" not in cache_control(redirect)


@pytest.mark.parametrize(
    "url", [reverse("feed", args=["all"]), reverse("meetings_calendar"), reverse("sitemap")]
)
def test_feeds_calendar_and_sitemap_answer_304_until_something_changes(client, content, url):
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    restrict(content["public_proposal"], Audience.BOARD)
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_a_cached_copy_answers_304_too(client, content, page_cache):
    url = reverse("feed", args=["all"])
    etag = warm(client, [url]) and client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_new_proposals_appear_once_published(client, content, page_cache):
    index = content["public_proposal"].get_parent()
    warm(client, [index.url])
    ProposalPageFactory(parent=index, title="Zumbleford day centres", slug="zumbleford")
    assert "Zumbleford day centres" in client.get(index.url).content.decode()


def proposals_counted(client, index_url):
    """The number of proposals the index says there are, and whether counting took a query."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(index_url).content.decode()
    # The index counts on Wagtail's page table (SectionIndexPage.counted_pages).
    counted = any('COUNT(*) AS "__count" FROM "wagtailcore_page"' in q["sql"] for q in queries)
    return int(re.search(r"of (\d+) proposals", html).group(1)), counted


@pytest.mark.parametrize("cache_fixture", ["page_cache", "page_cache_redis"])
def test_a_listing_is_counted_once_for_readers_who_see_the_same_rows(
    client, content, cache_fixture, request
):
    request.getfixturevalue(cache_fixture)
    index = content["public_proposal"].get_parent().url
    # Signed in, so the pages themselves are never stored; all made first (a change of
    # anyone's groups is an event).
    reader, other, member = Client(), Client(), Client()
    reader.force_login(councillor())
    other.force_login(councillor())
    member.force_login(board_member())
    shown, counted = proposals_counted(reader, index)
    assert counted
    assert proposals_counted(other, index) == (shown, False)  # the same rows: the same count
    seen_by_board, counted = proposals_counted(member, index)
    assert counted and seen_by_board > shown  # other rows: counted for themselves

    restrict(content["public_proposal"], Audience.BOARD)  # an event: every count is dropped
    assert proposals_counted(reader, index) == (shown - 1, True)


def test_the_registers_years_are_read_once_for_readers_who_see_the_same_minutes(
    client, content, page_cache
):
    reader, other = Client(), Client()
    reader.force_login(councillor())
    other.force_login(councillor())

    def years_read(who):
        with CaptureQueriesContext(connection) as queries:
            assert who.get(reverse("decisions")).status_code == 200
        return any("DATE_TRUNC" in q["sql"] or "django_date_trunc" in q["sql"] for q in queries)

    assert years_read(reader)
    assert not years_read(other)
    restrict(content["public_proposal"], Audience.BOARD)  # an event drops them
    assert years_read(other)
