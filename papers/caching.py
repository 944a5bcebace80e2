"""Who may keep a response, and the server's own copy of anonymous public responses.

The one place that decides ``Cache-Control`` (``PageCacheMiddleware``, first in ``MIDDLEWARE``,
so it sees the response last, cookies included):

- private: every response to a signed-in user, and every response the request was marked
  private for (``mark_private``: restricted pages and documents, the sign-in redirect, the 403)
  gets ``private, no-store``;
- never kept either: an anonymous response that sets a cookie (a form's CSRF token, a session)
  gets ``private, no-store`` too, since the cookie would be handed to the next visitor;
- revalidated: any other anonymous response the server does not keep (a document, a redirect,
  a 404) gets ``no-cache`` unless the view set its own ``Cache-Control``;
- public: any other anonymous ``GET`` answered 200 in full, unless the view said otherwise
  (``never_cache`` on the sign-in views, a longer ``max-age`` on robots.txt), gets ``public, max-age,
  s-maxage`` (``PAGE_CACHE``) and, when the server cache is on, a copy in the ``pages`` cache
  alias that ``FetchFromPageCacheMiddleware`` (after authentication) hands to the next
  anonymous visitor of that address.

Everything is ``Vary: Cookie``. The server copy ignores cookies in its key: it is only ever
given to a request whose user is anonymous, and only a response that set no cookie is kept, so
no anonymous response depends on the cookies it came with.

Invalidation is by generation: every key starts with the current generation, and
``clear_page_cache`` (papers.cache_invalidation calls it on every event that changes what the
public may see) starts a new one, so every copy is dropped at once. A request remembers the
generation it started in and stores its response under it: a response built from data read
before an event can only be stored where nobody looks any more. The generation also gives the
feeds, calendar and sitemap their ``ETag`` (``public_etag``): it changes exactly when their
content may have.

The cache alias must be shared by every process that serves the site (Redis, or files on one
machine); process memory (``LocMemCache``) is only right for a single-process server.
"""

import copy
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import (
    add_never_cache_headers,
    get_cache_key,
    get_max_age,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ENABLED": True,  # the server's own copy; Cache-Control headers are set either way
    "ALIAS": "default",  # this site sets an alias of its own ("pages"), kept apart from the rest
    "SECONDS": 300,  # how long the server keeps a copy (events drop it sooner)
    # Browsers revalidate every time (a cheap 304 from the server's copy): a browser that kept a
    # page for a minute would show it after it was restricted or changed.
    "MAX_AGE": 0,
    "SHARED_MAX_AGE": 60,  # shared caches and CDNs (s-maxage); raise only with a purge set up
}
GENERATION_KEY = "generation"
PRIVATE_ATTR = "board_private_response"
STORE_UNDER_ATTR = "board_page_cache_prefix"
HIT_ATTR = "board_page_cache_hit"
STATUS_HEADER = "X-Page-Cache"
NEVER_STORED = ("private", "no-cache", "no-store")


def config():
    return {**DEFAULTS, **getattr(settings, "PAGE_CACHE", {})}


def page_cache():
    return caches[config()["ALIAS"]]


def mark_private(request):
    """This response depends on who asks: no cache, shared or ours, may keep it."""
    setattr(request, PRIVATE_ATTR, True)


def is_private(request):
    user = getattr(request, "user", None)
    return getattr(request, PRIVATE_ATTR, False) or bool(user and user.is_authenticated)


def current_generation():
    """The generation every key starts with (a new one if the cache has lost it: safe, since
    a new generation can only miss)."""
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def clear_page_cache():
    """Drop every stored copy and change every ETag at once, in every process: without its
    generation, the next request starts a new one, under which nothing is stored yet."""
    try:
        # A delete, not a set of a new value: a cache backend that survives an outage (this
        # site's ResilientRedisCache) remembers a lost delete and empties itself on return, so
        # a copy purged while the cache server was unreachable is never served afterwards.
        page_cache().delete(GENERATION_KEY)
    except Exception:
        logger.warning("Could not start a new page cache generation", exc_info=True)


def public_etag(request, *args, **kwargs):
    """ETag of a response that is the same for everyone and changes only on an invalidation
    event (feeds, calendar, sitemap): the generation, so a 304 costs one cache read."""
    try:
        return current_generation()
    except Exception:
        logger.warning("Page cache unavailable: no ETag", exc_info=True)
        return None


def cached_count(queryset, count=None):
    """``queryset.count()``, kept for the current generation: a listing's later pages, and
    every reader who sees the same rows, share one count, which at 100,000 papers is most of
    a listing's cost. Keyed by the statement itself, in which the reader's hidden subtrees are
    written (papers.visibility), so readers who see different rows never share one; dropped,
    like every stored page, by each event that changes what anyone may see. ``count``: another
    way to count the same rows when none is kept (one that reads something else beside)."""
    return _kept_for_generation(queryset, "count", count or queryset.count)


