"""Production settings plus one bare view, for benchmarks/throughput.py only (never deployed:
production runs cms.settings.production, whose URLs have no such route)."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bare_view_urls"
