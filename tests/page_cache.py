"""The server's page cache switched on for a test (it is off in cms.settings.test): in process
memory (``page_cache``) or in real Redis (``page_cache_redis``: database 6 of the local Redis
unless ``PAGE_CACHE_TEST_REDIS_URL`` says otherwise, under a key prefix of the test's own, and
only that prefix is deleted afterwards)."""

import os
import uuid

import pytest
from django.core.cache import caches
from redis import Redis
from redis.exceptions import RedisError

HIT = "hit"
REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def cache_control(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def switch_on(settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}


@pytest.fixture
def page_cache(settings):
    switch_on(settings)
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


def redis_reachable():
    try:
        return Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError:
        return False


@pytest.fixture
def page_cache_redis(settings):
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: .ci/run must start it.")
        pytest.skip(f"needs Redis at {REDIS_URL}")
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            # What production uses for this alias when REDIS_URL is set (cms.settings.base).
            "BACKEND": "cms.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-pages-{uuid.uuid4().hex}",
        },
    }
    switch_on(settings)
    yield caches["pages"]
    caches["pages"].delete_pattern("*")  # only this test's prefix
