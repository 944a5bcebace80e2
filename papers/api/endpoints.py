"""The read-only API's endpoints (Wagtail API v2): pages, decisions, documents and images.

Every endpoint shows only what the requester may see, decided by ``papers.visibility``: an
anonymous client gets the public site, a signed-in board member (session cookie) also gets board
papers. Search (``?search=``) runs over the already-filtered queryset, so it cannot find what
the listing would not show. Answers for a signed-in user are private (papers.caching decides
Cache-Control for every response); anonymous answers are cached like public pages.
"""

import re

from django.conf import settings
from django.db.models import Q
from rest_framework.authentication import SessionAuthentication
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.serializers import BaseSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page

from .. import visibility
from ..access import record_reads
from ..models import Decision
from ..search.ranked import bounded
from .filters import (
    BoundedPagination,
    ValidatedFieldsFilter,
    check_detail_pk,
    check_id_parameters,
    requester,
)

WORDS = re.compile(r"\w+")
MAX_SEARCH = 200


class VisibleSearchFilter(SearchFilter):
    """Wagtail's ``?search=`` over a queryset already narrowed to what the requester may see.

    The narrowing is handed to the search backend as ``pk IN (subquery)``: a filter on the
    indexed ``id`` field that the search backends accept, where the tree subqueries behind it
    are not. The database backends run it inside the search's own query, so the visible ids are
    never fetched (at 10,000 papers the list took seconds); Elasticsearch has to evaluate the
    subquery into a ``terms`` filter itself, as it would any ``pk__in``. Ordered by relevance
    on a database backend, the count and the page are each one query over the index, scored
    once (papers.search.ranked): Wagtail's SQLite backend scored each match with a query of
    its own, minutes for a common word at 10,000 papers.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return super().filter_queryset(request, queryset, view)
        # Plain words only: quotes, brackets and operators mean nothing to the API's search
        # and would reach the engine's own query syntax (an unbalanced quote was a 500).
        words = WORDS.findall(request.GET["search"][:MAX_SEARCH].replace("\x00", " "))
        if not words:
            raise BadRequestError("search must contain at least one word or number")
        ordering = queryset.query.order_by
        visible = queryset.order_by().values("pk")
        queryset = queryset.model.objects.filter(pk__in=visible).order_by(*ordering)
        request.GET = request.GET.copy()
        request.GET["search"] = " ".join(words)
        return bounded(super().filter_queryset(request, queryset, view), narrowed_by=visible)


def with_checked_filters(filter_backends):
    """Wagtail's filter backends with ours in place of its search and field filters."""
    replaced = {SearchFilter: VisibleSearchFilter, FieldsFilter: ValidatedFieldsFilter}
    return [replaced.get(f, f) for f in filter_backends]


class PrivateWhenSignedInMixin:
    """Session sign-in only (no Basic auth beside the rate-limited sign-in form); parameters
    validated (papers.api.filters) and reads of restricted items access-logged."""

    authentication_classes = [SessionAuthentication]
    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs):
        # Before Wagtail reads any parameter: ?site=%00 reached PostgreSQL (a server error)
        # while building the base queryset, ahead of check_query_parameters.
        super().initial(request, *args, **kwargs)
        check_id_parameters(request)

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        check_id_parameters(self.request)

    def detail_view(self, request, pk):
        check_detail_pk(pk)
        response = super().detail_view(request, pk)
        record_reads(request, [self.get_object()])
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            record_reads(self.request, list(page))
        return page

    def find_object(self, queryset, request):
        check_id_parameters(request)  # ?id=abc was a server error; NULs in html_path too
        return super().find_object(queryset, request)


class BoardPagesAPIViewSet(PrivateWhenSignedInMixin, PagesAPIViewSet):
    filter_backends = with_checked_filters(PagesAPIViewSet.filter_backends)

    def get_base_queryset(self):
        """The requested site's live pages that the reader may see (papers.visibility).

        Wagtail's own base (``get_public_pages_queryset``) also drops what lies under each
        restriction the request fails, asking the database for that restriction's groups and
        the user's groups once per restriction, twice a request (28 of a member's 59 queries),
        and adds a condition per restriction to every query. The site's rule admits no more
        than Wagtail's does and is what every HTML page is served by, so only Wagtail's site
        scoping is kept; built once a request (the listing and its serializer both ask).
        """
        cached = getattr(self, "_visible_base", None)
        if cached is None:
            cached = visibility.visible_pages(requester(self.request), self._site_pages())
            self._visible_base = cached
        return cached

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is not Page:
            # One ``?type=``: Wagtail reads it as ``Model.objects.filter(pk__in=<the base>)``,
            # and SQLite built the list of every visible page id for each query. The same rows,
            # from the type's own table with the same scoping and visibility:
            return visibility.visible_pages(
                requester(self.request), self._site_pages(queryset.model)
            )
        return queryset

    def _site_pages(self, model=Page):
        """Live pages (of ``model``) of ``?site=`` (or the request's site), as Wagtail scopes
        them."""
        try:
            site = SiteFilterValidator(
                site=self.request.GET.get("site"), request=self.request
            ).site_obj
        except ValueError as e:
            raise BadRequestError(str(e)) from e
        pages = model.objects.live()
        if site is None:
            return pages.none()
        roots = [site.root_page]
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            roots += site.root_page.get_translations()
        # A page and its descendants are the pages whose tree path starts with its own: the
        # same rows as ``descendant_of(root, inclusive=True)``, without its ``depth >= root's``,
        # for which SQLite read the pages through the (depth, path) index and sorted them all
        # by path to list twenty (16 ms of a typed listing at 10,000 papers, against 1 ms).
        scoped = Q()
        for root in roots:
            scoped |= Q(path__startswith=root.path)
        return pages.filter(scoped)


class BoardDocumentsAPIViewSet(PrivateWhenSignedInMixin, DocumentsAPIViewSet):
    filter_backends = with_checked_filters(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        return visibility.visible_documents(requester(self.request), super().get_queryset())


class BoardImagesAPIViewSet(PrivateWhenSignedInMixin, ImagesAPIViewSet):
    """Images carry no privacy of their own in Wagtail; those kept in a restricted collection
    are listed only for people who pass that collection's restriction, like documents."""

    filter_backends = with_checked_filters(ImagesAPIViewSet.filter_backends)

    def get_queryset(self):
        # visible_documents' collection rule applies to anything kept in collections.
        return visibility.visible_documents(requester(self.request), super().get_queryset())


class DecisionsAPIViewSet(PrivateWhenSignedInMixin, BaseAPIViewSet):
    """The decisions register as data: each decision of minutes the requester may see."""

    base_serializer_class = BaseSerializer
    filter_backends = [ValidatedFieldsFilter, OrderingFilter]
    model = Decision
    name = "decisions"
    body_fields = BaseAPIViewSet.body_fields + [
        "reference",
        "title",
        "outcome",
        "key_decision_reference",
        "cabinet_committee",
        "meeting_date",
        "minutes",
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "reference",
        "title",
        "outcome",
        "key_decision_reference",
        "meeting_date",
    ]

    def get_queryset(self):
        return (
            visibility.visible_decisions(requester(self.request), Decision.objects.all())
            .select_related("minutes", "cabinet_committee", "proposal")
            .order_by("-minutes__paper_date", "minutes_id", "sort_order")
        )
