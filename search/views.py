"""The search page and the decisions register."""

import logging
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import params as search_params
from .display import build_items
from .engine import DIMENSIONS, filter_and_count, find_hits, gc_paused, sort_hits
from .query import parse
from .register import register_context

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
    ids = {dimension: _slug_to_id(dimension) for dimension in ("area", "committee")}
    facets = []
    for dimension in DIMENSIONS:
        options = []
        for choice in params.options[dimension]:
            key = ids[dimension].get(choice.value) if dimension in ids else choice.value
            count = counts[dimension].get(key, 0)
            selected = choice.value in params.selected[dimension]
            if count or selected:
                options.append(FacetOption(choice.value, choice.label, count, selected))
        if options:
            facets.append(Facet(dimension, search_params.dimension_label(dimension), options))
    return facets


def _slug_to_id(dimension):
    from papers.models import CabinetCommittee, ServiceArea

    model = ServiceArea if dimension == "area" else CabinetCommittee
    return dict(model.objects.values_list("slug", "pk"))


@require_GET
@never_cache
def search(request):
    """/search/: what the reader may see, with filters, facet counts and highlighted snippets."""
    params = search_params.read(request.GET, DIMENSIONS)
    parsed = parse(params.q)
    messages = params.messages + parsed.messages
    context = {"params": params, "parsed": parsed, "notices": messages, "searched": False}
    if parsed or params.has_filters:
        context["searched"] = True
        with gc_paused():
            try:
                hits = find_hits(request.user, parsed)
            except DatabaseError:
                # The query was made safe before it reached the engine, so this is rare; the
                # reader still gets a page that says what happened rather than an error page.
                logger.exception("Search failed for %r", params.q)
                hits = []
                messages.append("Search could not run for those words. Try different words.")
            kept, counts = filter_and_count(hits, params)
            sort_hits(kept, params.sort)
            paginator = Paginator(kept, PAGE_SIZE)
            page = paginator.get_page(params.page)
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
    return render(request, "search/search.html", context)


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def decisions(request):
    """/decisions/: every decision the reader may see, newest first, filterable."""
    context = register_context(request)
    return render(request, "search/decisions.html", context)
