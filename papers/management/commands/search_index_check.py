"""Compare what should be in the search index with what the backend holds."""

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.index import get_indexed_models

from ...models import Decision

SAMPLE = 10


def expected_entries():
    """{label: set of (content type id, object id as text)} the index must hold."""
    pages = {(ct, str(pk)) for pk, ct in Page.objects.values_list("pk", "content_type_id")}
    pages = {entry for entry in pages if entry[0] != _root_page_ct()}
    document_model = get_document_model()
    document_ct = ContentType.objects.get_for_model(document_model).pk
    decision_ct = ContentType.objects.get_for_model(Decision).pk
    return {
        "pages": pages,
        "documents": {
            (document_ct, str(pk)) for pk in document_model.objects.values_list("pk", flat=True)
        },
        "decisions": {
            (decision_ct, str(pk)) for pk in Decision.objects.values_list("pk", flat=True)
        },
    }


def _root_page_ct():
    return ContentType.objects.get_for_model(Page).pk


def database_entries(content_types):
    from modelsearch.conf import get_app_config

    index_entry = get_app_config().get_model("IndexEntry")
    rows = index_entry.objects.filter(content_type_id__in=content_types)
    return set(rows.values_list("content_type_id", "object_id"))


def elasticsearch_entries(backend, content_types):
    """Document ids held by Elasticsearch, as (content type id, pk), via elasticsearch-dsl."""
    from elasticsearch_dsl import Search

    by_label = {}
    for ct in ContentType.objects.filter(pk__in=content_types):
        model = ct.model_class()
        if model is not None:
            by_label[f"{model._meta.app_label}.{model.__name__}"] = ct.pk
    held = set()
    for index in backend.all_indexes():
        search = Search(using=backend.es, index=index.name).source(["pk", "_django_content_type"])
        for hit in search.params(size=1000).scan():
            labels = hit.to_dict().get("_django_content_type") or []
            labels = [labels] if isinstance(labels, str) else list(labels)
            ct = next((by_label[label] for label in labels if label in by_label), None)
            if ct is not None:
                held.add((ct, str(hit.pk)))
    return held


class Command(BaseCommand):
    help = (
        "Report pages, documents and decisions expected in the search index against what the "
        "backend holds; exit non-zero when they differ (run update_index to repair)."
    )

    def handle(self, *args, **options):
        backend = get_search_backend()
        expected = expected_entries()
        content_types = {ct for entries in expected.values() for ct, _ in entries}
        # Every indexed model's entries, whichever app (the add-on's or the site's) defines it.
        indexed = ContentType.objects.get_for_models(*get_indexed_models()).values()
        content_types |= {content_type.pk for content_type in indexed}
        if hasattr(backend, "es"):
            held = elasticsearch_entries(backend, content_types)
            where = "Elasticsearch"
        else:
            held = database_entries(content_types)
            where = f"the index table ({type(backend).__name__})"
        self.stdout.write(f"Search backend: {where}")
        all_expected = set().union(*expected.values())
        problems = 0
        for label, entries in expected.items():
            missing = entries - held
            problems += len(missing)
            self.stdout.write(
                f"{label}: {len(entries)} expected, {len(entries & held)} indexed, {len(missing)} missing"
            )
            for ct, pk in sorted(missing)[:SAMPLE]:
                self.stdout.write(f"  missing: content type {ct}, id {pk}")
        checked_types = {ct for entries in expected.values() for ct, _ in entries}
        stale = {e for e in held if e not in all_expected and e[0] in checked_types}
        problems += len(stale)
        self.stdout.write(f"stale entries (deleted objects still indexed): {len(stale)}")
        for ct, pk in sorted(stale)[:SAMPLE]:
            self.stdout.write(f"  stale: content type {ct}, id {pk}")
        if problems:
            raise CommandError(
                f"The search index differs from the database in {problems} place(s): "
                "run `python manage.py update_index`."
            )
        self.stdout.write(self.style.SUCCESS("The search index matches the database."))
