"""/sitemap.xml and /robots.txt: what search engines may index, always as the public sees it.

/sitemap.xml is a sitemap index (sitemaps.org protocol) pointing at the sections
``/sitemap-pages.xml?p=1``, ``?p=2``, ...; each section lists at most SECTION_SIZE pages (the
protocol allows 50,000), so a crawler's request costs the same with 100 papers or 100,000.
"""

from django.conf import settings
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
from wagtail.models import Site

from .caching import public_etag
from .pagination import ListingPaginator
from .visibility import visible_pages

# Pages per sitemap section: far below the protocol's 50,000 so each section is quick to build.
SECTION_SIZE = 200
# What a section's entry is made from: three columns of each page, not a page instance each
# (making 200 Page models, each setting up its child relations, was a third of a section's
# time).
ENTRY_COLUMNS = ("url_path", "last_published_at", "latest_revision_created_at")


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
        return ListingPaginator(self._items(), self.limit, rows=self.entry_rows)

    def entry_rows(self, ids):
        return self._items().filter(pk__in=ids).values_list(*ENTRY_COLUMNS)

    def site_roots(self):
        """Wagtail's site root paths, the requested site's first: as ``Page.get_url_parts``
        does, a page under several sites' roots takes its address from the requested one."""
        site_id = self.get_wagtail_site().pk
        return sorted(Site.get_site_root_paths(), key=lambda root: root.site_id != site_id)

    def _urls(self, page, protocol, domain):
        # Wagtail's entries (``Page.get_sitemap_urls``) from ENTRY_COLUMNS; a test holds every
        # location equal to the page's ``get_full_url()``.
        roots = self.site_roots()
        urls = [
            {"location": page_location(url_path, roots), "lastmod": published or revised}
            for url_path, published, revised in self.paginator.page(page).object_list
        ]
        lastmods = {url["lastmod"] for url in urls}
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def get_latest_lastmod(self):
        # One pass for the index: the latest change and the number of pages (so the number of
        # sections), where Django's default would load every page and count them again.
        found = self.public_pages().aggregate(
            latest=Max(Coalesce("last_published_at", "latest_revision_created_at")),
            pages=Count("pk"),
        )
        self.paginator.count = found["pages"]
        return found["latest"]


def page_location(url_path, roots):
    """The full URL of the page at ``url_path``, as ``Page.get_full_url`` builds it."""
    for root in roots:
        if url_path.startswith(root.root_path):
            path = reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
            if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
                path = path.rstrip("/")
            return root.root_url + path
    return None


SITEMAPS = {"pages": PublicSitemap}


@condition(etag_func=public_etag)  # the same for everyone; changes only with the page cache's
def sitemap_index(request):
    return wagtail_sitemap_index_view(
        request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section"
    )


@condition(etag_func=public_etag)
def sitemap_section(request, section):
    return wagtail_sitemap_view(
        request, sitemaps=SITEMAPS, section=section, template_name="papers/sitemap.xml"
    )


ROBOTS_DISALLOW = ["/admin/", "/search/", "/login/", "/logout/", "/documents/authenticate/"]


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
