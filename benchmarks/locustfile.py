"""Load test: a traffic spike on the site served as in production (see benchmarks/README.md).

Mostly anonymous visitors browsing (home, indexes and their later pages, papers, minutes,
meetings, the decisions register, search, feeds, the API; a crawler's share of sitemap and
calendar), and some board members who sign in at /login/ and read confidential papers and
minutes. Pages are picked at random across the whole archive (found in the sitemap at the
start), so a page cache is not flattered by everyone reading the same few.

    locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000 \
        --headless --users 50 --spawn-rate 10 --run-time 60s --only-summary

Board members sign in as LOAD_BOARD_MEMBER (default ``member``) with LOAD_PASSWORD (default
``changeme``, seed_demo's): a board member without two-factor sign-in, as seeded.
"""

import os
import random
import re

import requests
from locust import HttpUser, between, events, task

BOARD_MEMBER = os.environ.get("LOAD_BOARD_MEMBER", "member")
PASSWORD = os.environ.get("LOAD_PASSWORD", "changeme")
SEARCH_WORDS = ["care", "home care", "contract", "social value", "apprenticeships", "equipment"]
FEEDS = ["all", "minutes", "decisions", "proposals"]

# seed_demo's pages for the board (and one for all members) only.
SEEDED_CONFIDENTIAL = [
    "/proposals/total-facilities-management-contract/",
    "/proposals/community-equipment-bidder-shortlist/",
    "/proposals/residential-care-provider-contingency/",
    "/proposals/libraries-alternative-delivery-model/",
    "/about/transformation-phase-2-members-briefing/",
]
confidential_paths = [
    path.strip()
    for path in os.environ.get("LOAD_CONFIDENTIAL_PATHS", ",".join(SEEDED_CONFIDENTIAL)).split(",")
    if path.strip()
]
public_paths = {}  # "paper", "minutes", "meeting" -> paths, read from the sitemap at the start


def sign_in(session, host, **options):
    """Sign in at /login/ like a browser: the form's CSRF token, then the POST. ``options``
    go to both requests (locust's ``name=``)."""
    form = session.get(f"{host}/login/", **options)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        f"{host}/login/",
        data={"username": BOARD_MEMBER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{host}/login/"},
        allow_redirects=False,
        **options,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{BOARD_MEMBER} could not sign in at /login/: {response.status_code}")


def sitemap_paths(session, url):
    """Every path the sitemap lists, following a sitemap index into its sections."""
    xml = session.get(url, timeout=600).text
    locations = [path_of(loc) for loc in re.findall(r"<loc>([^<]+)</loc>", xml)]
    if "<sitemapindex" not in xml:
        return locations
    host = url.split("/sitemap")[0]
    return [path for section in locations for path in sitemap_paths(session, host + section)]


def path_of(url):
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


@events.test_start.add_listener
def discover_pages(environment, **kwargs):
    """Public pages from the sitemap (as a crawler finds them); confidential ones are those
    seed_demo makes (or LOAD_CONFIDENTIAL_PATHS, comma-separated)."""
    print("Reading the sitemap for the pages to visit ...")
    paths = sitemap_paths(requests.Session(), f"{environment.host}/sitemap.xml")
    public_paths["paper"] = [p for p in paths if re.fullmatch(r"/proposals/[^/]+/", p)]
    public_paths["minutes"] = [p for p in paths if re.fullmatch(r"/meetings/[^/]+/minutes/", p)]
    public_paths["meeting"] = [p for p in paths if re.fullmatch(r"/meetings/[^/]+/", p)]
    for kind, found in public_paths.items():
        if not found:
            raise RuntimeError(f"no {kind} pages in the sitemap: seed the site with seed_demo")
    print("Pages found:", ", ".join(f"{len(found)} {kind}" for kind, found in public_paths.items()))


class AnonymousVisitor(HttpUser):
    weight = 9
    wait_time = between(1, 3)

    def visit(self, path, name):
        self.client.get(path, name=name)

    @task(6)
    def home(self):
        self.visit("/", "/")

    @task(3)
    def proposals_index(self):
        self.visit(f"/proposals/?page={random.randint(1, 100)}", "/proposals/?page=N")

    @task(1)
    def meetings_index(self):
        self.visit(f"/meetings/?page={random.randint(1, 20)}", "/meetings/?page=N")

    @task(8)
    def paper(self):
        self.visit(random.choice(public_paths["paper"]), "paper")

    @task(4)
    def minutes(self):
        self.visit(random.choice(public_paths["minutes"]), "minutes")

    @task(2)
    def meeting(self):
        self.visit(random.choice(public_paths["meeting"]), "meeting")

    @task(3)
    def decisions_register(self):
        self.visit("/decisions/", "/decisions/")

    @task(3)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="/search/?q=")

    @task(2)
    def feed(self):
        self.visit(f"/feeds/{random.choice(FEEDS)}/", "/feeds/<section>/")

    @task(2)
    def api_listing(self):
        self.client.get(
            "/api/v2/pages/",
            params={"type": "papers.ProposalPage", "offset": random.randint(0, 9000)},
            name="/api/v2/pages/?type=&offset=",
        )

    @task(1)
    def api_search(self):
        self.client.get(
            "/api/v2/pages/",
            params={"search": random.choice(SEARCH_WORDS)},
            name="/api/v2/pages/?search=",
        )

    @task(1)
    def crawler_sitemap(self):
        self.visit("/sitemap.xml", "/sitemap.xml")

    @task(1)
    def calendar(self):
        self.visit("/calendar/meetings.ics", "/calendar/meetings.ics")


class BoardMember(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        sign_in(self.client, "", name="/login/")

    @task(4)
    def confidential_paper(self):
        url = random.choice(confidential_paths)
        with self.client.get(url, name="confidential page", catch_response=True) as response:
            if response.ok and "/login/" in response.url:
                response.failure("a signed-in board member was sent to sign in")

    @task(2)
    def search(self):
        self.client.get(
            "/search/", params={"q": random.choice(SEARCH_WORDS)}, name="/search/?q= (signed in)"
        )

    @task(1)
    def home(self):
        self.client.get("/", name="/ (signed in)")

    @task(1)
    def proposals_index(self):
        self.client.get("/proposals/", name="/proposals/ (signed in)")
