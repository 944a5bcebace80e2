"""Serving restricted pages and documents: refuse, record, and keep out of every cache.

Wagtail itself sends an anonymous visitor to sign in (``WAGTAIL_FRONTEND_LOGIN_URL``). What it
does not do, and this module adds: a signed-in visitor who may not see a page or document gets a
plain 403 that names nothing (Wagtail would ask them to sign in again); every view of a
restricted page or document by a signed-in user goes into the access log; and every response
about a restricted page or document is marked private (``papers.caching`` then sends
``private, no-store`` and keeps no copy).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Page

from .caching import is_private, mark_private
from .confidentiality import AUDIENCE_AT_LEVEL, collection_level
from .models import AccessLogEntry, Decision
from .richtext import READER
from .visibility import view_restrictions, visible_decisions, visible_documents, visible_pages

NO_ACCESS = "You do not have access to this page."


def _check(request, restrictions):
    """None if there is nothing to enforce; raises PermissionDenied for a signed-in outsider."""
    restrictions = list(restrictions.prefetch_related("groups"))
    if not restrictions:
        return False
    mark_private(request)
    user = request.user
    if not user.is_authenticated:
        return False  # Wagtail's own check sends the visitor to /login/?next=...
    # Wagtail's own rule, on the request (a shared password passed in this session counts).
    if not all(restriction.accept_request(request) for restriction in restrictions):
        raise PermissionDenied(NO_ACCESS)
    return True


def record(request, object_type, obj, title, audience):
    AccessLogEntry.record(request, object_type, obj, title, audience)


def sign_in_first(request):
    """Send an anonymous visitor to sign in, as Wagtail's own check does."""
    login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or reverse(
        "wagtailcore_login"
    )
    return redirect_to_login(request.get_full_path(), login_url)


def record_reads(request, objects):
    """Log a signed-in user's reads of restricted pages, documents and decisions through the
    API (a listing or a detail), as views on the site are logged: one entry per item."""
    user = request.user
    objects = [o for o in objects if o is not None]
    if not (user.is_authenticated and objects):
        return
    anonymous, model = AnonymousUser(), type(objects[0])
    ids = [o.pk for o in objects]
    if isinstance(objects[0], Page):
        public = visible_pages(anonymous, Page.objects.filter(pk__in=ids))
        kind = "page"
    elif isinstance(objects[0], Decision):
        public = visible_decisions(anonymous, Decision.objects.filter(pk__in=ids))
        kind = "decision"
    else:
        public = visible_documents(anonymous, model.objects.filter(pk__in=ids))
        kind = "document"
    public = set(public.values_list("pk", flat=True))
    entries = []
    for obj in objects:
        if obj.pk in public:
            continue
        if kind == "document":
            audience = AUDIENCE_AT_LEVEL[collection_level(obj.collection)]
        elif kind == "decision":
            audience = getattr(obj.minutes, "audience", "")
        else:
            audience = getattr(obj.specific_deferred, "audience", "")
        entries.append(
            AccessLogEntry(
                user=user,
                username=user.get_username(),
                object_type=kind,
                object_id=obj.pk,
                object_title=str(getattr(obj, "title", obj))[:255],
                path=request.get_full_path()[:500],
                audience=audience or "",
            )
        )
    AccessLogEntry.objects.bulk_create(entries)


@hooks.register("before_serve_page", order=-100)
def guard_page(page, request, serve_args, serve_kwargs):
    # view_restrictions also follows an alias to its source and the source's ancestors.
    restrictions = view_restrictions(page).prefetch_related("groups")
    if _check(request, restrictions):
        record(request, "page", page, page.title, getattr(page.specific, "audience", ""))
    elif is_private(request) and not request.user.is_authenticated:
        return sign_in_first(request)  # restricted (_check marked it private), not signed in


@hooks.register("before_serve_document", order=-100)
def guard_document(document, request):
    if _check(request, document.collection.get_view_restrictions()):
        audience = AUDIENCE_AT_LEVEL[collection_level(document.collection)]
        record(request, "document", document, document.title, audience)


class ReaderMiddleware:
    """Rich text renders without the request: it learns the reader from here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = READER.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            READER.reset(token)
