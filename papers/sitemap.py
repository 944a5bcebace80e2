"""/sitemap.xml and /robots.txt: what search engines may index, always as the public sees it."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view

from .caching import public_etag
from .visibility import visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap limited by ``visible_pages`` for an anonymous visitor.

    The request is deliberately ignored when deciding visibility: a signed-in board member
    fetching /sitemap.xml gets the public sitemap, so it can be cached and never lists a
    restricted page (Wagtail's own ``.public()`` agrees; this keeps the one rule in one place).
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        pages = root.get_descendants(inclusive=True)
        return (
            visible_pages(AnonymousUser(), pages)
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


@condition(etag_func=public_etag)  # the same for everyone; changes only with the page cache's
def sitemap(request):
    return wagtail_sitemap_view(request, sitemaps={"pages": PublicSitemap})


ROBOTS_DISALLOW = ["/admin/", "/search/", "/login/", "/logout/", "/documents/authenticate/"]


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
