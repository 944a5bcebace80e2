"""/follow/: a plain-English page about following the board, linked wherever the feeds are."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_follow_page_explains_the_calendar_and_the_feeds_with_full_addresses(client):
    response = client.get("/follow/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Put the meetings in your calendar" in html
    assert "http://testserver/calendar/meetings.ics" in html
    for section in ("all", "minutes", "decisions", "proposals"):
        assert f"http://testserver/feeds/{section}/" in html
    assert "Opening the address in a web browser shows only code" in html
    # Feed readers given this page's address still find the feeds.
    assert 'rel="alternate" type="application/rss+xml"' in html


def test_subscribe_boxes_lead_to_the_follow_page(client):
    f.MeetingIndexPageFactory()
    html = client.get("/meetings/").content.decode()
    assert f'href="{reverse("follow")}"' in html
    assert "How to follow the board in your calendar or a feed reader" in html
