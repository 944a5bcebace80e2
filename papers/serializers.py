"""Serializer fields for the read-only API (``api_fields`` on the board's models).

Wagtail's API would serialise a link to another page with that page's title whether or not the
requester may see it. These fields show a linked page only to someone ``can_view`` admits, so
a public agenda or decision never names, or even hints at, a confidential paper.
"""

from rest_framework import serializers
from wagtail.api.rich_text import APIRichText
from wagtail.models import Page

from .choices import AdviceReached
from .richtext import withhold_stored_links
from .tally import VoteTally
from .visibility import (
    can_view,
    can_view_document,
    decision_is_readable,
    minute_is_readable,
    readable_votes_by_decision,
    visible_deliveries,
)


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
        # Imported here: wagtail.api.v2.utils loads the Page model as it is imported, and the
        # models import this module (for their api_fields) while the app registry is loading.
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


class VisibleAttachmentsField(serializers.Field):
    """A page's attachments: only documents the requester may open, by id and shown title.

    Wagtail would list every attachment block, so a title typed for a board-only document
    would reach anyone reading a page that (wrongly or through a later collection move)
    attaches it."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, stream):
        _request, user = _requester(self.context)
        shown = []
        for block in stream:
            document = block.value.get("document") if block.block_type == "attachment" else None
            if document is None or not can_view_document(user, document):
                continue
            value = {"document": document.pk, "title": block.value.get("title") or document.title}
            shown.append({"type": block.block_type, "value": value, "id": block.id})
        return shown


class UnlessExemptField(serializers.Field):
    """A field of an agenda item or minute withheld when the item is exempt: the public see
    only its public title and notice."""

    def __init__(self, attribute, **kwargs):
        self.attribute = attribute
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, item):
        return None if item.is_exempt else getattr(item, self.attribute)


def readable_rich_text(source, context):
    """Rich text as the API gives it (raw or HTML, as asked), without links to documents
    the requester may not open, nor those links' text."""
    _request, user = _requester(context)
    source = withhold_stored_links(source, user)
    if context.get("_wagtail_rich_text_format") is None:
        request = context.get("request")
        raw = request.GET.get("rich_text_format") if request else None
        context["_wagtail_rich_text_format"] = APIRichText.resolve_format(raw)
    return APIRichText.serialize(source, format=context["_wagtail_rich_text_format"])


class ReadableRichTextField(serializers.Field):
    """A rich-text field of an inline record (a decision's resolution...), as above."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, source):
        return readable_rich_text(source, self.context)


class _ExemptRecordField(serializers.Field):
    """A field of an exempt minute or decision: in full for those who read exempt business
    (papers.visibility), otherwise the public notice (for a title) or public summary. Rich text
    read in full still loses links to documents the reader may not open."""

    readable = staticmethod(lambda record, user: True)
    public_values = {}
    rich_text_fields = {"text", "resolution"}

    def __init__(self, field_name, **kwargs):
        self.record_field = field_name
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, record):
        _, user = _requester(self.context)
        if not self.readable(record, user):
            public = self.public_values.get(self.record_field)
            return getattr(record, public) if public else None  # withheld, not replaced
        value = getattr(record, self.record_field)
        if self.record_field in self.rich_text_fields:
            return readable_rich_text(value, self.context)
        return value


class ExemptMinuteField(_ExemptRecordField):
    readable = staticmethod(minute_is_readable)
    public_values = {"title": "exempt_notice", "text": "public_text"}


class ExemptDecisionField(_ExemptRecordField):
    readable = staticmethod(decision_is_readable)
    # How an exempt decision was reached is withheld: "on a recorded vote" would tell the
    # public a vote exists that they may not read.
    public_values = {"title": "exempt_notice", "resolution": "public_text", "reached_by": None}


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


class RecordedVoteField(serializers.Field):
    """A decision's recorded vote (each member's vote, totals by group and overall), or null:
    when there is none, or the requester may not read the decision (papers.visibility)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, decision):
        _request, user = _requester(self.context)
        if decision.reached_by != AdviceReached.RECORDED_VOTE:
            return None  # no query at all for the many decisions not taken on a vote
        if not decision_is_readable(decision, user):
            return None  # asked first: no query for a vote the requester may not read
        # One query for all the minutes' votes, kept for the response's other decisions: the
        # cost must not grow with the decisions a reader may read (issue 10).
        kept = self.context.setdefault("recorded_votes_by_minutes", {})
        if decision.minutes_id not in kept:
            minutes_model = type(decision)._meta.get_field("minutes").related_model
            vote_model = minutes_model._meta.get_field("recorded_votes").related_model
            votes = vote_model.objects.filter(minutes_id=decision.minutes_id)
            kept[decision.minutes_id] = list(votes.select_related("member"))
        votes = kept[decision.minutes_id]
        shown = readable_votes_by_decision(user, [decision], votes).get(decision.reference)
        return VoteTally.of(shown).as_data() if shown else None


class DeliveredField(serializers.Field):
    """A contract review's readings of social value delivered, each with the commitment it is
    measured against: only readings ``visible_deliveries`` admits (never one against a
    commitment of a proposal the requester may not see)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, review):
        _request, user = _requester(self.context)
        provider_model = review._meta.get_field("provider").related_model
        model = provider_model._meta.get_field("social_value_deliveries").related_model
        readings = model.objects.filter(provider_id=review.provider_id, review_date=review.date)
        readings = visible_deliveries(user, readings).select_related("commitment")
        return [
            {
                "measure": reading.commitment.measure,
                "measure_label": reading.commitment.get_measure_display(),
                "description": reading.commitment.description,
                "unit": reading.commitment.unit,
                "target": str(reading.commitment.target),
                "delivered": str(reading.delivered),
                "note": reading.note,
            }
            for reading in readings.order_by("sort_order", "pk")
        ]


class VisibleProviderAttendanceField(serializers.Field):
    """The providers who attended a meeting: only those whose page the requester may see."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, manager):
        shown = []
        for row in manager.all():
            link = page_link(row.provider, self.context)
            if link is not None:
                shown.append(
                    {"provider": link, "attendee": row.attendee, "agenda_item": row.agenda_item}
                )
        return shown
