"""The admin form every board page uses."""

from wagtail.admin.forms import WagtailAdminPageForm

from .confidentiality import inline_document_errors


class BoardPageForm(WagtailAdminPageForm):
    def clean(self):
        # A page being created is not in the tree yet: its model clean() needs the parent to
        # know whether the page will sit inside a restricted section (see
        # papers.confidentiality.attachment_errors).
        self.instance._parent_for_validation = self.parent_page
        cleaned_data = super().clean()
        inline_document_errors(self)
        return cleaned_data


class MeetingPageForm(BoardPageForm):
    """A new meeting's form opens with the board's current members listed as present, so the
    officer only marks apologies, absences and substitutes; its title may be left empty: it is
    then the meeting's date (MeetingPage.full_clean)."""

    def __init__(self, data=None, *args, **kwargs):
        instance = kwargs.get("instance")
        # Only on the blank create form: a posted form keeps exactly the rows the officer sent.
        if data is None and instance is not None and instance.pk is None:
            instance.list_current_members()
        super().__init__(data, *args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave empty to use the meeting's date."
        if "slug" in self.fields:
            self.fields["slug"].required = False  # made from the title when left empty
