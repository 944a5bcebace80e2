"""This site's search page, calling the board papers add-on's permission-aware search."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from papers.search.page import search_page_context


# Anonymous answers are cached like any public page (papers.caching): a spike of visitors
# searching the same words costs one search; a signed-in reader's answers are never kept.
@require_GET
def search(request):
    """/search/: what the reader may see, with filters, facet counts and highlighted snippets."""
    return render(request, "search/search.html", search_page_context(request))
