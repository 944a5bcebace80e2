"""This site's search page, calling the board papers add-on's permission-aware search."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from papers.search.page import search_page_context


@require_GET
@never_cache
def search(request):
    """/search/: what the reader may see, with filters, facet counts and highlighted snippets."""
    return render(request, "search/search.html", search_page_context(request))
