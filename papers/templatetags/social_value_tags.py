"""Social value and providers at meetings on the pages that show them: a proposal's
commitments, what each contract review heard was delivered, the providers who attended a
meeting, and the meetings a provider attended. Each reads through papers.visibility and works
in a preview too (a page's own relations are read as lists)."""

from django import template
from wagtail.models import Page

from papers.choices import SocialValueUnit
from papers.models import ProviderAttendance, SocialValueCommitment
from papers.visibility import visible_commitments, visible_pages, visible_provider_attendance

register = template.Library()


@register.filter
def sv_value(value, unit):
    """12, 45%, £12,000, 1,200 hours, 35 tonnes: a target or a reading in its unit."""
    if value is None:
        return ""
    number = value.normalize() if value != value.to_integral_value() else value.quantize(1)
    text = f"{number:,f}"
    if unit == SocialValueUnit.PERCENT:
        return f"{text}%"
    if unit == SocialValueUnit.POUNDS:
        return f"£{text}"
    if unit in (SocialValueUnit.HOURS, SocialValueUnit.TONNES):
        return f"{text} {unit}"
    return text


@register.simple_tag
def providers_at_meeting(page, user):
    """The meeting's providers who attended, only those whose page ``user`` may see, with
    the agenda item they came for: [(row, provider, agenda item or None)]."""
    rows = list(page.provider_attendance.all())
    if not rows:
        return []
    ids = {row.provider_id for row in rows}
    providers = {p.pk: p for p in visible_pages(user, Page.objects.filter(pk__in=ids))}
    items = {item.number.strip().lower(): item for item in page.agenda_items.all() if item.number}
    return [
        (row, providers[row.provider_id], items.get(row.agenda_item.strip().lower()))
        for row in rows
        if row.provider_id in providers
    ]


@register.simple_tag
def meetings_attended(page, user):
    """Board meetings ``user`` may see that the provider attended, newest first."""
    if page.pk is None:
        return []
    rows = visible_provider_attendance(user, ProviderAttendance.objects.filter(provider=page))
    return list(rows.select_related("meeting").order_by("-meeting__start", "sort_order"))


@register.simple_tag
def deliveries_by_review(page, user):
    """{review date: [(reading, commitment)]} of the provider's social value readings against
    commitments of proposals ``user`` may see (the page itself is visible to them)."""
    readings = [r for r in page.social_value_deliveries.all() if r.commitment_id]
    if not readings:
        return {}
    ids = {reading.commitment_id for reading in readings}
    commitments = SocialValueCommitment.objects.filter(pk__in=ids)
    shown = {c.pk: c for c in visible_commitments(user, commitments)}
    grouped = {}
    for reading in readings:
        if reading.commitment_id in shown:
            grouped.setdefault(reading.review_date, []).append(
                (reading, shown[reading.commitment_id])
            )
    return grouped


@register.filter
def at_review(grouped, review):
    return grouped.get(review.date, [])
