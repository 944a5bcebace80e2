"""When a part fails: the site keeps serving while Redis is down and uses it again when it
returns; after PostgreSQL drops the site's connections, the next request succeeds.

Each test starts a Redis or a gunicorn of its own (on a port the OS hands out) rather than
stopping the machine's shared servers.
"""

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

import pytest
import redis
import requests
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import cache
from django.db import connection

from papers.models.choices import Audience
from tests.public.helpers import board_member, build_content, restrict

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def free_port():
    """A port the OS just handed out: two tests (xdist workers, or two suites on one machine)
    never pick the same one, as they could when probing a fixed range."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A redis-server for one test, stopped and started again on the same port and data dir."""

    def __init__(self, binary, port, data_dir):
        self.binary, self.port, self.data_dir = binary, port, data_dir
        self.url = f"redis://127.0.0.1:{port}/0"
        self.client = redis.Redis(port=port, socket_timeout=2)
        self.process = None

    def start(self):
        # No automatic snapshots; stop(keep_data=True) saves one, which start() loads again.
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.data_dir)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self, keep_data=False):
        if keep_data:
            self.client.save()
        self.process.terminate()
        self.process.wait(timeout=10)

    def keys(self):
        return self.client.keys("*")


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail(
                "redis-server is missing in CI: .ci/run must install Debian's redis-server."
            )
        pytest.skip("needs redis-server (apt-get install redis-server) to stop and start a Redis")
    server = OwnRedis(binary, free_port(), tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def use_redis(settings, server, retry_after=0):
    """The site's caches on ``server``, as production sets them (cms.settings.base): the
    default alias and the page cache's own alias, both outage-proof."""
    default = {
        "BACKEND": "cms.cache_backends.ResilientRedisCache",
        "LOCATION": server.url,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "RETRY_AFTER": retry_after,
        },
    }
    settings.CACHES = {"default": default, "pages": {**default, "KEY_PREFIX": "pages"}}


def outage_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "cms.cache_backends"]


def test_redis_stopped_mid_test_pages_still_200_and_fresh_after_it_returns(
    client, own_redis, settings, caplog
):
    use_redis(settings, own_redis)
    content = build_content()
    minutes = content["public_minutes"]
    urls = ["/", minutes.url, "/decisions/", "/feeds/all/", "/api/v2/pages/", "/search/?q=care"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert own_redis.keys(), "the site stores nothing in Redis: this test would prove nothing"

    own_redis.stop()
    with caplog.at_level(logging.INFO, logger="cms.cache_backends"):
        for _ in range(3):
            for url in urls:
                assert client.get(url).status_code == 200, url
        minutes.title = "Minutes of 12 March 2025 (corrected)"
        minutes.save_revision().publish()
        assert "(corrected)" in client.get(minutes.url).content.decode()
    [warning] = outage_log(caplog)  # one warning for the outage, not one per request
    assert "unreachable" in warning and str(own_redis.port) in warning

    caplog.clear()
    own_redis.start()
    with caplog.at_level(logging.INFO, logger="cms.cache_backends"):
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert "(corrected)" in client.get(minutes.url).content.decode()
    assert own_redis.keys(), "the cache is not used again after Redis returned"
    assert outage_log(caplog) == [
        f"Redis cache at redis://127.0.0.1:{own_redis.port}/0 answers again: using the cache."
    ]


def test_a_purge_lost_while_redis_was_down_serves_no_stale_copy_after_it_returns(
    own_redis, settings
):
    use_redis(settings, own_redis)
    cache.set("views.decorators.cache.cache_page./decisions/", "copy before the change")
    own_redis.stop(keep_data=True)  # Redis comes back with its data, the stale copy included

    cache.delete("views.decorators.cache.cache_page./decisions/")  # the purge: lost
    own_redis.start()
    assert own_redis.keys(), "Redis lost its data on restart: this test would prove nothing"

    assert cache.get("views.decorators.cache.cache_page./decisions/") is None
    assert cache.set("fresh", "value") is True and cache.get("fresh") == "value"


def test_a_redis_that_fails_is_left_alone_until_retry_after(own_redis, settings, monkeypatch):
    use_redis(settings, own_redis, retry_after=30)
    own_redis.stop()
    assert cache.get("anything", "default") == "default"  # one failed attempt
    own_redis.start()

    assert cache.set("skipped", "value") is False  # not even tried: no timeout paid again
    assert not own_redis.keys()

    later = time.monotonic() + 31
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert cache.set("tried", "value") is True
    assert own_redis.keys() == [b":1:tried"]


def test_signed_in_board_member_stays_signed_in_while_redis_is_down(client, own_redis, settings):
    use_redis(settings, own_redis)
    engine = import_module(settings.SESSION_ENGINE).SessionStore
    assert issubclass(engine, DatabaseSessionStore)  # in the database, never the cache
    content = build_content()
    paper = restrict(content["board_proposal"], Audience.BOARD)
    client.force_login(board_member())
    assert client.get(paper.url).status_code == 200

    own_redis.stop()
    response = client.get(paper.url)
    assert response.status_code == 200
    assert paper.title in response.content.decode()


# -- PostgreSQL drops the site's connection -------------------------------------------------


def backends_of_the_site():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


@pytest.fixture
def gunicorn_on_test_database(transactional_db, django_db_serialized_rollback):
    """The site as `make serve` runs it (gunicorn.conf.py, production settings, connections
    kept for 10 minutes) on this test's PostgreSQL database: one worker, one thread."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://...)")
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/"
            f"{db['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "600",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [Path(sys.executable).with_name("gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited: {server.stderr.read()[-3000:]}")
            try:
                requests.get(f"{base}/robots.txt", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_after_postgresql_drops_the_sites_connection_the_next_request_succeeds(
    gunicorn_on_test_database,
):
    api = f"{gunicorn_on_test_database}/api/v2/pages/"
    assert requests.get(api, timeout=30).status_code == 200
    kept = backends_of_the_site()
    assert kept, "gunicorn closed its connection after the request: nothing to drop"

    with connection.cursor() as cursor:
        # With a timeout, PostgreSQL waits until each backend has gone: without one the signal
        # is only sent, and under load a dying backend was still listed below (CI, December).
        cursor.execute("SELECT pg_terminate_backend(pid, 10000) FROM unnest(%s) AS pid", [kept])

    response = requests.get(api, timeout=30)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["meta"]["total_count"] >= 1
    assert not set(backends_of_the_site()) & set(kept)
