"""Demo content, built in steps. Each step module has ``seed(ctx)`` and must be idempotent:
look things up by a stable key (slug, username, reference) and create only what is missing."""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module

from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.index import get_indexed_instance, get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
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
    with references_indexed_once(), search_indexed_once():
        for step in STEPS:
            import_module(step).seed(ctx)
    return ctx


@contextmanager
def search_indexed_once():
    """Add each saved object to the search index once, after the seed, in one statement a
    model, instead of on every save: a page is saved three or four times on its way to
    published, and each save's index update (reading every search field's text) was about a
    quarter of a seed's time on PostgreSQL. A seed that fails part-way indexes nothing it
    saved; ``update_index`` mends that."""
    saved = defaultdict(set)

    def remember(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(remember, sender=model, weak=False, dispatch_uid="demo-search-once")
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(sender=model, dispatch_uid="demo-search-once")
            post_save.connect(post_save_signal_handler, sender=model)
    by_type = defaultdict(dict)
    for model, ids in saved.items():
        # What the signal handler would have indexed: the specific object, if still indexed.
        for instance in model.objects.filter(pk__in=ids):
            indexed = get_indexed_instance(instance)
            if indexed is not None:
                by_type[type(indexed)][indexed.pk] = indexed
    for backend in get_search_backends(with_auto_update=True):
        for model, objects in by_type.items():
            backend.add_bulk(model, list(objects.values()))


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
