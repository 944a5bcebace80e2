"""Benchmark /search/ against the bare backend query, on N generated papers.

    python manage.py bench_search --papers 10000 [--queries 240] [--seed 7] [--compare]

Seeds the demo with N generated papers (or reuses them), makes sure the index is complete,
then runs a fixed, seeded set of realistic queries through the search view (Django's test
client, so middleware, visibility, facets, snippets and template included) as an anonymous
visitor, a councillor and a board member in turn, and the same words through the backend
alone: Wagtail's own ``.search()`` for the first 20 ranked pages, the engine's full-text pass
(every matching page with its score, as the view asks for it), and on PostgreSQL the floor:
the plain GIN-indexed ``title @@ q OR body @@ q`` query with ranking. Prints p50 and p95 of
each and the view's ratio to it. ``--compare`` instead checks, for the same queries and
readers, that the one-statement page (papers.search.database) gives exactly the Python pass's
page of results, total and facet counts. (Wagtail's ``.search()`` on SQLite scores through a
correlated subquery per row: seconds for a common word at 10,000 papers.)
"""

import random
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.test import Client
from django.test.utils import override_settings
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.conf import get_app_config
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from demo.seed import run as seed_demo_content
from papers.management.commands.search_index_check import database_entries, expected_entries
from papers.models import CabinetCommittee, Decision, ProposalPage, ServiceArea
from papers.models.choices import Outcome, Stage
from papers.search import forms as search_params
from papers.search.database import runs_in_database, search_page
from papers.search.engine import DIMENSIONS, filter_and_count, find_hits, gc_paused, sort_hits
from papers.search.page import PAGE_SIZE
from papers.search.query import parse
from papers.search.scoring import match_scores, rank_expression

