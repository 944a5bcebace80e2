"""Keep the search index in step where Wagtail does not do it by itself.

- A replaced document changes the text of every page that attaches it: reindex those pages.
- A document moved to another collection changes who may open it, and so whether its text may
  be indexed with those pages (``BoardPage.attachment_text``): reindex them too, whether it was
  moved by its edit form or by the "Add to collection" bulk action (a queryset update that sends
  no signals: ``papers.search.admin_hooks``).
- A moved page changes the tree path of its descendants; Wagtail reindexes the page itself,
  and an index that filters on path (Elasticsearch) needs the descendants too.
"""

from django.db.models.signals import post_save, pre_save
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published, post_page_move

from papers.signals import document_file_changed


def pages_attaching(document):
    """Pages whose attachments (or other fields) refer to ``document``."""
    references = ReferenceIndex.get_references_to(document)
    page_ids = {
        int(object_id)
        for model, object_id in references.values_list("base_content_type__model", "object_id")
        if model == "page"
    }
    return Page.objects.filter(pk__in=page_ids)


def reindex_pages(pages):
    for page in pages.specific().iterator():
        insert_or_update_object(page)


def note_collection_change(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True).first()
    instance._collection_changed = stored is not None and stored != instance.collection_id


def reindex_after_collection_change(sender, instance, raw=False, **kwargs):
    if raw or kwargs.get("created"):
        return
    if getattr(instance, "_collection_changed", False):
        reindex_pages(pages_attaching(instance))


def reindex_after_file_change(sender, instance, created, **kwargs):
    if not created:
        reindex_pages(pages_attaching(instance))


def reindex_moved_descendants(sender, instance, **kwargs):
    reindex_pages(Page.objects.descendant_of(instance))


def reindex_published(sender, instance, **kwargs):
    """Reindex a published page once its child rows (minute items, agenda, decisions) are saved.

    Wagtail indexes on post_save, which modelcluster sends before it saves the child rows, so
    text from those rows would lag one publish behind without this.
    """
    insert_or_update_object(instance)
    decisions = getattr(instance, "decisions", None)
    if decisions is not None and hasattr(decisions, "all"):
        for decision in decisions.all():
            insert_or_update_object(decision)


def connect():
    """Connect the receivers (from ``PapersConfig.ready()``), each to the sender it is for."""
    document = get_document_model()
    pre_save.connect(note_collection_change, sender=document, dispatch_uid="papers.search.note")
    post_save.connect(
        reindex_after_collection_change, sender=document, dispatch_uid="papers.search.reindex"
    )
    document_file_changed.connect(
        reindex_after_file_change, sender=document, dispatch_uid="papers.search.reindex_file"
    )
    # Any page type may be moved or published: these Wagtail signals are sent for all.
    post_page_move.connect(reindex_moved_descendants, dispatch_uid="papers.search.moved")
    page_published.connect(reindex_published, dispatch_uid="papers.search.published")
