"""The admin form every board page uses."""

from wagtail.admin.forms import WagtailAdminPageForm


class BoardPageForm(WagtailAdminPageForm):
    def clean(self):
        # A page being created is not in the tree yet: its model clean() needs the parent to
        # know whether the page will sit inside a restricted section (see
        # papers.confidentiality.attachment_errors).
        self.instance._parent_for_validation = self.parent_page
        cleaned_data = super().clean()
        # Imported here as BoardPage.clean() does: papers.confidentiality imports the models,
        # which import this form.
        from .confidentiality import inline_document_errors

        inline_document_errors(self)
        return cleaned_data