def cached_rows(queryset):
    """The rows of a small ``queryset`` (a list), kept like ``cached_count``: e.g. the years
    the decisions register offers, read from every visible minutes."""
    return _kept_for_generation(queryset, "rows", lambda: list(queryset))


def cached_by_key(kind, keys, read, keep=lambda value: True):
    """``{key: value}`` for ``keys``, each kept for the current generation under ``kind``;
    ``read(missing keys)`` gives (as a dict) those not kept yet, and only those ``keep``
    accepts are stored. For values that are the same for every reader, and public: what is
    restricted is never kept by the server."""
    keys = list(keys)
    if not (keys and config()["ENABLED"]):
        return read(keys)
    try:
        prefix = f"{kind}:{current_generation()}:"
        kept = page_cache().get_many([f"{prefix}{key}" for key in keys])
    except Exception:
        logger.warning("Page cache unavailable: reading uncached", exc_info=True)
        return read(keys)
    found = {key: kept[f"{prefix}{key}"] for key in keys if f"{prefix}{key}" in kept}
    missing = [key for key in keys if key not in found]
    if missing:
        fresh = read(missing)
        found.update(fresh)
        try:
            page_cache().set_many(
                {f"{prefix}{key}": value for key, value in fresh.items() if keep(value)},
                config()["SECONDS"],
            )
        except Exception:
            logger.warning("Page cache unavailable: result not stored", exc_info=True)
    return found


def _kept_for_generation(queryset, kind, read):
    if not config()["ENABLED"]:
        return read()
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        statement = f"{queryset.db}\n{sql}\n{params!r}".encode()
        key = f"{kind}:{current_generation()}:{hashlib.sha256(statement).hexdigest()}"
        found = page_cache().get(key)
    except Exception:
        logger.warning("Page cache unavailable: reading uncached", exc_info=True)
        return read()
    if found is None:
        found = read()
        try:
            page_cache().set(key, found, config()["SECONDS"])
        except Exception:
            logger.warning("Page cache unavailable: result not stored", exc_info=True)
    return found


def _without_cookies(request):
    """The request as the cache key sees it: cookies play no part (see the module's doc)."""
    keyed = copy.copy(request)
    keyed.META = {k: v for k, v in request.META.items() if k != "HTTP_COOKIE"}
    return keyed


def _may_be_served_from_cache(request):
    return (
        config()["ENABLED"]
        and request.method in ("GET", "HEAD")
        and not is_private(request)
        and not getattr(request, "is_preview", False)
    )


def _is_public(request, response):
    """An anonymous, complete 200 that sets no cookie and that no one marked private."""
    cache_control = response.get("Cache-Control", "").lower()
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token
        and not any(directive in cache_control for directive in NEVER_STORED)
        and get_max_age(response) != 0
        and not has_vary_header(response, "*")
    )


class FetchFromPageCacheMiddleware:
    """Hands an anonymous visitor the stored copy; last in ``MIDDLEWARE`` (it needs the user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _may_be_served_from_cache(request):
            try:
                prefix = current_generation()
                key = get_cache_key(_without_cookies(request), prefix, "GET", page_cache())
                stored = page_cache().get(key) if key else None
            except Exception:
                logger.warning("Page cache unavailable: serving uncached", exc_info=True)
            else:
                setattr(request, STORE_UNDER_ATTR, prefix)
                if stored is not None:
                    setattr(request, HIT_ATTR, True)
                    stored[STATUS_HEADER] = "hit"
                    return stored
        return self.get_response(request)


class PageCacheMiddleware:
    """Decides ``Cache-Control`` for every response and stores public ones; first in
    ``MIDDLEWARE``, so it sees the response last (cookies set by the session and CSRF
    middleware included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        if is_private(request) or response.cookies:
            add_never_cache_headers(response)
            return response
        if not _is_public(request, response):
            if not response.has_header("Cache-Control"):
                # A document, a redirect, a 404: a shared cache may keep it only if it asks
                # again each time (a CDN would otherwise keep a file the Chair restricts later).
                patch_cache_control(response, no_cache=True)
            return response
        if getattr(request, HIT_ATTR, False):
            return response
        options = config()
        if "max-age" not in response.get("Cache-Control", ""):
            patch_cache_control(
                response,
                public=True,
                max_age=options["MAX_AGE"],
                s_maxage=options["SHARED_MAX_AGE"],
            )
        prefix = getattr(request, STORE_UNDER_ATTR, None)
        if prefix is not None and request.method == "GET" and options["SECONDS"]:
            self.store(request, response, prefix, options["SECONDS"])
        return response

    def store(self, request, response, prefix, timeout):
        # One piece: Django's feeds write their XML in about a thousand, and every hit was
        # unpickled and handed to the server piece by piece (a write each): a cached feed
        # served a third of a cached page's requests per second.
        response.content = response.content
        try:
            cache = page_cache()
            key = learn_cache_key(_without_cookies(request), response, timeout, prefix, cache)
            cache.set(key, response, timeout)
        except Exception:
            logger.warning("Page cache unavailable: response not stored", exc_info=True)
        else:
            response[STATUS_HEADER] = "miss"
