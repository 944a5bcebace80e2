"""The site's own address, for the absolute links in calendars, feeds and emails.

Links that leave the site (a calendar event, a feed item, a notification email) must work from
wherever they are read, so they are built from configuration, never from the Host header of
whichever request made them: pages through Wagtail's Site (``root_url``: scheme, host and port,
set under Settings → Sites), anything else from the same Site. Emails from Wagtail use
``WAGTAILADMIN_BASE_URL``.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

# The address Wagtail's first migration (and ours, home 0003) gives the default Site.
PLACEHOLDER = ("localhost", 80)


def site_root_url(request=None):
    """Scheme, host and port of the Site serving ``request`` (or the default Site)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url


def absolute_url(path, request=None):
    """``path`` (a site-relative URL such as ``/meetings/``) as a full URL on the site."""
    if urlsplit(path).scheme:
        return path
    return site_root_url(request) + path


def align_default_site():
    """Give a default Site still at the placeholder ``localhost:80`` the address in
    ``WAGTAILADMIN_BASE_URL`` (the demo is served at http://127.0.0.1:8000, not localhost:80).
    A Site someone has already set is left alone."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if not base.hostname:
        return None
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) != PLACEHOLDER:
        return site
    if (site.hostname, site.port) != (base.hostname, port):
        site.hostname, site.port = base.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
