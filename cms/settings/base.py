"""Settings shared by every environment; each value that differs between machines is read
from the environment so the same code runs on a laptop, in CI and in production."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "papers",
    "search",
    "demo",  # seed_demo: this site's demo content, not part of the add-on
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "papers.two_factor",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # An ETag on every public response, and 304 when it matches, cached copies included.
    "django.middleware.http.ConditionalGetMiddleware",
    # Cache-Control for every response, and the server's copy of anonymous public ones
    # (papers.caching): first, so it sees the cookies the middleware below may set.
    "papers.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (settings below).
    "papers.security_headers.BoardCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware, which saves the session it marks for renewal (cms.sessions).
    "cms.sessions.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in: who gave a code this session, then hold back those who must and have
    # not (every admin URL included; papers.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "papers.two_factor.middleware.TwoFactorMiddleware",
    # Rich text learns who is reading (papers.access).
    "papers.access.ReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # "You approved ...: it is now live" after the Chair approves (papers.review).
    "papers.review.ApprovalConfirmationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that a locked-out sign-in is answered before any view runs.
    "axes.middleware.AxesMiddleware",
    # After authentication: a stored copy only ever goes to an anonymous visitor.
    "papers.caching.FetchFromPageCacheMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# With nothing set, the site runs on the embedded SQLite database.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A connection kept open is checked before each request reuses it, so requests succeed
        # again once the database is back after a restart (no restart of the site needed).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compiling: every query here is short, and compiling one (chosen by its priced
    # cost, which a search's full-text match makes high) took longer than running it.
    # An index lookup priced near a sequential read (PostgreSQL's default, 4, is for spinning
    # disks): a board's papers fit in memory, and at 4 the planner scanned every page to join
    # the 500 Key Decisions ahead to theirs.
    random_page_cost = float(os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"))
    # No parallel workers by default: the site serves several requests at once, so a worker
    # only takes a core from another (README, "Running in production": four API searches at
    # once at 100,000 papers were served at 9 a second without workers, 7 with).
    parallel_workers = int(os.environ.get("DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", "0"))
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["options"] = (
        f"{database_options.get('options', '')} -c jit=off -c random_page_cost={random_page_cost} "
        f"-c max_parallel_workers_per_gather={parallel_workers}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# New and changed passwords are hashed with Argon2id (cms.hashers); a password hashed with
# Django's PBKDF2 default still signs in, and is rehashed with Argon2id when it does.
PASSWORD_HASHERS = [
    "cms.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after SESSION_IDLE_HOURS without a request and, by default, when the browser
# closes. Signing out deletes the session on the server. A request renews the expiry once the
# last renewal is SESSION_RENEWAL_SECONDS old (cms.sessions), not on every request: an idle
# session ends up to that much sooner, never later.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "4")) * 3600)
SESSION_RENEWAL_SECONDS = int(os.environ.get("SESSION_RENEWAL_SECONDS", "300"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Caching: Redis when REDIS_URL is set, process memory otherwise. Pages that depend on who
# is signed in are never put in a shared cache (see papers.confidentiality). While Redis is
# unreachable the site serves uncached, with one warning in the log (cms.cache_backends).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "cms.cache_backends.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                # A Redis that does not answer costs a request at most this long, and then
                # nothing for RETRY_AFTER seconds (the cache is skipped meanwhile).
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "1")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "1")),
                "RETRY_AFTER": float(os.environ.get("REDIS_RETRY_AFTER", "5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database (Django's engine, with cms.sessions' renewal; never the cache),
# so nobody is signed out and no sign-in fails while Redis is down.
SESSION_ENGINE = "cms.sessions"

# Anonymous public responses (papers.caching): kept by the server in a cache alias of their own
# for PAGE_CACHE_SECONDS, dropped at once on every event that changes what the public may see
# (papers.cache_invalidation); browsers revalidate each time (PAGE_CACHE_MAX_AGE 0: none of
# them shows a page after it was restricted), CDNs keep them PAGE_CACHE_SHARED_MAX_AGE seconds
# (purged on the same events when WAGTAILFRONTENDCACHE is set). The alias must be shared by every server process:
# Redis, or files on this machine; never process memory under gunicorn's several workers.
PAGE_CACHE = {
    "ENABLED": env_bool("PAGE_CACHE", True),
    "ALIAS": "pages",
    "SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "300")),
    "MAX_AGE": int(os.environ.get("PAGE_CACHE_MAX_AGE", "0")),
    "SHARED_MAX_AGE": int(os.environ.get("PAGE_CACHE_SHARED_MAX_AGE", "60")),
}
if os.environ.get("REDIS_URL"):
    # The same outage-proof backend as the default alias: a purge lost while Redis was away
    # empties the cache when it returns (papers.caching.clear_page_cache deletes a key).
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PAGE_CACHE_DIR", str(BASE_DIR / ".page-cache")),
    }

# A CDN in front of the site is purged on the same events (Wagtail's frontend cache):
# FRONTEND_CACHE_BACKEND=cloudflare with CLOUDFLARE_BEARER_TOKEN and CLOUDFLARE_ZONE_ID, or
# FRONTEND_CACHE_BACKEND=http with FRONTEND_CACHE_PURGE_URL (Varnish, Squid, nginx: an HTTP
# PURGE of each address sent there). Unset: no CDN purge.
FRONTEND_CACHE_BACKENDS = {
    "cloudflare": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    },
    "http": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    },
}
if os.environ.get("FRONTEND_CACHE_BACKEND"):
    backend = os.environ["FRONTEND_CACHE_BACKEND"]
    if backend not in FRONTEND_CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND must be one of {', '.join(FRONTEND_CACHE_BACKENDS)}."
        )
    try:
        WAGTAILFRONTENDCACHE = {"default": FRONTEND_CACHE_BACKENDS[backend]()}
    except KeyError as missing:
        raise ImproperlyConfigured(f"FRONTEND_CACHE_BACKEND={backend} needs {missing}.") from None
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "board-papers@example.gov.uk")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "Commissioning Advisory Board"
# The board papers add-on (papers.conf): its sections sit under this site's home page.
BOARD_PAPERS = {
    "SECTION_PARENT_PAGE_MODEL": "home.HomePage",
    # An agenda item may also consider a standard page (e.g. a review of the board).
    "EXTRA_PAPER_PAGE_MODELS": ["home.StandardPage"],
    # Shown above the board's name in every page header.
    "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "County Council"),
    # Document files live here, outside MEDIA_ROOT; never let the web server publish it
    # (papers.storage). Default: MEDIA_ROOT's sibling "<media>-private", e.g. media-private/.
    "PRIVATE_MEDIA_ROOT": os.environ.get("PRIVATE_MEDIA_ROOT") or None,
    # Board-only papers wait for the required training modules (on unless set to "false").
    "REQUIRE_TRAINING_FOR_BOARD_PAPERS": env_bool("REQUIRE_TRAINING_FOR_BOARD_PAPERS", True),
}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_DOCUMENT_MODEL = "papers.BoardDocument"
# Documents are only ever served through Wagtail's view, which checks collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Only the Chair makes a document less restricted; uploads start in "Board papers".
WAGTAILDOCS_DOCUMENT_FORM_BASE = "papers.document_forms.BoardDocumentForm"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Deliberately Wagtail's default: clean PDFs and plain text open in the browser (PDFs with
# scripts or launch/submit actions are refused at upload, papers.uploads); all else downloads.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]

# Background tasks (django-tasks). Wagtail's own tasks stay immediate on "default"; reading the
# text of uploads runs on "extraction": TASKS_BACKEND=database (production's default) queues it
# for `manage.py db_worker --backend extraction`; "immediate" (dev, tests) runs it at once.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def extraction_tasks(default):
    name = os.environ.get("TASKS_BACKEND", default)
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}.")
    return {
        "default": {"BACKEND": TASK_BACKENDS["immediate"]},
        "extraction": {"BACKEND": TASK_BACKENDS[name]},
    }


TASKS = extraction_tasks("immediate")
# Limits of the child process that parses one upload (papers.sandbox).
EXTRACTION_TIMEOUT = int(os.environ.get("EXTRACTION_TIMEOUT", "60"))
EXTRACTION_MEMORY_MB = int(os.environ.get("EXTRACTION_MEMORY_MB", "768"))
WAGTAIL_PASSWORD_PROTECTED_PAGE_TEMPLATE = "wagtailcore/password_required.html"
# English stemming on PostgreSQL ("commissioned" finds "commissioning"); SQLite's FTS5 ignores it.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
if os.environ.get("ELASTICSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [os.environ["ELASTICSEARCH_URL"]],
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "boardpapers"),
            "TIMEOUT": 10,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: no third-party requests from the admin (and none in the CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Approval publishes the revision the Chair reviewed, not a newer one (papers.approval).
WAGTAIL_FINISH_WORKFLOW_ACTION = "papers.approval.publish_approved_revision"

# Repeated failed sign-ins lock the account and address out for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
# Locked out is the pair (account, address): an attacker's address is refused while the real
# person signs in from their own. Behind TRUSTED_PROXY_COUNT reverse proxies the address is the
# one the proxies report in X-Forwarded-For (papers.client_address), not the proxy's own.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "papers.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "papers/registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "papers.auth_views.locked_out"  # the template, with minutes to wait
# Two-factor sign-in (papers.two_factor): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Commissioning Advisory Board")

# Wagtail sends an anonymous visitor to a private page here; a signed-in one without access
# gets a plain 403 instead (papers.access).
WAGTAIL_FRONTEND_LOGIN_URL = "/login/"

REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": None}
# The read-only API (papers.api, routed in cms/urls.py): up to 100 items a request for people re-using the data.
WAGTAILAPI_LIMIT_MAX = 100
# The API's own links (detail_url, find/ redirects) use the site's public address.
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Content-Security-Policy (django-csp) and Permissions-Policy (django-permissions-policy) --
# One strict policy for the site and the admin; nothing inline may run. Responses that set
# their own (documents: default-src 'none') keep it. papers.security_headers allows framing by
# the admin itself only for the views Wagtail marks SAMEORIGIN (page previews).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}
PERMISSIONS_POLICY["fullscreen"] = ["self"]  # the admin's own full-screen editing and preview
