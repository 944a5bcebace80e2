"""Issue 15, findings 2 and 5; issue 16, links from the site's configured address.

Control characters and line breaks already stored (pasted in before the forms refused them)
must not take a feed, a calendar or the Chair's notification email down; the admin's forms
refuse them in new input with a message; feeds carry officer text as text, never as markup.
"""

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import Site

from papers.site_address import align_default_site
from tests.factories import (
    DecisionFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
)
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    edit_form,
    fresh,
    login,
    people_fixture,
    post_edit,
)

pytestmark = pytest.mark.django_db

DIRTY = "Home care\x0b lots\x0c and\x1b\u2028 prices\r\nreview"
FEEDS = [
    (section, atom) for section in ("all", "proposals", "decisions", "minutes") for atom in (0, 1)
]


def anonymous():
    return Client(HTTP_HOST="localhost")


def get_feed(section, atom):
    url = reverse("feed_atom" if atom else "feed", args=[section])
    response = anonymous().get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def get_calendar(url):
    response = anonymous().get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return Calendar.from_ical(response.content)


@pytest.fixture
def dirty_content():
    """A live proposal, meeting, minutes and decision whose stored text has control characters."""
    proposal = ProposalPageFactory(
        parent=ProposalIndexPageFactory(), title=DIRTY, summary=f"Summary: {DIRTY}"
    )
    meeting = MeetingPageFactory(
        title=f"12 March\n2025 {DIRTY}",
        venue="Darent Room\nCounty Hall\x0b",
        summary=DIRTY,
        cancellation_note=DIRTY,
        agenda=[{"number": "1", "public_title": DIRTY, "description": DIRTY}],
    )
    minutes = MinutesPageFactory(
        parent=meeting, title=f"Minutes {DIRTY}", summary=DIRTY, decisions=[]
    )
    DecisionFactory(minutes=minutes, title=DIRTY, resolution=f"<p>{DIRTY}</p>")
    return {"proposal": proposal, "meeting": meeting}


@pytest.mark.parametrize("section,atom", FEEDS)
def test_feeds_stay_up_with_control_characters_in_stored_text(dirty_content, section, atom):
    feed = get_feed(section, atom)
    assert feed.entries
    for entry in feed.entries:
        assert "Home care lots and prices review" in entry.title
        assert "\n" not in entry.title and "\x1b" not in entry.title


def test_calendars_stay_up_with_line_breaks_in_a_meeting_title(dirty_content):
    meeting = dirty_content["meeting"]
    for url in (
        reverse("meetings_calendar"),
        reverse("meeting_calendar", args=[meeting.pk]),
    ):
        calendar = get_calendar(url)
        (event,) = calendar.walk("VEVENT")
        summary = str(event["SUMMARY"])
        assert "12 March 2025 Home care lots and prices review" in summary
        assert "\n" not in summary and "\x0b" not in summary
        assert str(event["LOCATION"]) == "Darent Room County Hall"
        description = str(event["DESCRIPTION"])
        assert "1. Home care lots and prices review" in description
        assert not any(c in description for c in "\x0b\x0c\x1b\u2028")


def test_the_chair_is_still_emailed_about_a_page_whose_title_has_a_line_break(
    settings, board, people
):
    settings.WAGTAILADMIN_BASE_URL = "http://board.example.gov.uk:8080"
    page = fresh(board.proposal)
    page.title = page.draft_title = "Recommission home care\nphase two"
    page.save_revision(user=people.officer)
    mail.outbox.clear()
    page.get_workflow().start(page, people.officer)
    to_chair = [m for m in mail.outbox if people.chair.email in m.to]
    assert to_chair, "the Chair was not emailed"
    assert "Recommission home care phase two" in to_chair[0].subject
    assert "\n" not in to_chair[0].subject
    # Its links use the configured address, port included.
    assert f"http://board.example.gov.uk:8080/admin/pages/{page.pk}/edit/" in to_chair[0].body


BAD_LINES = ["Home care\x0bplan", "Home care\nplan", "Home care\x1b[31m", "Home\u2028care"]


@pytest.mark.parametrize("title", BAD_LINES)
def test_the_admin_refuses_control_characters_in_a_page_title(client, board, people, title):
    login(client, people.officer)
    response = post_edit(client, board.proposal, title=title)
    assert response.status_code == 200
    assert "single line of plain text" in response.content.decode()
    assert "\x0b" not in fresh(board.proposal).get_latest_revision_as_object().title


def test_the_admin_refuses_control_characters_in_a_summary_but_keeps_line_breaks(
    client, board, people
):
    login(client, people.officer)
    response = post_edit(client, board.proposal, summary="First line\x0cpage break")
    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    response = post_edit(client, board.proposal, summary="First line.\r\nSecond line.")
    assert response.status_code == 302
    assert fresh(board.proposal).get_latest_revision_as_object().summary == (
        "First line.\r\nSecond line."
    )


def test_the_admin_refuses_control_characters_in_an_inline_decision(client, board, people):
    minutes = MinutesPageFactory(parent=MeetingPageFactory(parent=board.meetings))
    minutes.save_revision().publish()
    login(client, people.officer)
    data = edit_form(client, minutes)
    data["decisions-0-title"] = "Advice on home care\x1b"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[minutes.pk]), data)
    assert response.status_code == 200
    assert "single line of plain text" in response.content.decode()


def test_the_admin_refuses_control_characters_in_a_snippet(client, people):
    login(client, people.chair)
    url = reverse("wagtailsnippets_papers_servicearea:add")
    response = client.post(url, {"name": "Adult\x0bsocial care", "slug": ""})
    assert response.status_code == 200
    assert "single line of plain text" in response.content.decode()


def test_feed_descriptions_carry_officer_text_as_text_not_markup():
    ProposalPageFactory(
        parent=ProposalIndexPageFactory(),
        title="Recommission home care",
        summary='Costs <img src=x onerror="alert(document.cookie)"> & <b>lots</b>',
    )
    for atom in (0, 1):
        (entry,) = get_feed("proposals", atom).entries
        # Even with feedparser's own sanitiser off, the reader gets no element, only words.
        assert "<img" not in entry.summary and "<b>" not in entry.summary
        assert "&lt;img src=x onerror=" in entry.summary
        assert "&amp;" in entry.summary


def test_links_use_the_sites_configured_address_with_its_port(dirty_content):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "board.example.gov.uk", 8080
    site.save()  # as Settings → Sites does (which also clears Wagtail's cache of site roots)
    root = "http://board.example.gov.uk:8080/"
    feed = get_feed("all", 0)
    assert feed.feed.link == root
    assert [e.link for e in feed.entries if not e.link.startswith(root)] == []
    feed = get_feed("all", 1)
    assert [link.href for link in feed.feed.links] == [root, root + "feeds/all/atom/"]
    calendar = get_calendar(reverse("meetings_calendar"))
    (event,) = calendar.walk("VEVENT")
    assert str(event["URL"]).startswith(root)
    assert f"Papers and details: {root}" in str(event["DESCRIPTION"])


def test_the_demo_site_takes_its_address_from_the_configured_base_url(settings, dirty_content):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    align_default_site()
    feed = get_feed("proposals", 0)
    assert feed.entries[0].link.startswith("http://127.0.0.1:8000/")
    # A Site an administrator has set is never changed.
    site.hostname, site.port = "board.example.gov.uk", 443
    site.save()
    align_default_site()
    assert Site.objects.get(pk=site.pk).hostname == "board.example.gov.uk"
