import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) in the environment.")

TASKS = extraction_tasks("database")  # noqa: F405 - text extraction needs `db_worker`

# Each gunicorn thread keeps its database connection for a minute instead of opening one per
# request; base.py checks a kept connection before reuse (CONN_HEALTH_CHECKS), so a restart of
# PostgreSQL costs no failed request. 0 closes it after each request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
# gunicorn's thread workers are not stopped by its timeout while a request waits on the
# database, so PostgreSQL cancels any statement running longer than this (seconds; 0: never).
# Long migrations: DATABASE_STATEMENT_TIMEOUT=0 manage.py migrate.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    statement_timeout = int(float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30")) * 1000)
    DATABASES["default"]["OPTIONS"]["options"] += f" -c statement_timeout={statement_timeout}"  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off only to try the production server over plain http on a laptop (`make serve`).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
