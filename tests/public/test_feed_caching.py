"""A feed is kept by the server like a page (papers.caching): the next anonymous reader gets the
stored copy without a database query, in one piece.

Django's feeds write their XML in many small pieces (about a thousand for the 50 items of
``/feeds/all/``); the stored copy kept them, so every hit was unpickled and written to the
socket piece by piece, and a cached feed served a third of a cached page's requests per second.
"""

import pytest
from django.urls import reverse

from tests.factories import ProposalPageFactory
from tests.page_cache import HIT
from tests.public.helpers import build_content

pytestmark = pytest.mark.django_db

FEEDS = [reverse("feed", args=["all"]), reverse("feed_atom", args=["proposals"])]


@pytest.fixture(params=["locmem", "redis"])
def any_page_cache(request):
    return request.getfixturevalue(
        "page_cache" if request.param == "locmem" else "page_cache_redis"
    )


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_is_served_from_the_cache_without_a_query(
    client, any_page_cache, django_assert_num_queries, url
):
    build_content()
    for _ in range(5):
        ProposalPageFactory()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == HIT
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    # What the server writes: the body in one piece, as for a page.
    assert len(list(second)) == 1
