"""Keep the search index in step where Wagtail does not do it by itself.

- A replaced document changes the text of every page that attaches it: reindex those pages.
- A document moved to another collection changes who may open it, and so whether its text may
  be indexed with those pages (``BoardPage.attachment_text``): reindex them too, whether it was
  moved by its edit form or by the "Add to collection" bulk action (a queryset update that sends
  no signals: ``papers.search.admin_hooks``).
- A collection moved in the tree (the admin's collection form), or its privacy set, changed or
  removed, changes who may open every document in it and below it, though no document is
  saved: reindex the pages attaching those documents once the change is committed.
- A moved page changes the tree path of its descendants; Wagtail reindexes the page itself,
  and an index that filters on path (Elasticsearch) needs the descendants too.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published, post_page_move

from papers.caching import clear_page_cache
from papers.signals import document_file_changed


def pages_attaching(document):
    """Pages whose attachments (or other fields) refer to ``document``."""
    return pages_attaching_any(get_document_model().objects.filter(pk=document.pk))


def pages_attaching_any(documents):
    """Pages whose attachments (or other fields) refer to any of ``documents`` (a queryset)."""
    references = ReferenceIndex.get_references_to_in_bulk(documents)
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


def reindex_documents_below(collection_id):
    """Reindex the pages attaching a document in the collection or any collection below it."""
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is not None:
        collections = collection.get_descendants(inclusive=True)
        documents = get_document_model().objects.filter(collection__in=collections)
        reindex_pages(pages_attaching_any(documents))
        # Run after the commit, perhaps after the page cache's own clearing: a search made in
        # between may have kept a page found by words it may no longer carry.
        clear_page_cache()


def note_collection_path(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._path_before = sender.objects.filter(pk=instance.pk).values("path").first()


def reindex_after_collection_move(sender, instance, raw=False, created=False, **kwargs):
    # The admin's form saves the collection and then moves it (treebeard, no signal), in one
    # transaction: whether it moved is known only once that has been committed.
    before = getattr(instance, "_path_before", None)
    if raw or created or before is None:
        return

    def if_moved():
        if not Collection.objects.filter(pk=instance.pk, path=before["path"]).exists():
            reindex_documents_below(instance.pk)

    transaction.on_commit(if_moved)


def reindex_after_restriction_change(sender, instance, raw=False, **kwargs):
    # Saved before its groups are set, and the groups decide who may open the documents: the
    # groups' change reindexes again (the two are in one transaction, the admin's dialog is not).
    if raw or kwargs.get("action", "post_").startswith("pre_"):
        return
    if isinstance(instance, CollectionViewRestriction):
        collection_ids = [instance.collection_id]
    else:  # a group's restrictions changed from the group's side
        restrictions = CollectionViewRestriction.objects.all()
        if kwargs.get("pk_set") is not None:
            restrictions = restrictions.filter(pk__in=kwargs["pk_set"])
        collection_ids = list(restrictions.values_list("collection_id", flat=True))

    def reindex():
        for collection_id in collection_ids:
            reindex_documents_below(collection_id)

    transaction.on_commit(reindex)


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
    pre_save.connect(note_collection_path, sender=Collection, dispatch_uid="papers.search.path")
    post_save.connect(
        reindex_after_collection_move, sender=Collection, dispatch_uid="papers.search.moved_coll"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            reindex_after_restriction_change,
            sender=CollectionViewRestriction,
            dispatch_uid=f"papers.search.restriction_{'saved' if signal is post_save else 'gone'}",
        )
    m2m_changed.connect(
        reindex_after_restriction_change,
        sender=CollectionViewRestriction.groups.through,
        dispatch_uid="papers.search.restriction_groups",
    )
    # Any page type may be moved or published: these Wagtail signals are sent for all.
    post_page_move.connect(reindex_moved_descendants, dispatch_uid="papers.search.moved")
    page_published.connect(reindex_published, dispatch_uid="papers.search.published")
