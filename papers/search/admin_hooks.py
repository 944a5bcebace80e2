"""Wagtail admin hooks of search (imported by ``PapersConfig.ready()``): keep the index in step with bulk changes to documents."""

from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.search.index import insert_or_update_object

from .signals import pages_attaching_any, reindex_pages


@hooks.register("after_bulk_action")
def reindex_after_bulk_collection_move(request, action_type, objects, action):
    """ "Add to collection" updates the rows without signals: reindex the documents and the
    pages that attach them, which may no longer carry their text (papers.search.signals)."""
    if action_type != "add_to_collection" or action.model is not get_document_model():
        return
    documents = get_document_model().objects.filter(pk__in=[d.pk for d in objects])
    for document in documents:
        insert_or_update_object(document)
    reindex_pages(pages_attaching_any(documents))
