"""A provider's performance over time on its page: KPI charts and RAG history
(papers.performance). Works in a preview too: the page's relations are read as lists."""

from django import template

from papers.performance import charts_for, rating_history

register = template.Library()


@register.simple_tag
def provider_performance(page):
    """[(contract, [Chart], [Rating])] for each of the page's contracts, in the page's order."""
    contracts = list(page.contracts.all())
    reviews = list(page.reviews.all())
    readings = list(page.kpi_readings.all())
    return [
        (contract, charts, rating_history(contract, reviews))
        for contract, charts in charts_for(contracts, readings)
    ]


@register.filter
def by_date(reviews):
    """Contract reviews oldest first (the admin's order is the officer's, not the calendar's)."""
    return sorted(reviews, key=lambda review: (review.date, review.pk or 0))


@register.filter
def kpi_value(value, unit):
    """95% or 1,200 hours: a reading as the table shows it (no trailing zeros)."""
    if value is None:
        return ""
    number = value.normalize() if value != value.to_integral_value() else value.quantize(1)
    text = f"{number:,f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
