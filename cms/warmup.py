"""Load at start-up what each server process would otherwise load on its first request.

Django imports the URLconf (with Wagtail's admin) and compiles each template the first time
a request needs them: about 0.35 s more for the first ``/login/`` of every gunicorn worker, and
again each time a worker is recycled (``max_requests``). Done here, while the
application loads, it is paid once in gunicorn's master (``preload_app``) and shared by every
worker forked from it.
"""

from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template.loader import get_template
from django.urls import reverse


def own_template_names():
    """The names of the site's own templates (its ``templates`` folder and its apps'), not
    those of the libraries it uses."""
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *sorted(base.glob("*/templates"))]
    return sorted(
        {str(path.relative_to(folder)) for folder in folders for path in folder.rglob("*.html")}
    )


def warm_up():
    reverse("feed", args=["all"])  # imports every URLconf and builds the reverse lookups
    for name in own_template_names():
        get_template(name)
    # Nothing above should need the database; if anything did, its connection must not be
    # inherited by the forked workers, which would then share one socket.
    connections.close_all()
