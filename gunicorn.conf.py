"""gunicorn's configuration for this site (read from the working directory: `gunicorn cms.wsgi`).

Every value can be overridden from the environment; see README "Running in production".
"""

import gc
import multiprocessing
import os

# Production settings unless the caller chose others (cms/wsgi.py alone would pick dev).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

cores = multiprocessing.cpu_count()

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes for the CPU (templates, queries' Python side), threads to overlap the waits on
# PostgreSQL and Redis. Each thread holds its own database connection: workers x threads must
# stay below PostgreSQL's max_connections (100 by default) across every instance of the site.
workers = int(os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or cores + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A worker silent for this long is replaced. A slow request in one of its threads does not
# count (the worker still answers): PostgreSQL's statement timeout bounds those (production.py).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Replace each worker after about this many requests, so slow growth of memory cannot pile up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# Load Django once in the master: workers start faster and share its memory, and a broken
# configuration stops the server at once instead of in every worker. No connection is opened
# while loading, so nothing is shared across the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in {"0", "false", "no", "off"}

# Access log and errors to stdout/stderr, for the service manager or container to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# X-Forwarded-Proto/-For are believed only from these addresses (the reverse proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files in memory: a slow or full disk must not get healthy workers killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicornc's control socket is off: its default path is one per user account, which two sites
# (or a test beside a running server) on the same machine would take from each other.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def when_ready(server):
    """Freeze what loading Django made, before the workers are forked from it.

    A worker's full garbage collections otherwise walk the ~200,000 objects of the loaded site on
    every pass (260-290 ms each under load, about one request in twenty); frozen objects are left
    out of them and stay shared with the master instead of being copied on write.
    """
    if preload_app:
        gc.collect()
        gc.freeze()
