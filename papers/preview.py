"""Previews as other readers would see a page: the public, a councillor, a board member.

The Chair (or an officer) previews a draft with the same visibility rules the site applies to
that reader (papers.visibility): the page is rendered with ``request.user`` set to a stand-in
reader with only that reader's groups, so menus, agenda links, documents and decisions show
what that reader would get. A page the reader could not open at all is not rendered: the
preview says so instead. Nothing here is saved; the stand-in user never exists in the database.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.template.response import TemplateResponse
from wagtail.models import Page, PageViewRestriction

from .conf import group_name
from .visibility import assume_groups, restriction_admits

PREVIEW_MODES = [
    ("", "As you see it"),
    ("public", "As the public sees it"),
    ("councillor", "As a councillor sees it"),
    ("board", "As a board member sees it"),
]
READER_GROUPS = {"councillor": group_name("MEMBERS"), "board": group_name("BOARD_MEMBERS")}
# Which preview readers each audience (papers.choices.Audience) admits, as
# papers.confidentiality's groups do.
ADMITS = {
    "public": {"public", "councillor", "board"},
    "members": {"councillor", "board"},
    "board": {"board"},
}


def stand_in_reader(mode):
    """A user who is exactly a member of the public, a councillor or a board member."""
    if mode == "public":
        return AnonymousUser()
    user = get_user_model()(username=f"preview-{mode}", is_active=True)
    group = Group.objects.filter(name=READER_GROUPS[mode]).first()
    # Not in the database, so papers.visibility is told its groups rather than reading them.
    return assume_groups(user, [group.pk] if group else [])


def reader_may_open(page, mode, reader):
    """The draft's own audience, and every restriction above it in the tree."""
    if mode not in ADMITS.get(getattr(page, "audience", "public"), set()):
        return False
    if not page.pk:
        return True
    above = Page.objects.ancestor_of(page, inclusive=False)
    restrictions = PageViewRestriction.objects.filter(page__in=above).prefetch_related("groups")
    return all(restriction_admits(restriction, reader) for restriction in restrictions)


def preview_as(page, request, mode, serve_preview):
    """Serve ``page``'s preview as the reader of ``mode`` (or as the requester for '')."""
    if mode not in READER_GROUPS and mode != "public":
        return serve_preview(request, "")
    reader = stand_in_reader(mode)
    label = dict(PREVIEW_MODES)[mode]
    if not reader_may_open(page, mode, reader):
        return TemplateResponse(
            request, "papers/preview_hidden.html", {"page": page, "mode_label": label}
        )
    real_user = request.user
    request.user = reader
    try:
        response = serve_preview(request, "")
        if hasattr(response, "render"):
            response.render()  # while request.user is the stand-in reader
    finally:
        request.user = real_user
    return response
