"""Where document files are kept: outside MEDIA_ROOT, so no web server serves them blindly.

Wagtail serves documents through its own view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``),
which checks collection privacy. If the files sat under MEDIA_ROOT, any server configured to
serve ``/media/`` (nginx, a CDN, Django's dev ``static()``) would hand out board papers to
anyone who guessed a file name. ``BOARD_PAPERS["PRIVATE_MEDIA_ROOT"]`` (papers.conf; default:
MEDIA_ROOT's sibling named ``<media>-private``, e.g. ``media-private/``) must never be published
by the web server.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .conf import get_setting


def private_media_root():
    configured = get_setting("PRIVATE_MEDIA_ROOT")
    if configured:
        return Path(configured)
    media = Path(settings.MEDIA_ROOT)
    return media.with_name(f"{media.name}-private")


class PrivateDocumentStorage(FileSystemStorage):
    """File storage under PRIVATE_MEDIA_ROOT; follows MEDIA_ROOT changes (e.g. in tests).

    The location is worked out on each use rather than cached as Django's own storage does,
    so a change to either setting (``override_settings`` in tests) takes effect at once
    without hooking into the storage's private cache-clearing.
    """

    @property
    def base_location(self):
        return str(private_media_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_storage = PrivateDocumentStorage()


def private_document_storage():
    return _storage
