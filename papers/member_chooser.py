"""The chooser for members (issue 16): shows each member's party and role on the board, and
leaves out the members already chosen on the form (a meeting's attendance), so the pop-up lists
only who may still be added, e.g. a substitute."""

from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

EXCLUDE_PARAM = "exclude"
# Filled by papers/member-chooser.js with the ids of the members already on the form.
EXCLUDE_FIELD_ID = "papers-member-exclude"


def excluded_ids(request):
    values = request.GET.get(EXCLUDE_PARAM, "").split(",")
    return [int(v) for v in values if v.strip().isdigit()][:500]


class MemberChooseMixin:
    @property
    def columns(self):
        return super().columns + [
            Column("political_group", label="Party"),
            Column("board_role", label="Role on the board", accessor="get_board_role_display"),
            BooleanColumn("is_current", label="Current member"),
        ]

    def get_object_list(self):
        # Before search and pagination, which turn the queryset into search results.
        objects = super().get_object_list()
        ids = excluded_ids(self.request)
        return objects.exclude(pk__in=ids) if ids else objects


class MemberChooseView(MemberChooseMixin, ChooseView):
    pass


class MemberChooseResultsView(MemberChooseMixin, ChooseResultsView):
    pass


class MemberChooserViewSet(SnippetChooserViewSet):
    choose_view_class = MemberChooseView
    choose_results_view_class = MemberChooseResultsView
    # Kept on the search and page links inside the pop-up.
    preserve_url_parameters = SnippetChooserViewSet.preserve_url_parameters + [EXCLUDE_PARAM]

    @cached_property
    def widget_class(self):
        return type(
            "MemberChooserWidget",
            (super().widget_class,),
            {"linked_fields": {EXCLUDE_PARAM: {"id": EXCLUDE_FIELD_ID}}},
        )


def editor_js():
    return format_html('<script src="{}"></script>', static("papers/member-chooser.js"))
