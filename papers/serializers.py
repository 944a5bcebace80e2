"""Serializer fields for the read-only API (``api_fields`` on the board's models).

Wagtail's API would serialise a link to another page with that page's title whether or not the
requester may see it. These fields show a linked page only to someone ``can_view`` admits, so
a public agenda or decision never names, or even hints at, a confidential paper.
"""

from rest_framework import serializers
from wagtail.models import Page

from .visibility import can_view, decision_is_readable, minute_is_readable


def _requester(context):
    request = context.get("request")
    return request, getattr(request, "user", None)


def page_link(page, context, *, with_title=True):
    """{id, title, html_url, detail_url} for a live page the requester may see, else None."""
    request, user = _requester(context)
    if page is None or not page.live or not can_view(user, page):
        return None
    link = {"id": page.pk, "html_url": page.get_full_url(request)}
    router = context.get("router")
    if router is not None:
        # Imported here: wagtail.api.v2.utils needs the app registry, and models import us.
        from wagtail.api.v2.utils import get_object_detail_url

        link["detail_url"] = get_object_detail_url(router, request, Page, page.pk)
    if with_title:
        link["title"] = page.title
    return link


class VisiblePageField(serializers.Field):
    """A foreign key to a page, shown only when the requester may see that page."""

    def __init__(self, *, with_title=True, **kwargs):
        self.with_title = with_title
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        return page_link(page, self.context, with_title=self.with_title)


class VisiblePagesField(serializers.Field):
    """A many-to-many of pages, keeping only those the requester may see."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        links = (page_link(page, self.context) for page in manager.all())
        return [link for link in links if link is not None]


class AgendaPaperField(serializers.Field):
    """The paper behind an agenda item: for an exempt item never its title, only a link for
    those who may open it (the public title and paragraph are the item's own fields)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, item):
        if item.proposal_id is None:
            return None
        return page_link(item.proposal, self.context, with_title=not item.is_exempt)


class _ExemptRecordField(serializers.Field):
    """A field of an exempt minute or decision: in full for those who read exempt business
    (papers.visibility), otherwise the public notice (for a title) or public summary."""

    readable = staticmethod(lambda record, user: True)
    public_values = {}

    def __init__(self, field_name, **kwargs):
        self.record_field = field_name
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, record):
        _, user = _requester(self.context)
        if self.readable(record, user):
            return getattr(record, self.record_field)
        return getattr(record, self.public_values[self.record_field])


class ExemptMinuteField(_ExemptRecordField):
    readable = staticmethod(minute_is_readable)
    public_values = {"title": "exempt_notice", "text": "public_text"}


class ExemptDecisionField(_ExemptRecordField):
    readable = staticmethod(decision_is_readable)
    public_values = {"title": "exempt_notice", "resolution": "public_text"}


class ChoiceLabelField(serializers.Field):
    """The human label of a choice field (``get_FOO_display``), beside its stored value."""

    def __init__(self, field_name, **kwargs):
        self.choice_field = field_name
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return getattr(instance, f"get_{self.choice_field}_display")()


class NameField(serializers.StringRelatedField):
    """A snippet (committee, service area, member) by its name."""
