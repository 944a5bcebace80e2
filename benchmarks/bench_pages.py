"""Time and count the queries of every public route, cold, at the database's current size.

Run it against a seeded database (``manage.py seed_demo [--papers N]``), for example::

    DATABASE_URL=sqlite:///bench.sqlite3 python benchmarks/bench_pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardpapers python benchmarks/bench_pages.py

Each route is requested as an anonymous visitor and as the board member ``member`` (from
``seed_demo``) through Django's test client, in process, with the cache cleared before every
request ("cold"), ``--repeat`` times; the table shows the median time and the queries of one
request. DEBUG is switched off whatever the settings module says (queries are counted with a
database execute wrapper, which costs nothing like DEBUG's query log). Settings default to
``cms.settings.dev``; ``DJANGO_SETTINGS_MODULE`` chooses others.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from wagtail.models import Page  # noqa: E402

from papers.models import (  # noqa: E402
    Decision,
    MeetingIndexPage,
    MeetingPage,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
    ProviderIndexPage,
    ProviderProfilePage,
    TrainingIndexPage,
    TrainingModulePage,
)
from papers.models.choices import Audience  # noqa: E402

BOARD_MEMBER = "member"


def newest_public(model):
    """The most recently published public page of ``model`` (what a visitor lands on)."""
    page = (
        model.objects.live()
        .public()
        .filter(audience=Audience.PUBLIC)
        .order_by("-first_published_at", "-pk")
        .first()
    )
    return page


def routes():
    """(label, path) of every public route, with real pages of the current database."""
    found = [("home", "/")]
    for model in (MeetingIndexPage, ProposalIndexPage, ProviderIndexPage, TrainingIndexPage):
        index = model.objects.live().first()
        if index is None:
            continue
        found.append((f"{model.__name__} index", index.url))
        found.append((f"{model.__name__} ?page=2", f"{index.url}?page=2"))
        found.append((f"{model.__name__} ?page=last", f"{index.url}?page=last"))
    for model in (
        ProposalPage,
        MinutesPage,
        MeetingPage,
        ProviderProfilePage,
        TrainingModulePage,
    ):
        page = newest_public(model)
        if page is not None:
            found.append((model.__name__, page.url))
    found += [
        ("decisions register", "/decisions/"),
        ("decisions register ?page=2", "/decisions/?page=2"),
        ("decisions advice followed", "/decisions/?advice=followed"),
        ("forward plan", "/forward-plan/"),
        ("forward plan feed", "/forward-plan/feed/"),
        ("contracts register", "/contracts/"),
        ("contracts attention", "/contracts/?attention=yes&sort=value"),
        ("feed all", "/feeds/all/"),
        ("feed minutes", "/feeds/minutes/"),
        ("feed decisions", "/feeds/decisions/"),
        ("feed proposals", "/feeds/proposals/"),
        ("feed all atom", "/feeds/all/atom/"),
        ("calendar", "/calendar/meetings.ics"),
        ("sitemap", "/sitemap.xml"),
        ("sitemap section 1", "/sitemap-pages.xml?p=1"),
        ("robots", "/robots.txt"),
        ("api pages", "/api/v2/pages/"),
        ("api pages proposals", "/api/v2/pages/?type=papers.ProposalPage&fields=summary"),
        ("api pages offset 5000", "/api/v2/pages/?offset=5000"),
        ("api pages ?search=care", "/api/v2/pages/?search=care"),
        ("api search care proposals", "/api/v2/pages/?search=care&type=papers.ProposalPage"),
        ("api search home care offset 40", "/api/v2/pages/?search=home+care&offset=40"),
        ("api documents", "/api/v2/documents/"),
        ("api decisions", "/api/v2/decisions/"),
    ]
    paper = newest_public(ProposalPage)
    if paper is not None:
        found.append(("api page detail", f"/api/v2/pages/{paper.pk}/"))
    decision = Decision.objects.filter(is_exempt=False).order_by("-pk").first()
    if decision is not None:
        found.append(("api decision detail", f"/api/v2/decisions/{decision.pk}/"))
    return found


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, path, repeat):
    """(median ms, queries, status, bytes) of ``repeat`` cold requests."""
    times, counts = [], []
    for _ in range(repeat):
        for cache in caches.all():
            cache.clear()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(path, secure=True)
            body = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        counts.append(counter.count)
    return statistics.median(times), max(counts), response.status_code, len(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per route (median)")
    parser.add_argument("--only", help="only routes whose label contains this")
    parser.add_argument("--skip", help="leave out routes whose label contains this")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="skip ANALYZE (seed_demo inserts in bulk; without statistics PostgreSQL chose "
        "plans 10-15 times slower until autovacuum caught up)",
    )
    args = parser.parse_args()
    if not args.no_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    anonymous = Client()
    member = Client()
    user = get_user_model().objects.filter(username=BOARD_MEMBER).first()
    if user is None:
        sys.exit(f"No user {BOARD_MEMBER!r}: run manage.py seed_demo first.")
    member.force_login(user)

    # Warm up (imports, template compilation): the first request of a process is not cold
    # data but a cold interpreter, which a running server has long left behind.
    for client in (anonymous, member):
        client.get("/", secure=True)

    papers = ProposalPage.objects.count()
    print(
        f"{connection.vendor}: {Page.objects.count()} pages, {papers} proposals, "
        f"{Decision.objects.count()} decisions; cold, median of {args.repeat}"
    )
    header = f"{'route':34} {'anon ms':>8} {'q':>4} {'member ms':>10} {'q':>4}  status  bytes"
    print(header)
    print("-" * len(header))
    for label, path in routes():
        if (args.only and args.only not in label) or (args.skip and args.skip in label):
            continue
        anon_ms, anon_q, anon_status, size = measure(anonymous, path, args.repeat)
        member_ms, member_q, member_status, _ = measure(member, path, args.repeat)
        print(
            f"{label[:34]:34} {anon_ms:8.1f} {anon_q:4d} {member_ms:10.1f} {member_q:4d}"
            f"  {anon_status}/{member_status}  {size}",
            flush=True,
        )


if __name__ == "__main__":
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        main()
