from django.conf import settings
from django.urls import include, path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from papers.auth_views import AdminAccountView, AdminSignOutView, SignInView, SignOutView
from papers.calendar import meeting_calendar, meetings_calendar
from papers.feeds import atom_feed, rss_feed
from papers.follow import follow
from papers.sitemap import robots_txt, sitemap_index, sitemap_section


class IdConverter:
    """A database id: at most 18 digits, so any id a 64-bit column holds and nothing that
    overflows it (``/calendar/meetings/99999999999999999999.ics`` is a 404, not an error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    # Before Wagtail's own: its sign-out deletes the session cookie even on a refused GET.
    path("admin/logout/", AdminSignOutView.as_view(), name="wagtailadmin_logout"),
    # Before Wagtail's own: names and emails of admin accounts are set by administrators only.
    path(
        "admin/account/",
        require_admin_access(AdminAccountView.as_view()),
        name="wagtailadmin_account",
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Documents only through Wagtail's view, which checks collection privacy; their files live
    # outside MEDIA_ROOT (PRIVATE_MEDIA_ROOT), so no /media/ URL can serve them, in dev either.
    path("documents/", include(wagtaildocs_urls)),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
    # Two-factor sign-in: the code step after the password, and each person's own set-up.
    path("", include("papers.two_factor.urls")),
]

# A signed-in visitor refused a page or document: a plain page that names nothing.
handler403 = "papers.auth_views.permission_denied"

# Open to the public: feeds, meetings calendar, sitemap, robots and the read-only API.
urlpatterns += [
    path("follow/", follow, name="follow"),
    path("feeds/<slug:section>/", rss_feed, name="feed"),
    path("feeds/<slug:section>/atom/", atom_feed, name="feed_atom"),
    path("calendar/meetings.ics", meetings_calendar, name="meetings_calendar"),
    path("calendar/meetings/<id:pk>.ics", meeting_calendar, name="meeting_calendar"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Search and the decisions register (search app): before the Wagtail catch-all.
    path("", include("search.urls")),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]
