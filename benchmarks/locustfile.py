"""Load test: a traffic spike on the site served as in production (see benchmarks/README.md).

Mostly anonymous visitors browsing (home, indexes and their later pages, papers, minutes,
meetings, the decisions register, search, feeds, the API; a crawler's share of sitemap and
calendar), and some board members who sign in at /login/ and read confidential papers and
minutes. Pages are picked at random across the whole archive (found through the API at the
start), so a page cache is not flattered by everyone reading the same few pages.

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
SAMPLES_PER_TYPE = 5  # API pages of 100 read at random offsets for each page type
SEARCH_WORDS = ["care", "home care", "contract", "social value", "apprenticeships", "equipment"]
FEEDS = ["all", "minutes", "decisions", "proposals"]

# Filled once at the start: page type -> URLs (public), and what only the board may read.
public_urls = {}
confidential_urls = []


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


def page_urls(session, host, page_type, **filters):
    listing = f"{host}/api/v2/pages/"
    params = {"type": page_type, "fields": "_,html_url", "limit": 100, **filters}
    total = session.get(listing, params={**params, "limit": 1}).json()["meta"]["total_count"]
    urls = set()
    for _ in range(SAMPLES_PER_TYPE if total > 100 else 1):
        offset = random.randrange(max(total - 100, 0) + 1)
        items = session.get(listing, params={**params, "offset": offset}).json()["items"]
        urls.update(item["meta"]["html_url"] for item in items)
    return sorted(urls)


def path_of(url):
    return "/" + url.split("://", 1)[-1].split("/", 1)[-1]


@events.test_start.add_listener
def discover_pages(environment, **kwargs):
    host = environment.host
    anonymous = requests.Session()
    for page_type in ("papers.ProposalPage", "papers.MinutesPage", "papers.MeetingPage"):
        public_urls[page_type] = [path_of(u) for u in page_urls(anonymous, host, page_type)]
    board = requests.Session()
    sign_in(board, host)
    for page_type in ("papers.ProposalPage", "papers.MinutesPage"):
        for audience in ("board", "members"):
            found = page_urls(board, host, page_type, audience=audience)
            confidential_urls.extend(path_of(u) for u in found)
    if not confidential_urls:
        raise RuntimeError("no confidential papers found: seed the site with seed_demo first")
    print(
        "Pages found:",
        ", ".join(f"{t} {len(u)}" for t, u in public_urls.items()),
        f"confidential {len(confidential_urls)}",
    )


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
        self.visit(random.choice(public_urls["papers.ProposalPage"]), "paper")

    @task(4)
    def minutes(self):
        self.visit(random.choice(public_urls["papers.MinutesPage"]), "minutes")

    @task(2)
    def meeting(self):
        self.visit(random.choice(public_urls["papers.MeetingPage"]), "meeting")

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
        url = random.choice(confidential_urls)
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
