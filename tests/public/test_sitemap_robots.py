"""/sitemap.xml lists public pages with their last-modified dates, as the public sees them;
/robots.txt points at it."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.utils.timezone import localdate
from wagtail.models import Page, Site, get_page_models

from papers.sitemap import PublicSitemap
from tests.public.helpers import board_member, build_content, sitemap_sections

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def content():
    return build_content()


def sitemap_urls(client):
    """Every URL of every section, keyed by path, and the text of all the responses."""
    urls, text = {}, ""
    for section in sitemap_sections(client):
        response = client.get(section)
        assert response.status_code == 200
        text += response.content.decode()
        root = ET.fromstring(response.content)
        # Keyed by path: the host is the Wagtail site's own, not the test client's.
        for url in root.findall("s:url", NS):
            urls[urlsplit(url.find("s:loc", NS).text).path] = url.find("s:lastmod", NS)
    return urls, text


def test_sitemap_lists_public_pages_with_lastmod(client, content):
    content["public_proposal"].save_revision().publish()
    urls, _ = sitemap_urls(client)
    locations = set(urls)
    for key in ("meeting", "public_minutes", "public_proposal", "secret_meeting"):
        assert content[key].url in locations
    assert "/" in locations
    lastmod = urls[content["public_proposal"].url]
    assert lastmod is not None and lastmod.text[:4].isdigit()


def test_sitemap_never_lists_restricted_pages_even_for_a_board_member(client, content):
    client.force_login(board_member())
    urls, text = sitemap_urls(client)
    locations = set(urls)
    for key in ("board_proposal", "members_proposal", "secret_minutes"):
        assert content[key].url not in locations
    for word in ("Flumpington", "Wobblecombe", "zanzibarite"):
        assert word.lower() not in text.lower()


def test_sitemap_drops_unpublished_pages(client, content):
    content["public_proposal"].unpublish()
    urls, _ = sitemap_urls(client)
    assert content["public_proposal"].url not in urls


def test_sitemap_is_an_index_of_sections_each_within_its_size(client, content, monkeypatch):
    everything, _ = sitemap_urls(client)
    assert len(sitemap_sections(client)) == 1
    monkeypatch.setattr(PublicSitemap, "limit", 2)
    sections = sitemap_sections(client)
    assert len(sections) == -(-len(everything) // 2) > 1
    urls, _ = sitemap_urls(client)
    assert set(urls) == set(everything)  # every page in a section, none lost between them
    # Later sections are read from the end (papers.pagination): none empty, no page twice.
    per_section = [
        len(ET.fromstring(client.get(section).content).findall("s:url", NS)) for section in sections
    ]
    assert 0 not in per_section and sum(per_section) == len(everything)
    assert client.get("/sitemap-pages.xml?p=last").content == client.get(sections[-1]).content
    assert client.get(f"/sitemap-pages.xml?p={len(sections) + 1}").status_code == 404


def test_each_entry_is_the_page_s_own_address_and_date_on_every_site(client, content):
    """Sections build their entries from three columns (papers.sitemap.ENTRY_COLUMNS), not
    from pages: each must still be the address and date Wagtail gives the page
    (``Page.get_sitemap_urls``), and a page under two sites' roots takes the requested site's
    address."""
    content["public_proposal"].save_revision().publish()
    index = content["public_proposal"].get_parent()
    Site.objects.create(hostname="proposals.example.org", port=80, root_page=index)
    assert len(Site.get_site_root_paths()) == 2
    for host in ("testserver", "proposals.example.org"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        site = Site.find_for_request(request)
        expected = {}
        for page in site.root_page.get_descendants(inclusive=True).live().specific():
            [entry] = page.get_sitemap_urls(request)
            lastmod = entry["lastmod"]
            expected[entry["location"]] = lastmod and localdate(lastmod).isoformat()
        listed = {}
        for section in sitemap_sections(client):
            response = client.get(section, HTTP_HOST=host)
            for url in ET.fromstring(response.content).findall("s:url", NS):
                lastmod = url.find("s:lastmod", NS)
                listed[url.find("s:loc", NS).text] = None if lastmod is None else lastmod.text
        assert listed  # the restricted pages are left out; the rest are Wagtail's entries
        assert {location: expected.get(location, "not a page") for location in listed} == listed
        assert listed[content["public_proposal"].get_full_url(request)]  # a published page's date
    assert content["public_proposal"].get_full_url(request).startswith("http://proposals.")


def test_no_page_type_has_sitemap_entries_of_its_own():
    """The sitemap makes its entries from three columns of each page, not from the page
    (papers.sitemap.ENTRY_COLUMNS): a page type that changed its entries or its address would
    be listed as a plain page. If one ever must, build the sections' entries from
    ``.specific()`` pages again."""
    own = [
        f"{model.__name__}.{name}"
        for model in get_page_models()
        for name in ("get_sitemap_urls", "get_url_parts", "get_url", "get_full_url")
        if getattr(model, name) is not getattr(Page, name)
    ]
    assert own == []


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_search_results_are_not_indexed(client, content):
    response = client.get("/search/", {"q": "home care"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex' in html
