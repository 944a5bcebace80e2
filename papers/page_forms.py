"""The admin form every board page uses."""

from wagtail.admin.forms import WagtailAdminPageForm


class BoardPageForm(WagtailAdminPageForm):
    def clean(self):
        # A page being created is not in the tree yet: its model clean() needs the parent to
        # know whether the page will sit inside a restricted section (see
        # papers.confidentiality.attachment_errors).
        self.instance._parent_for_validation = self.parent_page
        return super().clean()


class MeetingPageForm(BoardPageForm):
    """A meeting's title may be left empty: it is then the meeting's date (MeetingPage.full_clean)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave empty to use the meeting's date."
        if "slug" in self.fields:
            self.fields["slug"].required = False  # made from the title when left empty
