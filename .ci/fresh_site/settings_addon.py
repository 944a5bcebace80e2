# --- The board papers add-on, as README "Use it in your own Wagtail site" sets it up ---------
# Appended to a fresh `wagtail start` project's settings/base.py by .ci/install-check.
# ruff: noqa: F821 (INSTALLED_APPS and MIDDLEWARE are the project's own, defined above this)

INSTALLED_APPS = [
    # Before Wagtail's apps: the add-on overrides a few of the admin's templates.
    "papers",
    "papers.two_factor",
    *INSTALLED_APPS,
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django.contrib.sitemaps",
]


def _after(middleware, anchor, *added):
    at = middleware.index(anchor) + 1
    return [*middleware[:at], *added, *middleware[at:]]


# First: Cache-Control for every response and the server's copy of anonymous public ones
# (papers.caching); it must see the cookies the middleware below may set.
MIDDLEWARE = ["papers.caching.PageCacheMiddleware", *MIDDLEWARE]
MIDDLEWARE = _after(
    MIDDLEWARE,
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor for admin users; rich text learns who is reading.
    "django_otp.middleware.OTPMiddleware",
    "papers.two_factor.middleware.TwoFactorMiddleware",
    "papers.access.ReaderMiddleware",
)
MIDDLEWARE = _after(
    MIDDLEWARE,
    "django.contrib.messages.middleware.MessageMiddleware",
    "papers.review.ApprovalConfirmationMiddleware",
)
MIDDLEWARE += [
    "axes.middleware.AxesMiddleware",  # refuse a locked-out sign-in before any view runs
    "papers.caching.FetchFromPageCacheMiddleware",  # last: stored copies go to anonymous only
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The add-on's own settings: one dictionary, every key optional (papers/conf.py).
BOARD_PAPERS = {
    "SECTION_PARENT_PAGE_MODEL": "home.HomePage",
    "COUNCIL_NAME": "Anyshire County Council",
}

# Documents: the add-on's model, served only through Wagtail's permission-checking view.
WAGTAILDOCS_DOCUMENT_MODEL = "papers.BoardDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "papers.document_forms.BoardDocumentForm"
# Approving publishes exactly the revision the Chair reviewed; sign-in on the public site.
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "papers.approval.publish_approved_revision"
LOGIN_URL = "login"
WAGTAIL_FRONTEND_LOGIN_URL = "/login/"
AXES_LOCKOUT_CALLABLE = "papers.auth_views.locked_out"
# Background tasks (django-tasks): the add-on reads the text of uploads on its "extraction"
# backend; immediate here, a database backend and a worker in production.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "extraction": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
