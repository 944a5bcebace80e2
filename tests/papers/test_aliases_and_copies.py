"""An alias or a copy of a page is exactly as visible as the page (issue 9, finding 3).

An alias made while its page was public must disappear from every surface when the page is
later restricted: the sitemap, the API (list, child_of, search, detail), the search page, and
serving. A copy carries the original's restriction, including one it inherits.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from papers.models import MinutesPage, ProposalPage
from papers.models.choices import Audience
from tests.factories import MeetingPageFactory, MinutesPageFactory, ProposalPageFactory
from tests.public.helpers import board_member, build_content, restrict, sitemap_text

pytestmark = pytest.mark.django_db

WORD = "Grompledge"


@pytest.fixture
def aliased():
    build_content()  # groups, collections, the usual public and restricted pages
    original = ProposalPageFactory(
        title=f"{WORD} leisure trust transfer",
        slug="grompledge",
        summary=f"Options for the {WORD} leisure trust.",
    )
    alias = original.create_alias(update_slug="grompledge-alias")
    meeting = MeetingPageFactory(title="Special meeting", slug="special")
    minutes = MinutesPageFactory(
        parent=meeting, title="Minutes of the Snorkelbane meeting", slug="minutes"
    )
    meeting_alias = meeting.create_alias(recursive=True, update_slug="special-alias")
    minutes_alias = MinutesPage.objects.get(alias_of=minutes)
    return {
        "original": original,
        "alias": ProposalPage.objects.get(pk=alias.pk),
        "meeting": meeting,
        "meeting_alias": meeting_alias,
        "minutes_alias": minutes_alias,
    }


def surfaces(client, page, word):
    """What an anonymous visitor can learn of ``page`` (an alias) on each surface."""
    seen = {}
    api = client.get("/api/v2/pages/", {"limit": 100}).json()["items"]
    seen["api list"] = page.pk in {item["id"] for item in api}
    children = client.get("/api/v2/pages/", {"child_of": page.get_parent().pk}).json()
    seen["api child_of"] = page.pk in {item["id"] for item in children.get("items", [])}
    found = client.get("/api/v2/pages/", {"search": word}).json()["items"]
    seen["api search"] = page.pk in {item["id"] for item in found}
    detail = client.get(f"/api/v2/pages/{page.pk}/", {"fields": "body"})
    seen["api detail"] = detail.status_code == 200
    sitemap = sitemap_text(client)
    seen["sitemap"] = page.url in sitemap
    search = client.get("/search/", {"q": word}).content.decode()
    seen["search page"] = page.url in search
    served = client.get(page.url)
    seen["served"] = served.status_code == 200
    return seen


def test_an_alias_is_hidden_with_its_page_when_the_page_is_restricted(client, aliased):
    alias = aliased["alias"]
    call_command("update_index", verbosity=0)
    before = surfaces(client, alias, WORD)
    assert all(before.values()), before  # public alias: everywhere (the test can see it)

    restrict(aliased["original"], Audience.BOARD)
    call_command("update_index", verbosity=0)
    after = surfaces(client, alias, WORD)
    assert not any(after.values()), after
    assert client.get(alias.url)["Location"].startswith("/login/?next=")

    member = Client()
    member.force_login(board_member())
    # A board member still finds it everywhere but the sitemap (always the public one).
    assert surfaces(member, alias, WORD) == {**before, "sitemap": False}


def test_an_alias_of_a_section_hides_the_aliases_below_it(client, aliased):
    minutes_alias = aliased["minutes_alias"]
    call_command("update_index", verbosity=0)
    assert all(surfaces(client, minutes_alias, "Snorkelbane").values())

    restrict(aliased["meeting"], Audience.BOARD)  # the original minutes are hidden through it
    call_command("update_index", verbosity=0)
    after = surfaces(client, minutes_alias, "Snorkelbane")
    assert not any(after.values()), after
    assert not any(surfaces(client, aliased["meeting_alias"], "Special").values())


def copy_through_admin(client, page, parent, slug):
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": f"Copy of {page.title}",
            "new_slug": slug,
            "new_parent_page": parent.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return Page.objects.get(slug=slug, depth=parent.depth + 1).specific


def test_a_copy_is_as_restricted_as_its_original(client, admin_client):
    content = build_content()
    secret = content["board_proposal"]
    copy = copy_through_admin(admin_client, secret, secret.get_parent(), "flumpington-copy")
    assert copy.live and copy.audience == Audience.BOARD
    assert copy.get_view_restrictions().exists()
    assert client.get(f"/api/v2/pages/{copy.pk}/").status_code == 404
    assert copy.url not in client.get("/sitemap.xml").content.decode()


def test_a_copy_of_a_page_restricted_through_its_section_stays_restricted(client, admin_client):
    """Minutes whose own audience is public but which sit in a board-only meeting, copied
    (and published) into a public meeting: the copy must not become public."""
    build_content()
    open_meeting = MeetingPageFactory(title="Open session", slug="open")
    secret_meeting = restrict(
        MeetingPageFactory(title="Closed session", slug="closed"), Audience.BOARD
    )
    minutes = MinutesPageFactory(parent=secret_meeting, title="Minutes of the Vorpal session")
    assert minutes.audience == Audience.PUBLIC
    copy = copy_through_admin(admin_client, minutes, open_meeting, "vorpal-copy")
    assert copy.live and copy.audience == Audience.BOARD
    assert client.get(f"/api/v2/pages/{copy.pk}/").status_code == 404
    assert client.get(copy.url).status_code == 302  # sign in first
    # Publishing it again later keeps the restriction (the audience field carries it).
    copy.save_revision().publish()
    assert client.get(f"/api/v2/pages/{copy.pk}/").status_code == 404
