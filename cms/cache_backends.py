"""The Redis cache, made to survive Redis being down.

django-redis's own ``IGNORE_EXCEPTIONS`` swallows errors but logs every failed call (several per
request) or none at all, keeps paying the connection timeout on each one, and forgets
invalidations that failed. While Redis is unreachable this backend instead:

- answers as an empty cache (``get`` gives the default, ``set`` stores nothing), so pages are
  served uncached and never fail because of the cache;
- logs one warning per process when the outage starts and one when Redis answers again;
- skips Redis for ``RETRY_AFTER`` seconds (an option, default 5) after a failure, so a Redis
  that times out costs one request the timeout, not every request;
- remembers that a delete or clear was lost (a page purged while Redis was away) and empties
  the cache when Redis answers again, before anything is read: a copy that should have been
  purged is never served afterwards.

The state is per process (each gunicorn worker notices the outage on its own).
"""

import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def without_password(location):
    """The Redis URL as it may appear in a log: no user name or password."""
    parts = urlsplit(location)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


class RedisOutage:
    """Whether a Redis server is reachable, shared by the threads of one process."""

    def __init__(self, location, retry_after):
        self.location = without_password(location)
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        # Deletes or clears lost so far, and how many of them a clear since has made good
        # (counters, so a loss in another thread during that clear is not forgotten).
        self.lost_invalidations = 0
        self.made_good = 0

    def must_clear(self):
        return self.lost_invalidations > self.made_good

    def should_try(self):
        return not self.down or time.monotonic() >= self.retry_at

    def failed(self, error, invalidates):
        with self.lock:
            if invalidates:
                self.lost_invalidations += 1
            self.retry_at = time.monotonic() + self.retry_after
            if self.down:
                return
            self.down = True
        logger.warning(
            "Redis cache at %s is unreachable (%s): serving without the cache, retrying every %gs.",
            self.location,
            error,
            self.retry_after,
        )

    def skipped(self, invalidates):
        if invalidates:
            with self.lock:
                self.lost_invalidations += 1

    def answered(self, lost_before_clear):
        with self.lock:
            self.made_good = max(self.made_good, lost_before_clear)
            if not self.down:
                return
            self.down = False
        logger.warning("Redis cache at %s answers again: using the cache.", self.location)


class ResilientRedisCache(RedisCache):
    _outages = {}
    _outages_lock = threading.Lock()

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        # Django makes one cache object per thread: the outage is tracked per server instead.
        with self._outages_lock:
            key = (server, retry_after)
            self.outage = self._outages.setdefault(key, RedisOutage(str(server), retry_after))

    def _survive(self, fallback, invalidates, operation, *args, **kwargs):
        outage = self.outage
        if not outage.should_try():
            outage.skipped(invalidates)
            return fallback
        lost = outage.lost_invalidations
        try:
            if outage.must_clear():
                super().clear()  # a purge missed while Redis was away: drop every copy
            result = operation(*args, **kwargs)
        except REDIS_UNREACHABLE as error:
            outage.failed(error, invalidates)
            return fallback
        outage.answered(lost)
        return result

    # Reads: an unreachable cache is an empty one.
    def get(self, key, default=None, version=None, client=None):
        return self._survive(default, False, super().get, key, default, version, client)

    def get_many(self, *args, **kwargs):
        return self._survive({}, False, super().get_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._survive(False, False, super().has_key, *args, **kwargs)

    # Writes: nothing is stored.
    def set(self, *args, **kwargs):
        return self._survive(False, False, super().set, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._survive(False, False, super().add, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._survive(list(data), False, super().set_many, data, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._survive(False, False, super().touch, *args, **kwargs)

    # Invalidations: remembered when lost, made good by emptying the cache on return.
    def delete(self, *args, **kwargs):
        return self._survive(False, True, super().delete, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._survive(0, True, super().delete_many, *args, **kwargs)

    def delete_pattern(self, *args, **kwargs):
        return self._survive(0, True, super().delete_pattern, *args, **kwargs)

    def clear(self):
        return self._survive(False, True, super().clear)
