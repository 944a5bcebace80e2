"""The site's URLs plus /bench/bare/: a Django view that does no work, answered through the
same middleware, so the benchmark compares a page with the floor of this very stack."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare_view), *site_urlpatterns]
