"""The admin form every board page uses."""

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.coreutils import find_available_slug

from .confidentiality import inline_document_errors, section_document_errors


class BoardPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # A page being added is not in the tree yet, so its model's clean() cannot see the
        # restriction of the section it will sit in: the form, which knows the parent, can.
        for field_name, message in section_document_errors(self).items():
            self.add_error(field_name if field_name in self.fields else None, message)
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

    def clean(self):
        cleaned_data = super().clean()
        # Wagtail makes a slug from the title only once the page is in the tree, after
        # validation; this form knows the parent already, so it makes one here.
        start = cleaned_data.get("start")
        title = cleaned_data.get("title") or (self.instance.default_title(start) if start else "")
        if "slug" in cleaned_data and not cleaned_data["slug"] and title and self.parent_page:
            cleaned_data["slug"] = find_available_slug(
                self.parent_page, slugify(title), ignore_page_id=self.instance.pk
            )
        return cleaned_data
