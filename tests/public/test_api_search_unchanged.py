"""The API's ?search= runs the visibility filter inside the search's own query; it finds exactly
what it found when the visible ids were first fetched into a list and handed to the search."""

import pytest
from django.core.management import call_command
from wagtail.api.v2.filters import SearchFilter

from papers.api.endpoints import WORDS, VisibleSearchFilter
from tests.public.helpers import board_member, build_content, councillor

pytestmark = pytest.mark.django_db


def filter_through_a_list_of_ids(self, request, queryset, view):
    """The implementation before: every visible id fetched, then ``pk__in`` that list."""
    if "search" not in request.GET:
        return SearchFilter.filter_queryset(self, request, queryset, view)
    words = WORDS.findall(request.GET["search"])
    ids = list(queryset.values_list("pk", flat=True))
    ordering = queryset.query.order_by
    queryset = queryset.model.objects.filter(pk__in=ids).order_by(*ordering)
    request.GET = request.GET.copy()
    request.GET["search"] = " ".join(words)
    return SearchFilter.filter_queryset(self, request, queryset, view)


QUERIES = [
    {"search": "home care"},
    {"search": "Flumpington depot"},
    {"search": "Wobblecombe"},
    {"search": "minutes", "order": "title"},
    {"search": "care", "type": "papers.ProposalPage", "fields": "summary"},
    {"search": "care", "search_operator": "or", "limit": 2, "offset": 1},
    {"search": "Xylophonequark"},
]


@pytest.mark.parametrize("who", ["anonymous", "councillor", "board"])
def test_api_search_finds_the_same_as_through_a_list_of_ids(client, monkeypatch, who):
    content = build_content()
    call_command("update_index", verbosity=0)
    if who != "anonymous":
        client.force_login(board_member() if who == "board" else councillor())
    now = [client.get("/api/v2/pages/", query).json() for query in QUERIES]
    monkeypatch.setattr(VisibleSearchFilter, "filter_queryset", filter_through_a_list_of_ids)
    before = [client.get("/api/v2/pages/", query).json() for query in QUERIES]
    assert now == before
    found = {item["id"] for item in now[1]["items"]}
    assert (content["board_proposal"].pk in found) == (who == "board")
