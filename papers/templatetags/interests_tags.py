"""Conflict prompts on a meeting page: the signed-in member's own registered interests that
touch an item whose paper they may open (papers.conflicts).

Load with ``{% load interests_tags %}``.
"""

from django import template

from ..caching import mark_private
from ..conflicts import prompts_apply, prompts_for

register = template.Library()


@register.simple_tag(takes_context=True)
def conflict_prompts(context, meeting):
    """The reader's prompts for ``meeting`` (empty for anyone without a member record, and once
    the meeting has been held). A page carrying them is that reader's alone: never cached."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not prompts_apply(meeting):
        return []
    prompts = prompts_for(user, meeting)
    if prompts:
        mark_private(request)
    return prompts
