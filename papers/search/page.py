"""The search page of any site using the add-on: ``search_page_context(request)``.

A site's own search view renders this context with its own template (this site:
``search/views.py`` and ``templates/search/search.html``).
"""

import logging
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import QueryDict
from wagtail.search.backends import get_search_backend

from . import forms as search_params
from .database import ResultWindow, runs_in_database, search_page
from .display import build_items
from .engine import DIMENSIONS, filter_and_count, find_hits, gc_paused, sort_hits
from .query import parse

logger = logging.getLogger(__name__)
PAGE_SIZE = 20


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list

    @property
    def any_selected(self):
        return any(option.selected for option in self.options)


def build_facets(params, counts):
    """Facet groups in a fixed order; an option shows when it has results or is ticked."""
    facets = []
    for dimension in DIMENSIONS:
        options = []
        for choice in params.options[dimension]:
            key = choice.value if choice.key is None else choice.key
            count = counts[dimension].get(key, 0)
            selected = choice.value in params.selected[dimension]
            if count or selected:
                options.append(FacetOption(choice.value, choice.label, count, selected))
        if options:
            facets.append(Facet(dimension, search_params.dimension_label(dimension), options))
    return facets


def _results(user, parsed, params):
    """The page of hits asked for (as a ResultWindow, or every hit) and the facet counts.

    On PostgreSQL one statement does it all (papers.search.database); on SQLite and
    Elasticsearch (a ranked window, not a queryset) the hits are filtered, counted and sorted
    in Python (papers.search.engine).
    """
    backend = get_search_backend()
    if runs_in_database(backend):
        return search_page(user, parsed, params, backend, PAGE_SIZE)
    with gc_paused():
        kept, counts = filter_and_count(find_hits(user, parsed), params)
        return sort_hits(kept, params.sort), counts


def search_page_context(request):
    """What the reader may see for the GET parameters: results, facets, notices, sorts."""
    params = search_params.read(request.GET, DIMENSIONS)
    parsed = parse(params.q)
    messages = params.messages + parsed.messages
    context = {"params": params, "parsed": parsed, "notices": messages, "searched": False}
    if parsed or params.has_filters:
        context["searched"] = True
        try:
            window, counts = _results(request.user, parsed, params)
        except DatabaseError:
            # The query was made safe before it reached the engine, so this is rare; the
            # reader still gets a page that says what happened rather than an error page.
            logger.exception("Search failed for %r", params.q)
            window, counts = ResultWindow(0, 0, []), {d: {} for d in DIMENSIONS}
            messages.append("Search could not run for those words. Try different words.")
        paginator = Paginator(window, PAGE_SIZE)
        page = paginator.get_page(params.page)
        kept = paginator.count
        if params.page > paginator.num_pages and kept:
            messages.append(
                f"There are only {paginator.num_pages} pages of results: this is the last."
            )
        context.update(
            total=paginator.count,
            results_page=page,
            items=build_items(request.user, request, list(page.object_list), parsed),
            facets=build_facets(params, counts),
            clear_filters_url="?"
            + params.querystring(**{d: set() for d in DIMENSIONS}, **{"from": "", "to": ""}),
        )
    context["sorts"] = [
        (value, label, params.querystring(sort=value, page=None))
        for value, label in search_params.SORTS.items()
    ]
    return context


def saved_search_params(querystring):
    """The search a query string describes (Params), read as the search page reads it."""
    return search_params.read(QueryDict(querystring or ""), DIMENSIONS)


def search_hits(user, querystring):
    """Every hit ``user`` may see for the search ``querystring`` describes, filtered, newest
    first (alerts: papers.alert_mail). None when it asks for nothing (no words, no filters)."""
    params = saved_search_params(querystring)
    parsed = parse(params.q)
    if not (parsed or params.has_filters):
        return None
    with gc_paused():
        kept, _counts = filter_and_count(find_hits(user, parsed), params)
        return sort_hits(kept, "newest")
