import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper
from django.test.client import ClientMixin
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer
from xdist.scheduler import LoadScopeScheduling

from papers.two_factor.policy import needs_second_factor
from tests.a11y.helpers import DEMO_PASSWORD
from tests.demo_snapshot import DemoSnapshot
from tests.page_cache import page_cache, page_cache_redis  # noqa: F401 - fixtures
from tests.two_factor import mark_verified

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: Wagtail keeps the sites' root paths there, and a
    value left by another test's database (a Site with another id or port) changed the links,
    and so the ETag, of the next test's feeds on PostgreSQL."""
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(request, monkeypatch):
    """``client.force_login(user)`` stands for a full sign-in, so a user who needs two-factor
    sign-in (admin access, or opted in) also gets a session that gave a code. Tests of the
    second step itself are marked ``password_only`` and get the plain password-only session.
    """
    if request.node.get_closest_marker("password_only"):
        return
    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if needs_second_factor(user):
            mark_verified(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright; skips where Chromium is absent (never in CI)."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium.")
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _hand_on_the_migrated_data_snapshot()
        yield browser
        browser.close()


def _hand_on_the_migrated_data_snapshot():
    """Let serialized rollback keep restoring what migrations created (root page, home page,
    site) once Playwright runs.

    Django keeps a database connection per thread, but per *context* while an event loop runs
    in the thread, and Playwright's sync API leaves one running in the main thread from its
    launch to its end. From then on the tests get a new connection object, which lacks the
    snapshot Django took at set-up (``_test_serialized_contents``): a flush by an earlier
    transactional test was then never undone, and the first browser test on a worker found no
    home page (CI, December 2026). Launching is the one moment the connection changes, so the
    snapshot is handed on here, before any test's database set-up can use the new connection;
    where the test database is set up later, Django puts the snapshot on the new one itself.
    """
    before_playwright = getattr(connections._connections._storage, DEFAULT_DB_ALIAS, None)
    snapshot = getattr(before_playwright, "_test_serialized_contents", None)
    current = connections[DEFAULT_DB_ALIAS]
    if snapshot is not None and not hasattr(current, "_test_serialized_contents"):
        current._test_serialized_contents = snapshot


@pytest.fixture
def browser_page(chromium, request):
    """A fresh browser context per test; on failure its last page is kept as a screenshot."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()


def pytest_collection_modifyitems(items):
    """Tests marked ``slow`` (minutes each) run first: ``pytest -n 2`` hands tests out in this
    order as workers free up, so a slow test collected late kept one worker busy long after the
    other had finished. Mark only tests in a rolled-back transaction (the ``db`` fixture):
    pytest-django has put the transactional and browser ones last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# Modules whose tests share an expensive module-scoped fixture (the sweep seeds the whole demo,
# tens of seconds) and so must run one after another on one worker. Tests of a module handed to
# both workers, or interleaved with the slow tests of other modules, made each worker seed the
# demo again: three or four seeds a run instead of one.
ONE_WORKER_MODULES = (
    "tests/papers/test_confidentiality_sweep.py",
    "tests/papers/test_permission_matrix.py",
)


class _OneWorkerModulesScheduling(LoadScopeScheduling):
    """``-n 2``'s load balancing, test by test, except that each of ``ONE_WORKER_MODULES``
    is one unit of work (handed out first: units are ordered by size, then collection order).
    ``@pytest.mark.xdist_group`` with ``--dist loadgroup`` cannot do this here: pytest 9 names
    a test by ``item._id`` and xdist 3.8 still appends the group to ``item._nodeid``, so every
    test stays a group of its own."""

    def _split_scope(self, nodeid):
        module = nodeid.split("::", 1)[0]
        return module if module in ONE_WORKER_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "load":  # what -n chooses; an explicit --dist is kept
        return _OneWorkerModulesScheduling(config, log)
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _demo_snapshot(tmp_path_factory):
    return DemoSnapshot(tmp_path_factory.mktemp("demo-snapshot"))


@pytest.fixture
def demo(
    django_db_serialized_rollback,
    transactional_db,
    _demo_snapshot,
    settings,
):
    """The whole seeded demo site (accounts, meetings, minutes, confidential papers),
    seeded once a worker and put back for each test (tests/demo_snapshot.py)."""
    _demo_snapshot.seed(DEMO_PASSWORD, Path(settings.MEDIA_ROOT))


# On SQLite the test database lives in memory, shared (``cache=shared``) by the live server's
# request threads and the test thread. SQLite's shared cache locks whole tables and does not
# wait for them, so a browser's overlapping requests (an admin page's fetches, the editing
# session's ping, a beacon on leaving a page) or a query of the test while one is in flight
# failed with "database table is locked"; a request thread that failed inside a transaction left
# the shared connection broken, and every later browser test on that worker failed at set-up
# (CI, December 2026). Requests and the test's queries therefore take turns: one lock, held by a
# request thread for the whole request and by any other thread for each query. PostgreSQL
# needs none of this.
_sqlite_turn = threading.RLock()


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    def set_app(self, application):
        def take_turns(environ, start_response):
            with _sqlite_turn:
                return application(environ, start_response)

        super().set_app(take_turns)


class _OneRequestAtATimeThread(LiveServerThread):
    server_class = _OneRequestAtATimeServer


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; on in-memory SQLite its requests and the test's queries
    take turns (see ``_sqlite_turn``)."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(addr, start=False)
    if not server.thread.connections_override:
        server.start()
        yield server
        server.stop()
        return
    thread = server.thread
    server.thread = _OneRequestAtATimeThread(
        thread.host,
        thread.static_handler,
        connections_override=thread.connections_override,
        port=thread.port,
    )
    server.thread.daemon = True
    execute = CursorWrapper._execute_with_wrappers

    def execute_in_turn(self, *args, **kwargs):
        with _sqlite_turn:
            return execute(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "_execute_with_wrappers", execute_in_turn)
        server.start()
        yield server
        server.stop()
