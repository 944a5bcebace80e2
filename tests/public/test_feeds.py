"""RSS and Atom feeds: they parse, list what the public may see, and nothing else."""

import feedparser
import pytest
from django.urls import reverse

from papers.choices import Audience
from papers.feeds import all_entries, decision_entries, minutes_entries, proposal_entries
from tests.public.helpers import board_member, build_content, extra_decision, restrict

pytestmark = pytest.mark.django_db

SECRET_WORDS = ["Zanzibarite", "Quokkaberry", "Flumpington", "Wobblecombe", "CAB/25/099"]


@pytest.fixture
def content():
    return build_content()


def fetch(client, section, atom=False):
    response = client.get(reverse("feed_atom" if atom else "feed", args=[section]))
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("section", ["all", "minutes", "decisions", "proposals"])
@pytest.mark.parametrize("atom", [False, True])
def test_every_feed_parses_and_hides_restricted_items(client, content, section, atom):
    response, feed = fetch(client, section, atom)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == ("atom10" if atom else "rss20")
    assert feed.entries, "a feed of a site with public content is not empty"
    text = response.content.decode()
    for word in SECRET_WORDS:
        assert word not in text
    assert content["board_proposal"].url not in text
    assert content["secret_minutes"].url not in text


def test_minutes_feed_lists_published_public_minutes(client, content):
    _, feed = fetch(client, "minutes")
    links = [entry.link for entry in feed.entries]
    assert any(link.endswith(content["public_minutes"].url) for link in links)
    titles = " ".join(entry.title for entry in feed.entries)
    assert "Minutes of 12 March 2025" in titles
    assert "Zanzibarite" not in titles


def test_decisions_feed_follows_the_minutes_visibility(client, content):
    _, feed = fetch(client, "decisions")
    titles = [entry.title for entry in feed.entries]
    assert any(t.startswith("CAB/25/031: Advice on home care lots") for t in titles)
    assert not any("CAB/25/099" in t for t in titles)
    decision = content["public_decision"]
    assert any(entry.link.endswith(f"#{decision.anchor}") for entry in feed.entries)
    assert "Agreed" in feed.entries[0].summary


def test_the_decisions_feed_lists_the_newest_minutes_first_in_their_own_order(client, content):
    minutes = content["public_minutes"]
    # Made in an order of their own: the feed follows the minutes, not the order of making.
    extra_decision(minutes, reference="CAB/25/072", title="Third in the minutes", sort_order=5)
    extra_decision(minutes, reference="CAB/25/070", title="First in the minutes", sort_order=-5)
    _, feed = fetch(client, "decisions")
    references = [entry.title.split(":")[0] for entry in feed.entries]
    assert references[:3] == ["CAB/25/070", content["public_decision"].reference, "CAB/25/072"]


def test_proposals_feed_shows_public_but_not_board_or_members_only(client, content):
    _, feed = fetch(client, "proposals")
    titles = " ".join(entry.title for entry in feed.entries)
    assert "Recommission home care" in titles
    assert "Flumpington" not in titles
    assert "Wobblecombe" not in titles


def test_a_signed_in_board_member_gets_the_same_public_feed(client, content):
    anonymous, _ = fetch(client, "all")
    client.force_login(board_member())
    signed_in, _ = fetch(client, "all")
    for word in SECRET_WORDS:
        assert word not in signed_in.content.decode()
    # Same entries for everyone, so one cached copy can serve every reader.
    assert (
        feedparser.parse(signed_in.content).entries == feedparser.parse(anonymous.content).entries
    )


def test_a_page_made_board_only_leaves_the_feed_at_once(client, content):
    from papers.models.choices import Audience
    from tests.public.helpers import restrict

    _, before = fetch(client, "proposals")
    assert any("Recommission home care" in e.title for e in before.entries)
    restrict(content["public_proposal"], Audience.BOARD)
    _, after = fetch(client, "proposals")
    assert not any("Recommission home care" in e.title for e in after.entries)


def test_feeds_are_shared_briefly_and_revalidated_until_something_changes(client, content):
    # Kept a minute by a shared cache (papers.caching), revalidated by browsers each time: an
    # unchanged feed costs a 304; a paper restricted since is a new ETag, so the stale copy is
    # not confirmed.
    response, _ = fetch(client, "all")
    assert {"public", "max-age=0", "s-maxage=60"} <= {
        d.strip() for d in response["Cache-Control"].split(",")
    }
    assert response.has_header("ETag")
    again = client.get(reverse("feed", args=["all"]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    restrict(content["public_proposal"], Audience.BOARD)
    after = client.get(reverse("feed", args=["all"]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert after.status_code == 200
    assert "Recommission home care" not in after.content.decode()


def test_unknown_feed_is_404(client, content):
    assert client.get("/feeds/secret/").status_code == 404


def test_every_page_advertises_the_feeds(client, content):
    response = client.get(content["public_minutes"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'type="application/rss+xml" title="Minutes (RSS)" href="{reverse("feed", args=["minutes"])}"'
        in html
    )
    assert 'type="text/calendar"' in html


def test_the_all_feed_is_the_newest_items_of_the_three_sections_merged(rf, content):
    # "all" picks its items from the sections' dates before building any: whatever the limit,
    # it must equal building each section whole, then merging newest first (where dates tie,
    # minutes before proposals before decisions, each section in its own order; undated last).
    request = rf.get(reverse("feed", args=["all"]))
    each_section = [
        *minutes_entries(request, limit=100),
        *proposal_entries(request, limit=100),
        *decision_entries(request, limit=100),
    ]
    newest_first = sorted(
        each_section,
        key=lambda entry: entry.published.timestamp() if entry.published else 0,
        reverse=True,
    )
    mixed = False
    for limit in range(1, len(each_section) + 1):
        merged = all_entries(request, limit=limit)
        assert [(e.guid, e.title, e.link, e.categories) for e in merged] == [
            (e.guid, e.title, e.link, e.categories) for e in newest_first[:limit]
        ]
        kinds = {entry.guid.split("-")[0] for entry in merged}
        mixed = mixed or (len(kinds) > 1 and limit < len(each_section))
    assert mixed, "the content interleaves the sections, so the merge is tried"
