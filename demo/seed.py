"""Demo content, built in steps. Each step module has ``seed(ctx)`` and must be idempotent:
look things up by a stable key (slug, username, reference) and create only what is missing."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module

from django.db.models.signals import post_save
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

# Order matters: later steps use what earlier ones made (ctx.pages, ctx.users).
STEPS = [
    "demo.accounts",
    "demo.site",
    "demo.roles",
    "demo.accessibility",
    "demo.people",
    "demo.providers",
    "demo.proposals",
    "demo.interests",
    "demo.meetings",
    "demo.trails",
    "demo.votes",
    "demo.recommissioning",
    "demo.social_value",
    "demo.training",
    "demo.bulk",
    "demo.confidential",
    "demo.digest",
    # After every record it counts (meetings, trails, providers, training, restricted papers).
    "demo.review_pack",
    "demo.approvals",
    "demo.alerts",
]


@dataclass
class DemoContext:
    password: str
    papers: int
    stdout: object
    pages: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    snippets: dict = field(default_factory=dict)
    created: int = 0  # pages created by this run (0 on a second run)

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def run(password, papers=0, stdout=None):
    ctx = DemoContext(password=password, papers=papers, stdout=stdout)
    with references_indexed_once():
        for step in STEPS:
            import_module(step).seed(ctx)
    return ctx


@contextmanager
def references_indexed_once():
    """Index each saved object's references once, after the seed, not on every save: a page
    is saved three or four times on its way to published (add, revision, publish), and
    Wagtail re-reads every reference of it each time, a third of the seed's time."""
    saved = {}

    def remember(sender, instance, raw=False, **kwargs):
        if not raw and sender in ReferenceIndex.tracked_models:
            saved[(instance._meta.app_label, instance._meta.model_name, str(instance.pk))] = None

    post_save.connect(remember, weak=False, dispatch_uid="demo-references-indexed-once")
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid="demo-references-indexed-once")
    for key in saved:
        update_reference_index_task.enqueue(*key)
