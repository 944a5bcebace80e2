"""Links to a meeting's agenda packs (papers.agenda_pack), for the meeting page."""

from django import template

from papers.agenda_pack import pack_version, restricted_papers

register = template.Library()


@register.simple_tag
def agenda_packs(meeting, user):
    """What the meeting page offers ``user``: the public pack, and the other if they may read it."""
    if not meeting.agenda_items.exists():
        return None
    version, issued = pack_version(meeting)
    restricted = bool(user.is_authenticated and restricted_papers(meeting, user))
    return {
        "public_url": meeting.url + meeting.reverse_subpage("agenda_pack"),
        "exempt_url": meeting.url + meeting.reverse_subpage("exempt_agenda_pack")
        if restricted
        else None,
        "version": version,
        "issued": issued,
    }
