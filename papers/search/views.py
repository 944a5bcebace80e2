"""The add-on's decisions register (``papers.search.urls``)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .register import register_context


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def decisions(request):
    """/decisions/: every decision the reader may see, newest first, filterable."""
    return render(request, "papers/decisions.html", register_context(request))
