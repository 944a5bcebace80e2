from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

# --- confidentiality (issue 4): serving checks, access log, cache headers --------------------
# Importing papers.access registers its before_serve_page / before_serve_document hooks.
from . import access  # noqa: F401
from .access_log_admin import access_log_viewset
from .roles import is_section


@hooks.register("register_admin_viewset")
def register_access_log():
    return access_log_viewset


# --- end confidentiality ---------------------------------------------------------------------


# --- board snippets (issue 2): members, Cabinet Committees, service areas --------------------
from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup  # noqa: E402

from .member_chooser import MemberChooserViewSet, editor_js  # noqa: E402
from .models import CabinetCommittee, Member, ServiceArea  # noqa: E402


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    menu_label = "Members"
    list_display = ["name", "political_group", "board_role", "is_current"]
    list_filter = ["board_role", "political_group", "is_current"]
    search_fields = ["name", "political_group"]
    search_backend_name = None  # plain database search: no index to keep in step
    ordering = ["name"]
    copy_view_enabled = False
    # Party and role in the pop-up, members already on the form left out (issue 16).
    chooser_viewset_class = MemberChooserViewSet
    chooser_per_page = 50


hooks.register("insert_editor_js", editor_js)


class CabinetCommitteeViewSet(SnippetViewSet):
    model = CabinetCommittee
    icon = "group"
    menu_label = "Cabinet Committees"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class ServiceAreaViewSet(SnippetViewSet):
    model = ServiceArea
    icon = "folder-open-inverse"
    menu_label = "Service areas"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class BoardSnippetGroup(SnippetViewSetGroup):
    menu_label = "Board"
    menu_icon = "group"
    menu_order = 250
    items = (MemberViewSet, CabinetCommitteeViewSet, ServiceAreaViewSet)


register_snippet(BoardSnippetGroup)

# --- end board snippets ----------------------------------------------------------------------


# --- sections: only administrators delete or move a board section -------------------------
def _refuse_section_change(request, page, action):
    if not request.user.is_superuser and is_section(page):
        messages.error(
            request,
            f"“{page.get_admin_display_title()}” is a section of the site: only an "
            f"administrator can {action} it.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_delete_page")
def refuse_deleting_sections(request, page):
    return _refuse_section_change(request, page, "delete")


@hooks.register("before_move_page")
def refuse_moving_sections(request, page, destination):
    return _refuse_section_change(request, page, "move")


# --- end sections ---------------------------------------------------------------------------


# --- minutes from the agenda (issue 16) -----------------------------------------------------
from wagtail.admin.widgets.button import ListingButton  # noqa: E402

from . import decisions_follow, minutes_from_agenda  # noqa: E402

hooks.register("register_log_actions", decisions_follow.register_log_action)


@hooks.register("register_admin_urls")
def register_minutes_from_agenda_urls():
    return minutes_from_agenda.admin_urls()


hooks.register("after_edit_page", minutes_from_agenda.start_after_saving)


@hooks.register("register_page_header_buttons")
def minutes_header_button(page, user, view_name, next_url=None):
    button = minutes_from_agenda.minutes_button(page, user)
    return [button] if button else []


@hooks.register("register_page_listing_buttons")
def minutes_listing_button(page, user, next_url=None):
    button = minutes_from_agenda.minutes_button(page, user, ListingButton)
    return [button] if button else []


# --- end minutes from the agenda ------------------------------------------------------------
# --- meetings listed by date in the admin (issue 16) -----------------------------------------
from .models import MeetingIndexPage  # noqa: E402


@hooks.register("construct_explorer_page_queryset")
def meetings_by_date(parent_page, pages, request):
    """The meetings section lists its meetings newest first, unless another order is chosen."""
    chosen = request.GET.get("ordering") or request.GET.get("q")
    if isinstance(parent_page.specific, MeetingIndexPage) and not chosen:
        return pages.order_by("-meetingpage__start", "-pk")
    return pages


# --- end meetings by date ---------------------------------------------------------------------
# --- documents: only the Chair makes a document less restricted (papers.document_forms) -----
from .document_forms import refuse_loosening_in_bulk  # noqa: E402

hooks.register("before_bulk_action", refuse_loosening_in_bulk)
# --- end documents ---------------------------------------------------------------------------
# --- document links in rich text (issue 9, finding 7) ----------------------------------------
from .richtext import ReaderDocumentLinkHandler  # noqa: E402


@hooks.register("register_rich_text_features", order=100)  # after wagtail.documents' own
def document_links_for_readers_only(features):
    features.register_link_type(ReaderDocumentLinkHandler)


# --- copies are as restricted as their original (issue 9, finding 3) ---------------------------
from .signal_handlers import on_page_copied  # noqa: E402

hooks.register("after_copy_page", on_page_copied)


# --- training records (issue 13): who completed which module, and the completion table ----------
from . import training_admin  # noqa: E402


@hooks.register("register_admin_viewset")
def register_training_records():
    return training_admin.completion_viewset


@hooks.register("register_admin_urls")
def register_training_completion_table():
    return training_admin.admin_urls()


@hooks.register("register_admin_menu_item")
def training_completion_menu_item():
    return training_admin.table_menu_item()


# --- end training records ------------------------------------------------------------------


# --- dashboard panels for officers and the Chair (issues 12, 14) -------------------------------
from . import dashboard  # noqa: E402


@hooks.register("construct_homepage_panels")
def officers_and_chair_panels(request, panels):
    panels.extend(dashboard.panels_for(request.user))


# --- register of interests and likely declarations (issue 13) ----------------------------------
from . import interests_admin  # noqa: E402


@hooks.register("register_admin_viewset")
def register_interests():
    return interests_admin.interest_viewset


@hooks.register("register_admin_urls")
def register_likely_declarations():
    return interests_admin.admin_urls()


@hooks.register("register_page_header_buttons")
def declarations_header_button(page, user, view_name, next_url=None):
    button = interests_admin.declarations_button(page, user)
    return [button] if button else []


@hooks.register("register_page_listing_more_buttons")
def declarations_listing_button(page, user, next_url=None):
    button = interests_admin.declarations_button(page, user)
    return [button] if button else []


# --- end register of interests ----------------------------------------------------------------
