"""Serving restricted pages and documents: refuse, record, and keep out of every cache.

Wagtail itself sends an anonymous visitor to sign in (``WAGTAIL_FRONTEND_LOGIN_URL``). What it
does not do, and this module adds: a signed-in visitor who may not see a page or document gets a
plain 403 that names nothing (Wagtail would ask them to sign in again); every view of a
restricted page or document by a signed-in user goes into the access log; and every response
about a restricted page or document is marked private (``papers.caching`` then sends
``private, no-store`` and keeps no copy).

A board member whose groups would admit them but who has not completed the training the site
requires first (``papers.visibility.missing_training``) gets a page naming the modules and how
to complete them, and the refusal goes into the access log.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Page

from .caching import is_private, mark_private
from .confidentiality import AUDIENCE_AT_LEVEL, collection_level
from .models import AccessLogEntry, Decision
from .richtext import READER
from .visibility import (
    missing_training,
    request_scope,
    restriction_admits,
    view_restrictions,
    visible_decisions,
    visible_documents,
    visible_pages,
)

NO_ACCESS = "You do not have access to this page."
TRAINING_REFUSED = "training required"
TRAINING_REQUIRED_TEMPLATE = "papers/training_required.html"
GATED = "gated"


def _check(request, restrictions):
    """False if there is nothing to enforce (or the visitor is anonymous), True for a reader
    who may see it, ``GATED`` for a board member held back by training; raises
    PermissionDenied for a signed-in outsider."""
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
    # Their own groups admit them; the visibility rules (training first) may still not.
    if not all(restriction_admits(restriction, user) for restriction in restrictions):
        if missing_training(user):
            return GATED
        raise PermissionDenied(NO_ACCESS)
    return True


def training_required(request, object_type, obj, audience):
    """The page for a board member held back by training: the modules to complete and how,
    nothing about what they asked for; the refusal is logged."""
    record(request, object_type, obj, obj.title, audience, outcome=TRAINING_REFUSED)
    context = {"modules": missing_training(request.user)}
    return render(request, TRAINING_REQUIRED_TEMPLATE, context, status=403)


def record(request, object_type, obj, title, audience, outcome="viewed"):
    AccessLogEntry.record(request, object_type, obj, title, audience, outcome)


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
    restricted = [obj for obj in objects if obj.pk not in public]
    audiences = page_audiences(restricted) if kind == "page" else {}
    collection_audiences = {}  # a page of documents comes from a few collections
    entries = []
    for obj in restricted:
        if kind == "document":
            if obj.collection_id not in collection_audiences:
                level = collection_level(obj.collection)
                collection_audiences[obj.collection_id] = AUDIENCE_AT_LEVEL[level]
            audience = collection_audiences[obj.collection_id]
        elif kind == "decision":
            audience = getattr(obj.minutes, "audience", "")
        else:
            audience = audiences.get(obj.pk, "")
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


def page_audiences(pages):
    """{page id: audience} of ``pages`` whose type has one: read from the page when it is
    already specific, else one query per page type (not one per page: a listing of 20
    restricted papers read their audiences one by one)."""
    found, wanted = {}, defaultdict(list)
    for page in pages:
        if _has_audience(type(page)):
            found[page.pk] = page.audience
        else:
            wanted[page.content_type_id].append(page.pk)
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and _has_audience(model):
            found.update(model.objects.filter(pk__in=ids).values_list("pk", "audience"))
    return found


def _has_audience(model):
    return any(field.name == "audience" for field in model._meta.concrete_fields)


@hooks.register("before_serve_page", order=-100)
def guard_page(page, request, serve_args, serve_kwargs):
    # view_restrictions also follows an alias to its source and the source's ancestors.
    restrictions = view_restrictions(page).prefetch_related("groups")
    checked = _check(request, restrictions)
    audience = getattr(page.specific, "audience", "") if checked else ""
    if checked == GATED:
        return training_required(request, "page", page, audience)
    if checked:
        record(request, "page", page, page.title, audience)
    elif is_private(request) and not request.user.is_authenticated:
        return sign_in_first(request)  # restricted (_check marked it private), not signed in


@hooks.register("before_serve_document", order=-100)
def guard_document(document, request):
    checked = _check(request, document.collection.get_view_restrictions())
    if checked:
        audience = AUDIENCE_AT_LEVEL[collection_level(document.collection)]
        if checked == GATED:
            return training_required(request, "document", document, audience)
        record(request, "document", document, document.title, audience)


class ReaderMiddleware:
    """Rich text renders without the request: it learns the reader from here. Also the scope
    in which papers.visibility keeps a reader's hidden subtrees (``request_scope``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = READER.set(getattr(request, "user", None))
        try:
            with request_scope():
                return self.get_response(request)
        finally:
            READER.reset(token)
