"""/sitemap.xml and /robots.txt: what search engines may index, always as the public sees it.

/sitemap.xml is a sitemap index (sitemaps.org protocol) pointing at the sections
``/sitemap-pages.xml?p=1``, ``?p=2``, ...; each section lists at most SECTION_SIZE pages (the
protocol allows 50,000), so a crawler's request costs the same with 100 papers or 100,000.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import index as wagtail_sitemap_index_view
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view

from .caching import public_etag
from .pagination import ListingPaginator
from .visibility import visible_pages

# Pages per sitemap section: far below the protocol's 50,000 so each section is quick to build.
SECTION_SIZE = 200


class PublicSitemap(Sitemap):
    """Wagtail's sitemap limited by ``visible_pages`` for an anonymous visitor.

    The request is deliberately ignored when deciding visibility: a signed-in board member
    fetching /sitemap.xml gets the public sitemap, so it can be cached and never lists a
    restricted page. ``visible_pages`` for an anonymous visitor is already everything Wagtail's
    ``.public()`` keeps (no restriction at or above), so that second test, a comparison with every
    restriction's path for every page, is not repeated.
    """

    limit = SECTION_SIZE

    def public_pages(self):
        root = self.get_wagtail_site().root_page
        return visible_pages(AnonymousUser(), root.get_descendants(inclusive=True))

    def items(self):
        # Plain pages, not ``.specific()`` as Wagtail's default reads them: no page type here
        # changes its own sitemap entries or address (a test says so), and reading each type's
        # own table was a sixth of a section's time.
        return self.public_pages().order_by("path")

    @cached_property
    def paginator(self):
        # Sections at the end are read backwards, not after an OFFSET of every page before them.
        return ListingPaginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        # One pass for the index: the latest change and the number of pages (so the number of
        # sections), where Django's default would load every page and count them again.
        found = self.public_pages().aggregate(
            latest=Max(Coalesce("last_published_at", "latest_revision_created_at")),
            pages=Count("pk"),
        )
        self.paginator.count = found["pages"]
        return found["latest"]


SITEMAPS = {"pages": PublicSitemap}


@condition(etag_func=public_etag)  # the same for everyone; changes only with the page cache's
def sitemap_index(request):
    return wagtail_sitemap_index_view(
        request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section"
    )


@condition(etag_func=public_etag)
def sitemap_section(request, section):
    return wagtail_sitemap_view(request, sitemaps=SITEMAPS, section=section)


ROBOTS_DISALLOW = ["/admin/", "/search/", "/login/", "/logout/", "/documents/authenticate/"]


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
