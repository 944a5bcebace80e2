"""Validation of the API's query parameters: a bad value is a 400 that says what was wrong.

Wagtail's own filters convert integers, booleans and foreign keys, but hand any other value
(a date, a decimal, a many-to-many id) straight to the database, and accept integers beyond
64 bits, so ``?paper_date=2025-02-30`` or ``?offset=99999999999999999999`` was a server error.
Here every value goes through its model field's own ``to_python`` and validators (which carry
the database's integer range), and the id-like operations are checked the same way.

A filter on a relation to a page the requester may not see matches nothing, exactly as an id
that does not exist: ``?proposal=<board-only id>`` must not tell which public decisions
concern a confidential paper.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ForeignObjectRel
from django.http import Http404
from taggit.managers import TaggableManager
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page

from .. import visibility
from ..caching import cached_count
from ..search.ranked import RankedResults

# Ids are positive and fit in a signed 64-bit column on every database we support.
MAX_ID = 2**63 - 1
# No listing has a billion items; beyond this an offset is a mistake, not a page.
MAX_OFFSET = 10**9
ID_PARAMETERS = ("child_of", "descendant_of", "ancestor_of", "translation_of", "id")


def requester(request):
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


def parse_id(name, raw, *, allow=()):
    """An id parameter as an int, or a BadRequestError naming it."""
    if raw in allow:
        return raw
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= MAX_ID:
        raise BadRequestError(f"{name} must be a whole number from 0 to {MAX_ID}")
    return value


def check_id_parameters(request):
    """Id parameters must be ids; no parameter may hold a NUL character (PostgreSQL refuses
    one in any string, so ``?html_path=%00`` or ``?locale=%00`` would be a server error)."""
    for name, values in request.GET.lists():
        if any("\x00" in value for value in values):
            raise BadRequestError(f"null characters are not allowed in {name[:50]}")
    for name in ID_PARAMETERS:
        if name in request.GET:
            parse_id(name, request.GET[name], allow=("root",) if name == "child_of" else ())


def check_detail_pk(pk):
    """A detail URL's id beyond any column's range is simply not found."""
    if not 0 <= int(pk) <= MAX_ID:
        raise Http404("not found")


def _message(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def to_filter_value(field, name, raw):
    """``raw`` as the field's Python value, or a BadRequestError saying why it is not one."""
    if "\x00" in raw:
        raise BadRequestError(f"field filter error. null characters are not allowed for {name}")
    if isinstance(field, ForeignObjectRel):  # e.g. ?agenda_items=<id>: the child's id
        target = field.related_model._meta.pk
    elif field.is_relation:
        target = field.target_field
    else:
        target = field
    try:
        if isinstance(target, models.BooleanField):
            value = {"true": True, "1": True, "false": False, "0": False}[raw.lower()]
        else:
            value = target.to_python(raw)
            target.run_validators(value)
            if isinstance(target, models.CharField | models.TextField) or value is None:
                return value
    except (KeyError, ValueError, TypeError, ValidationError) as error:
        detail = _message(error) if not isinstance(error, KeyError) else "use true or false"
        raise BadRequestError(
            f"field filter error. '{raw[:100]}' is not a valid value for {name} ({detail})"
        ) from error
    return value


def _is_page_relation(field):
    if isinstance(field, ForeignObjectRel):
        return False  # a page's own child records
    related = getattr(field, "related_model", None)
    return isinstance(related, type) and issubclass(related, Page)


def filter_by_tag(queryset, field, tag):
    """Objects carrying ``tag``. For a tag relation by foreign key (the board pages' tags,
    declared on wagtailcore.Page) the ids come from the tag table itself: joining through the
    relation from a page type's queryset uses the wrong id column (a server error on
    ``?type=papers.MeetingPage&tags=...``). Generic tags (documents) filter as Wagtail does."""
    through = field.through
    target = through._meta.get_field("content_object")
    if isinstance(target, models.ForeignKey):
        return queryset.filter(pk__in=through.objects.filter(tag__name=tag).values(target.attname))
    return queryset.filter(**{f"{field.name}__name": tag})


class ValidatedFieldsFilter(FieldsFilter):
    """Wagtail's ``?<field>=<value>`` filter with every value validated by its field, and
    relations to pages limited to the pages the requester may see."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        fields.discard("locale")  # a filter of its own
        for name, raw in request.GET.items():
            if name not in fields:
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except LookupError:
                field = None
            if isinstance(field, TaggableManager):
                if "\x00" in raw:
                    raise BadRequestError(
                        f"field filter error. null characters are not allowed for {name}"
                    )
                for tag in raw.split(","):
                    queryset = filter_by_tag(queryset, field, tag)
                queryset._filtered_by_tag = True  # Wagtail's search refuses tags + search
                continue
            if field is None:
                continue
            value = to_filter_value(field, name, raw)
            if _is_page_relation(field) and value is not None:
                user = requester(request)
                if not visibility.visible_pages(user, Page.objects.filter(pk=value)).exists():
                    return queryset.none()  # as for an id that does not exist
            queryset = queryset.filter(**{name: value})
        return queryset


class BoundedPagination(WagtailPagination):
    """Wagtail's offset/limit pagination, with an offset the database can take and the total
    kept for the page cache's generation (``papers.caching.cached_count``): every page of a
    listing, and every reader who sees the same rows, share one count. At 100,000 papers the
    count was most of a listing's cost, paid again for each offset a crawler asked for and on
    every request of a signed-in reader (whose answers are never cached whole)."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.GET.get("offset", "0")
        try:
            offset = int(raw)
        except (TypeError, ValueError):
            offset = -1
        if not 0 <= offset <= MAX_OFFSET:
            raise BadRequestError(f"offset must be a whole number from 0 to {MAX_OFFSET}")
        if isinstance(queryset, models.QuerySet):  # search results count themselves
            queryset = CountKept(queryset)
        elif isinstance(queryset, RankedResults):
            queryset = queryset.expecting(offset, offset + _requested_limit(request))
        return super().paginate_queryset(queryset, request, view)


def _requested_limit(request):
    """The ``limit`` Wagtail's pagination will read; any number when it is not one (Wagtail
    then refuses the request before anything is counted or read)."""
    limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    try:
        return int(request.GET.get("limit", min(20, limit_max) if limit_max else 20))
    except (TypeError, ValueError):
        return 0


class CountKept:
    """``queryset`` as Wagtail's pagination reads it (its count, then one slice), with the
    count from ``cached_count``."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return cached_count(self.queryset)

    def __getitem__(self, key):
        return self.queryset[key]
