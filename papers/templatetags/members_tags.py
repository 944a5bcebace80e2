"""Template tags for members: a reader's private note beside a paper, and the board's
training completion counts (numbers only, never names) on the public training pages.

Load with ``{% load members_tags %}``.
"""

from django import template

from ..models import PrivateNote
from ..models.notes import NOTE_MAX_LENGTH
from ..models.training import board_completions
from ..visibility import can_view

register = template.Library()


@register.inclusion_tag("papers/includes/private_note.html", takes_context=True)
def private_note(context, page):
    """The signed-in reader's own note on ``page`` and the form to change it; nothing for
    anyone else. Pages that carry it are for a signed-in reader, so never page-cached."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # A stand-in reader (the Chair's "preview as a board member") is not saved and has no notes.
    if not (user and user.pk and user.is_authenticated and page and page.pk):
        return {"show": False}
    if not can_view(user, page):
        return {"show": False}
    note = PrivateNote.objects.filter(user=user, page_id=page.pk).first()
    return {
        "show": True,
        "page": page,
        "note": note,
        "request": request,
        "max_length": NOTE_MAX_LENGTH,
    }


@register.simple_tag
def board_completion(module):
    """{"done": n, "of": m}: how many of the board's members have completed ``module``."""
    return module.board_completion()


@register.simple_tag
def with_board_completion(modules):
    """``[(module, {"done": n, "of": m}), ...]`` for a page of modules, in two queries."""
    modules = list(modules)
    return list(zip(modules, board_completions(modules), strict=True))
