"""The add-on's read-only API endpoints (Wagtail API v2), registered on the site's own router.

In the site's ``urls.py``::

    from wagtail.api.v2.router import WagtailAPIRouter
    from papers.api import register_api_endpoints

    api_router = WagtailAPIRouter("wagtailapi")
    register_api_endpoints(api_router)
    urlpatterns = [..., path("api/v2/", api_router.urls), ...]

Every endpoint shows only what the requester may see (papers.visibility).
"""

from .endpoints import (
    BoardDocumentsAPIViewSet,
    BoardImagesAPIViewSet,
    BoardPagesAPIViewSet,
    DecisionsAPIViewSet,
)

ENDPOINTS = {
    "pages": BoardPagesAPIViewSet,
    "decisions": DecisionsAPIViewSet,
    "documents": BoardDocumentsAPIViewSet,
    "images": BoardImagesAPIViewSet,
}


def register_api_endpoints(router):
    """Register the add-on's endpoints (pages, decisions, documents, images) on ``router``."""
    for name, endpoint in ENDPOINTS.items():
        router.register_endpoint(name, endpoint)
    return router
