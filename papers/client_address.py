"""The address a visitor's request came from, as the site's own reverse proxies report it.

Behind a proxy every request reaches Django from the proxy's address (``REMOTE_ADDR``), so
django-axes would count everyone's failed sign-ins against one address. Each trusted proxy
appends the address it received the request from to ``X-Forwarded-For``; with
``TRUSTED_PROXY_COUNT`` proxies in front of the site, the visitor's address is the
``TRUSTED_PROXY_COUNT``-th entry from the right. Entries further left were written by the
visitor and are not trusted. With no trusted proxies (the default), ``REMOTE_ADDR`` is used.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer entries than proxies: a proxy did not append; take the oldest entry we have.
    candidate = hops[-count] if len(hops) >= count else hops[0]
    return _valid(candidate) or remote
