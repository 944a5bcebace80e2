"""The add-on's public URLs, for a site to ``include()`` before Wagtail's own catch-all::

    path("", include("papers.urls")),

Sign-in and sign-out (with the second factor), the member's account page, the follow page,
feeds, the meetings calendar, sitemap, robots.txt, the decisions register, the forward plan
the contracts register and open data. The names are not namespaced (``login``, ``feed``...): the
add-on's templates and ``LOGIN_URL = "login"`` use them as they are.
"""

from django.urls import include, path, register_converter

from . import contracts, open_data, social_value_report
from .account import account, export_notes, save_note
from .alert_views import (
    change_search,
    check_email,
    confirm,
    save_search,
    subscribe,
    unsubscribe_view,
)
from .attendance_views import attendance_page
from .auth_views import SignInView, SignOutView
from .calendar import meeting_calendar, meetings_calendar
from .digest_views import digest_archive, digest_preference, digest_week
from .feeds import atom_feed, rss_feed
from .follow import follow
from .forward_plan import forward_plan, forward_plan_feed
from .interests_register import register as interests_register
from .sitemap import robots_txt, sitemap_index, sitemap_section


class IdConverter:
    """A database id: at most 18 digits, so any id a 64-bit column holds and nothing that
    overflows it (``/calendar/meetings/99999999999999999999.ics`` is a 404, not an error)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")


class CsvExportConverter:
    """The open-data CSV exports by name: any other name is a 404 before the view."""

    regex = "decisions|trail|votes"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CsvExportConverter, "any_of_csv")

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
    # Two-factor sign-in: the code step after the password, and each person's own set-up.
    path("", include("papers.two_factor.urls")),
    # A signed-in member's own page: training record and private notes.
    path("account/", account, name="account"),
    path("account/notes.csv", export_notes, name="account_notes_export"),
    path("notes/<id:page_id>/", save_note, name="save_note"),
    # The backbench digest: members only, each week built for its reader (papers.digest).
    path("account/digest/", digest_preference, name="digest_preference"),
    path("digest/", digest_archive, name="digest_archive"),
    path("digest/<str:week>/", digest_week, name="digest_week"),
    path("account/searches/", save_search, name="save_search"),
    path("account/searches/<id:pk>/", change_search, name="change_search"),
    # Email alerts for anyone: subscribe, confirm (double opt-in), unsubscribe (RFC 8058).
    path("alerts/subscribe/", subscribe, name="alerts_subscribe"),
    path("alerts/subscribe/check-email/", check_email, name="alerts_check_email"),
    path("alerts/confirm/<str:token>/", confirm, name="alerts_confirm"),
    path("alerts/unsubscribe/<str:token>/", unsubscribe_view, name="alerts_unsubscribe"),
    # Open to the public: feeds, meetings calendar, sitemap and robots.
    path("follow/", follow, name="follow"),
    path("feeds/<slug:section>/", rss_feed, name="feed"),
    path("feeds/<slug:section>/atom/", atom_feed, name="feed_atom"),
    path("calendar/meetings.ics", meetings_calendar, name="meetings_calendar"),
    path("calendar/meetings/<id:pk>.ics", meeting_calendar, name="meeting_calendar"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # The forward plan of Key Decisions, and its feed (papers.forward_plan).
    path("forward-plan/", forward_plan, name="forward_plan"),
    path("forward-plan/feed/", forward_plan_feed, name="forward_plan_feed"),
    # Attendance at the board's meetings over a period (papers.attendance_views).
    path("attendance/", attendance_page, name="attendance"),
    # The contracts register and its Transparency Code CSV (papers.contracts).
    path("contracts/", contracts.register, name="contracts"),
    path("contracts/contracts.csv", contracts.register_csv, name="contracts_csv"),
    # The register of members' interests (papers.interests_register).
    path("members/interests/", interests_register, name="interests_register"),
    # Open data: every export, and the records as Popolo JSON and CSV (papers.open_data).
    path("open-data/", open_data.open_data, name="open_data"),
    path("open-data/<slug:name>.json", open_data.collection, name="open_data_collection"),
    path("open-data/<any_of_csv:name>.csv", open_data.csv_export, name="open_data_csv"),
    # Social value promised and delivered, and proposals' weightings (papers.social_value_report).
    path("social-value/", social_value_report.social_value, name="social_value"),
    # The decisions register (papers.search).
    path("", include("papers.search.urls")),
]
