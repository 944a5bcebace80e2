"""The site's main journeys, driven in Chromium against the seeded demo.

A failing journey leaves a screenshot of its last page in test-artifacts/ (tests/conftest.py),
which CI keeps as an artefact.
"""

import re
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import WorkflowState

from papers.models import BoardDocument, MeetingPage, MinutesPage, ProposalPage
from papers.models.choices import Audience, MeetingStatus
from tests.a11y.helpers import DEMO_PASSWORD, sign_in
from tests.two_factor import give_code_in_browser, prepare_browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.same_on_any_database]

CONFIDENTIAL_SLUG = "community-equipment-bidder-shortlist"


def confidential_paper():
    paper = ProposalPage.objects.live().get(slug=CONFIDENTIAL_SLUG)
    assert paper.audience == Audience.BOARD
    return paper


def next_public_meeting():
    """The demo's next scheduled public meeting, kept in the future whenever the test runs."""
    scheduled = MeetingPage.objects.live().filter(
        audience=Audience.PUBLIC, status=MeetingStatus.SCHEDULED
    )
    meeting = scheduled.filter(start__gte=timezone.now()).order_by("start").first()
    if meeting is None:  # the demo's dates are fixed; once they have passed, move one on
        meeting = scheduled.order_by("-start").first()
        length = (meeting.end - meeting.start) if meeting.end else timedelta(hours=2)
        meeting.start = timezone.now() + timedelta(days=14)
        meeting.end = meeting.start + length
        meeting.save_revision().publish()
    return meeting


def test_the_public_reads_the_latest_minutes_and_finds_the_feeds_and_calendar(
    demo, live_server, browser_page
):
    page, base = browser_page, live_server.url
    page.goto(base + "/")

    # The latest minutes, from the home page.
    latest = MinutesPage.objects.live().filter(audience=Audience.PUBLIC).order_by("-paper_date")[0]
    page.get_by_role("link", name=latest.title).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(latest.url)
    assert page.get_by_role("heading", level=1).inner_text().strip()
    assert page.locator("[id^=decision-]").count() >= 1, "the minutes show their decisions"

    # Feeds advertised in the head of the page being read, and they work for a feed reader.
    alternates = page.locator('head link[rel="alternate"][type="application/rss+xml"]')
    assert alternates.count() >= 4
    feed_url = alternates.first.get_attribute("href")
    feed = feedparser.parse(page.request.get(base + feed_url).body())
    assert not feed.bozo and feed.entries
    assert any(entry.link.endswith(latest.url) for entry in feed.entries)

    # A visible way to subscribe, on the meetings section.
    page.goto(base + "/meetings/")
    follow = page.get_by_role("complementary", name="Follow the board's work")
    assert follow.is_visible()
    minutes_feed = follow.get_by_role("link", name=re.compile(r"^Minutes: RSS feed"))
    response = page.request.get(base + minutes_feed.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/rss+xml")
    calendar_link = follow.get_by_role("link", name="Meetings calendar (iCalendar)")
    calendar = Calendar.from_ical(
        page.request.get(base + calendar_link.get_attribute("href")).body()
    )
    assert len(calendar.walk("VEVENT")) >= 3

    # The next meeting into my own calendar, from its page.
    meeting = next_public_meeting()
    page.goto(base + "/")
    page.get_by_role("link", name=meeting.title).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(meeting.url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add this meeting to your calendar")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    event = Calendar.from_ical(Path(download.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert str(event["LOCATION"]) == meeting.venue


def test_a_board_member_finds_a_decision_and_reads_a_confidential_paper(
    demo, live_server, browser_page
):
    page, base = browser_page, live_server.url
    paper = confidential_paper()
    sign_in(page, base, "member", DEMO_PASSWORD)
    assert page.get_by_text("Signed in as").is_visible()

    # Search a past decision from the header search box.
    page.get_by_label("Search board papers, minutes and decisions").fill("recommission home care")
    page.get_by_label("Search board papers, minutes and decisions").press("Enter")
    page.wait_for_load_state()
    decision_link = page.locator("main a[href*='#decision-']").first
    decision_link.click()
    page.wait_for_load_state()
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"#{anchor}").is_visible()

    # Open the confidential paper and download its attachment.
    page.goto(base + "/proposals/")
    page.get_by_role("link", name=paper.title).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name=paper.title).is_visible()
    document = BoardDocument.objects.get(
        title__startswith="Community equipment service: evaluation"
    )
    with page.expect_download() as download_info:
        page.locator(f"a[href='{document.url}']").click()
    download = download_info.value
    assert download.failure() is None
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"PK"), "a Word document (zip) was downloaded"


def test_a_councillor_cannot_open_the_confidential_paper(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    paper = confidential_paper()
    document = BoardDocument.objects.get(
        title__startswith="Community equipment service: evaluation"
    )

    # Not even listed for a councillor...
    sign_in(page, base, "councillor", DEMO_PASSWORD)
    page.goto(base + "/proposals/")
    assert paper.title not in page.content()

    # ...and refused by address, without giving the title away.
    response = page.goto(base + paper.url)
    assert response.status == 403
    assert page.get_by_role("heading", name="You do not have access to this page").is_visible()
    assert paper.title not in page.content()
    assert page.request.get(base + document.url).status in (403, 404)
    page.goto(base + "/search/?q=bidder+shortlist")
    assert paper.title not in page.content()


def test_an_officer_submits_and_the_chair_approves(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    proposal = ProposalPage.objects.live().get(slug="youth-services-commissioning")
    change = "Updated after the district consultation in March."

    # The officer edits the live proposal and submits it to the Chair.
    sign_in_admin(page, base, "officer")
    page.goto(f"{base}/admin/pages/{proposal.pk}/edit/")
    summary = page.locator("#id_summary")
    summary.fill(f"{summary.input_value()} {change}")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Send for Chair approval").click()
    page.wait_for_load_state()
    assert "sent to the Chair for approval" in page.locator(".messages").inner_text()
    assert page.locator("footer").get_by_role("button", name="Publish").count() == 0 or not (
        page.locator("footer").get_by_role("button", name="Publish").first.is_visible()
    )

    # The public still sees the live version.
    public = page.context.browser.new_context()
    assert change not in public.new_page().goto(base + proposal.url).text()

    # The Chair approves: the change is published.
    chair = page.context.browser.new_context().new_page()
    sign_in_admin(chair, base, "chair")
    chair.goto(f"{base}/admin/pages/{proposal.pk}/edit/")
    chair.get_by_role("button", name="More actions").click()
    chair.get_by_role("button", name="Approve and Publish").click()
    chair.wait_for_load_state()
    assert chair.locator(".messages").is_visible()
    assert change in public.new_page().goto(base + proposal.url).text()
    state = WorkflowState.objects.filter(object_id=str(proposal.pk)).latest("created_at")
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.requested_by.username == "officer"
    assert state.current_task_state.finished_by.username == "chair"
    public.close()
    chair.context.close()


def sign_in_admin(page, base, username):
    prepare_browser_sign_in(username)
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    give_code_in_browser(page, username)
    assert "/admin/login/" not in page.url, f"{username} could not sign in to the admin"
