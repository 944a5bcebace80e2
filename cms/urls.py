from django.conf import settings
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from papers.api import register_api_endpoints
from search import views as search_views

# The read-only API: the add-on's endpoints, each showing only what the requester may see.
api_router = register_api_endpoints(WagtailAPIRouter("wagtailapi"))

urlpatterns = [
    # Before Wagtail's own: the add-on's admin sign-out and account views.
    path("admin/", include("papers.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    # Documents only through Wagtail's view, which checks collection privacy; their files live
    # outside MEDIA_ROOT (the add-on's private media root), so no /media/ URL can serve them.
    path("documents/", include(wagtaildocs_urls)),
    # The add-on: sign-in, two-factor, follow, feeds, calendar, sitemap, robots and the
    # decisions register.
    path("", include("papers.urls")),
    # This site's search page (calling the add-on's search): before Wagtail's catch-all.
    path("search/", search_views.search, name="search"),
    path("api/v2/", api_router.urls),
]

# A signed-in visitor refused a page or document: a plain page that names nothing.
handler403 = "papers.auth_views.permission_denied"

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
