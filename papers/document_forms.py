"""Documents become less restricted only through the Chair; new ones start board-only.

Wagtail has no approval step for documents, and a document is served at once to whoever its
collection admits. So, for everyone but the Chair and administrators:

- moving a document to a less restricted collection is refused (the edit form, the multiple
  upload's edit form, and the "Add to collection" bulk action, through ``before_bulk_action``);
- replacing the file of a document that a restricted page attaches is refused: the new file
  would reach that page's readers without the Chair seeing it. Upload it as a new document and
  attach it to the page instead; the page then goes to the Chair.

A new document's collection defaults to "Board papers" (the most restricted) on every upload
form; the root collection is not offered (``papers.roles`` grants no right to add there).

``WAGTAILDOCS_DOCUMENT_FORM_BASE`` points at ``BoardDocumentForm``; Wagtail builds the add, edit,
multiple-upload and chooser-upload forms on it and passes it the user.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.documents import get_document_model
from wagtail.documents.forms import BaseDocumentForm
from wagtail.models import Collection, Page, ReferenceIndex

from .choices import Audience
from .confidentiality import AUDIENCE_AT_LEVEL, READERS, collection_for, collection_level
from .roles import CHAIR


def may_release(user):
    """Whether ``user`` may make a document reach more people: the Chair and administrators."""
    if user is None or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=CHAIR).exists()


def readers(collection):
    return READERS[AUDIENCE_AT_LEVEL[collection_level(collection)]]


def loosening_message(document, old, new):
    return (
        f"Only the Chair can make a document less restricted: moving “{document.title}” from "
        f"“{old.name}” ({readers(old)}) to “{new.name}” ({readers(new)}) would let more people "
        "open it at once. Ask the Chair to move it."
    )


def restricted_pages_attaching(document):
    """Pages that refer to ``document`` and are not public (their own or an inherited restriction)."""
    references = ReferenceIndex.get_references_to(document)
    page_ids = {
        int(object_id)
        for model, object_id in references.values_list("base_content_type__model", "object_id")
        if model == "page"
    }
    return [
        page
        for page in Page.objects.filter(pk__in=page_ids).order_by("path")
        if page.get_view_restrictions().exists()
    ]


class BoardDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        self.user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self.original_collection_id = self.instance.collection_id if self.instance.pk else None
        if self.instance.pk is None and "collection" in self.fields:
            self.fields["collection"].initial = collection_for(Audience.BOARD).pk

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or may_release(self.user):
            return cleaned_data
        new = cleaned_data.get("collection")
        if new is not None and new.pk != self.original_collection_id:
            old = Collection.objects.get(pk=self.original_collection_id)
            if collection_level(new) < collection_level(old):
                self.add_error("collection", loosening_message(self.instance, old, new))
        if "file" in self.changed_data and (pages := restricted_pages_attaching(self.instance)):
            titles = ", ".join(f"“{page.title}”" for page in pages[:3])
            self.add_error(
                "file",
                f"“{self.instance.title}” is attached to {titles}, which not everyone may read: "
                "only the Chair can replace its file. Upload the new version as a new document "
                "and attach it to the page instead; the page then goes to the Chair for approval.",
            )
        return cleaned_data


def refuse_loosening_in_bulk(request, action_type, objects, action):
    """``before_bulk_action``: "Add to collection" may not make documents less restricted."""
    if action_type != "add_to_collection" or action.model is not get_document_model():
        return None
    if may_release(request.user):
        return None
    target = action.cleaned_form.cleaned_data["collection"]
    for document in objects:
        if collection_level(target) < collection_level(document.collection):
            messages.error(request, loosening_message(document, document.collection, target))
            return redirect(action.next_url)
    return None
