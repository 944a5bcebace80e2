"""The fresh project's /search/, pointed at the add-on's permission-aware search (README "Use it
in your own Wagtail site"): copied over the `search/views.py` that `wagtail start` makes."""

from django.template.response import TemplateResponse

from papers.search.page import search_page_context


def search(request):
    return TemplateResponse(request, "search/search.html", search_page_context(request))