WORDS = [
    "care", "home care", "commissioning", "commissioned", "social value", "procurement",
    "contract", "extension", "provider", "tender", "re-tender", "framework", "grant",
    "voluntary", "apprenticeships", "transport", "school", "waste", "recycling", "library",
    "libraries", "youth", "early help", "supported living", "learning disabilities",
    "equipment", "facilities management", "performance", "KPI", "price", "quality",
    "weighting", "options appraisal", "direct award", "in-house", "transformation",
    "market", "residential", "nursing", "carers", "health", "district", "budget",
    "savings", "risk", "recommendation", "advice", "cabinet", "decision", "agreed",
    "deferred", "consultation", "evaluation", "lots", "dynamic purchasing", "SME",
    "local suppliers", "outcomes", "review", "monitoring", "inflation", "workforce",
]  # fmt: skip
USERS = [None, "councillor", "member"]
TIMED = {
    "view": "Through the view (/search/):",
    "wagtail": "Wagtail's backend .search() (first 20):",
    "engine": "Engine's full-text pass (every match):",
    "floor": "GIN floor (title @@ q OR body @@ q, ranked):",
}


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = "Seed N papers (or reuse them) and time /search/ against the bare backend query."

    def add_arguments(self, parser):
        parser.add_argument("--papers", type=int, default=1000)
        parser.add_argument("--queries", type=int, default=240)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--password", default="bench-password-not-for-use")
        parser.add_argument("--no-seed", action="store_true", help="Use the database as it is.")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="Compare the one-statement page with the Python pass instead of timing.",
        )

    def handle(self, *args, papers, queries, seed, password, no_seed, compare, **options):
        if not no_seed:
            started = time.monotonic()
            with transaction.atomic():
                seed_demo_content(password=password, papers=papers, stdout=self.stdout)
            self.stdout.write(f"Seeded in {time.monotonic() - started:.0f}s.")
        self.complete_index()
        cases = self.build_cases(queries, seed)
        self.stdout.write(
            f"Backend: {type(get_search_backend()).__name__} on {connection.vendor}; "
            f"{ProposalPage.objects.count()} proposals, {Page.objects.count()} pages, "
            f"{Decision.objects.count()} decisions; {len(cases)} queries."
        )
        if compare:
            self.compare_cases(cases)
            return
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            self.run_cases(cases)

    def compare_cases(self, cases):
        """Each search through the statement and through the Python pass: the page of hits
        shown, the total and every facet count must be the same."""
        backend = get_search_backend()
        if not runs_in_database(backend):
            self.stderr.write("The one-statement page runs on PostgreSQL only.")
            return
        users = {name: get_user_model().objects.filter(username=name).first() for name in USERS}
        differences = 0
        for name, params in cases:
            user = users.get(name) or AnonymousUser()
            read = search_params.read(QueryDict(urlencode(params)), DIMENSIONS)
            parsed = parse(read.q)
            if not (parsed or read.has_filters):
                continue
            window, counts = search_page(user, parsed, read, backend, PAGE_SIZE)
            shown = [
                (hit.kind, hit.id) for hit in window[window.offset : window.offset + PAGE_SIZE]
            ]
            with gc_paused():
                kept, expected_counts = filter_and_count(find_hits(user, parsed), read)
                kept = sort_hits(kept, read.sort)
            page = Paginator(kept, PAGE_SIZE).get_page(read.page)
            expected = [(hit.kind, hit.id) for hit in page.object_list]
            if (window.total, shown, counts) != (len(kept), expected, expected_counts):
                differences += 1
                self.stdout.write(
                    f"DIFFERENT for {name or 'anonymous'} {urlencode(params)}: total "
                    f"{window.total} vs {len(kept)}; page same: {shown == expected}; "
                    f"counts same: {counts == expected_counts}"
                )
        self.stdout.write(f"Compared {len(cases)} searches: {differences} differences.")

    def complete_index(self):
        """Index whatever bulk seeding left out (e.g. decisions inserted without signals)."""
        backend = get_search_backend()
        if hasattr(backend, "es"):
            return
        expected = expected_entries()
        held = database_entries({ct for entries in expected.values() for ct, _ in entries})
        missing = set().union(*expected.values()) - held
        if not missing:
            return
        self.stdout.write(f"Indexing {len(missing)} objects missing from the index…")
        by_ct = {}
        for ct, pk in missing:
            by_ct.setdefault(ct, []).append(int(pk))
        for ct, pks in by_ct.items():
            model = ContentType.objects.get_for_id(ct).model_class()
            for start in range(0, len(pks), 500):
                objects = list(model.objects.filter(pk__in=pks[start : start + 500]))
                backend.add_bulk(model, objects)

    def build_cases(self, count, seed):
        rng = random.Random(seed)
        references = list(
            ProposalPage.objects.order_by("pk").values_list("reference", "key_decision_reference")
        )
        areas = list(ServiceArea.objects.values_list("slug", flat=True))
        committees = list(CabinetCommittee.objects.values_list("slug", flat=True))
        cases = []
        for n in range(count):
            roll = rng.random()
            params = {}
            if roll < 0.12 and references:
                ref, key = rng.choice(references)
                params["q"] = key or ref if rng.random() < 0.5 else ref
            elif roll < 0.55:
                params["q"] = rng.choice(WORDS)
            elif roll < 0.8:
                params["q"] = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
            elif roll < 0.88:
                params["q"] = f'"{rng.choice(WORDS)}" -{rng.choice(WORDS).split()[0]}'
            else:
                params["q"] = rng.choice(WORDS)
                params["type"] = rng.choice(["proposal", "decision", "minutes"])
            extra = rng.random()
            if extra < 0.1:
                params["stage"] = rng.choice(Stage.values)
            elif extra < 0.18 and areas:
                params["area"] = rng.choice(areas)
            elif extra < 0.24 and committees:
                params["committee"] = rng.choice(committees)
            elif extra < 0.3:
                params["outcome"] = rng.choice(Outcome.values)
            elif extra < 0.36:
                params["from"], params["to"] = "2019-01-01", "2024-12-31"
            if rng.random() < 0.15:
                params["sort"] = "newest"
            if rng.random() < 0.1:
                params["page"] = rng.choice(["2", "3"])
            cases.append((USERS[n % len(USERS)], params))
        return cases

    def run_cases(self, cases):
        users = {
            name: get_user_model().objects.filter(username=name).first() for name in USERS if name
        }
        clients = {}
        for name in USERS:
            client = Client()
            if name and users.get(name):
                client.force_login(users[name])
            clients[name] = client
        backend = get_search_backend()
        timings = {label: [] for label in TIMED}
        results, slowest = [], []
        warm = cases[:10]
        for name, params in warm:
            clients[name].get("/search/?" + urlencode(params))
        for name, params in cases:
            url = "/search/?" + urlencode(params)
            started = time.perf_counter()
            response = clients[name].get(url)
            timings["view"].append((time.perf_counter() - started) * 1000)
            slowest.append((timings["view"][-1], name or "anonymous", url))
            if response.status_code != 200:
                self.stderr.write(f"{response.status_code} for {url}")
            results.append(response.content.count(b'class="app-search-result '))
            parsed = parse(params["q"])
            for label, run in (
                # Wagtail's own .search(): the first page of ranked pages, no visibility.
                ("wagtail", lambda q: list(backend.search(q, Page.objects.live())[:20])),
                # The engine's full-text pass alone: every match with its score.
                ("engine", lambda q: match_scores(backend, Page.objects.live(), q)),
                ("floor", lambda q: gin_floor(backend, q)),
            ):
                if label == "floor" and not isinstance(backend, PostgresSearchBackend):
                    continue
                started = time.perf_counter()
                if parsed:
                    run(parsed.query)
                timings[label].append((time.perf_counter() - started) * 1000)
        view50, view95 = (percentile(timings["view"], f) for f in (0.5, 0.95))
        for label, title in TIMED.items():
            times = timings[label]
            if not times:
                continue
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            line = f"{title:<44} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms"
            if label != "view":
                line += f"   view/this: p50 {view50 / max(p50, 0.001):5.1f}x"
                line += f"  p95 {view95 / max(p95, 0.001):5.1f}x"
            self.stdout.write(line)
        for elapsed, who, url in sorted(slowest, reverse=True)[:5]:
            self.stdout.write(f"  slowest: {elapsed:7.1f} ms  {who:10} {url[:100]}")
        self.stdout.write(
            f"Results shown per query: mean {statistics.mean(results):.1f}, "
            f"{sum(1 for r in results if r == 0)} queries with none."
        )


def gin_floor(backend, query):
    """The plain GIN-indexed PostgreSQL query: ``title @@ q OR body @@ q`` with its rank.

    Every match with its score, straight from Wagtail's index table through its own GIN
    indexes on ``title`` and ``body``: what no search page can beat.
    """
    index_entry = get_app_config().get_model("IndexEntry")
    compiler = backend.query_compiler_class(Page.objects.live(), query)
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    rank = rank_expression(compiler, [(F("title"), F("title_norm")), (F("body"), 1.0)], config)
    matches = index_entry.objects.filter(Q(title=tsquery) | Q(body=tsquery)).annotate(score=rank)
    return list(matches.values_list("object_id", "content_type_id", "score"))
