"""A provider's performance over time (issue 14, item 2): KPI charts whose tables equal the
readings, the RAG rating's history, and contract reviews in date order linked to meetings."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest

from papers.models import KpiReading
from papers.models.choices import Audience, RagRating
from papers.performance import chart, nice_ceiling
from tests import factories as f
from tests.public.helpers import restrict

pytestmark = pytest.mark.django_db
D = datetime.date

READINGS = [
    ("2025-26 Q2", D(2025, 9, 30), "95", "92"),
    ("2025-26 Q1", D(2025, 6, 30), "95", "94"),  # entered out of order: shown by period
    ("2025-26 Q3", D(2025, 12, 31), "95", "88.5"),
    ("2025-26 Q4", D(2026, 3, 31), None, "81"),
]


@pytest.fixture
def provider():
    meeting = f.MeetingPageFactory(title="16 September 2026", slug="2026-09-16")
    secret_meeting = restrict(
        f.MeetingPageFactory(title="Private session", slug="private-session"), Audience.BOARD
    )
    page = f.ProviderProfilePageFactory(
        title="Downland Equipment Trust",
        contracts=[
            {
                "title": "Community equipment",
                "contract_reference": "JC-ICES",
                "rag_rating": RagRating.RED,
            }
        ],
        reviews=[
            {
                "contract": "JC-ICES",
                "title": "Recovery plan review",
                "date": D(2026, 9, 16),
                "rag_rating": RagRating.RED,
                "meeting": meeting,
            },
            {
                "contract": "Community equipment",
                "title": "Annual review",
                "date": D(2025, 3, 11),
                "rag_rating": RagRating.GREEN,
                "meeting": secret_meeting,
            },
        ],
    )
    for order, (period, end, target, actual) in enumerate(READINGS):
        KpiReading.objects.create(
            provider=page,
            sort_order=order,
            contract="JC-ICES",
            indicator="Standard deliveries within 7 days",
            unit="%",
            period=period,
            period_end=end,
            target=Decimal(target) if target else None,
            actual=Decimal(actual),
        )
    KpiReading.objects.create(
        provider=page,
        contract="No such contract",
        indicator="Orphan indicator",
        period="2025-26 Q1",
        period_end=D(2025, 6, 30),
        actual=Decimal(1),
    )
    return page


def page_html(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_chart_table_equals_the_readings(client, provider):
    html = page_html(client, provider)
    table = re.search(r'<table class="govuk-table app-kpi-table".*?</table>', html, re.S).group(0)
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r"<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>",
        table,
    )
    assert rows == [
        ("2025-26 Q1", "95%", "94%"),
        ("2025-26 Q2", "95%", "92%"),
        ("2025-26 Q3", "95%", "88.5%"),
        ("2025-26 Q4", "None set", "81%"),
    ]
    svg = re.search(r"<svg class=\"app-chart__svg\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert (
        "Standard deliveries within 7 days: actual against target, 2025-26 Q1 to 2025-26 Q4" in svg
    )
    # One point per reading, in the same order as the table, higher for a higher figure.
    points = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert len(points) == 4
    assert points[0] < points[1] < points[2] < points[3]  # 94 > 92 > 88.5 > 81: lower on screen
    labels = re.findall(r'text-anchor="middle"[^>]*>([^<]+)</text>', svg)
    assert labels == [row[0] for row in rows]
    assert "Orphan indicator" not in html  # a reading of no contract on the page is not drawn


def test_chart_geometry_follows_the_figures():
    class R:
        def __init__(self, period, target, actual):
            self.period, self.target, self.actual = period, target, actual

    drawn = chart("C", "Missed visits", "%", [R("Q1", Decimal("0.5"), Decimal("0.3"))])
    assert nice_ceiling(Decimal("0.5")) == Decimal("0.5")
    assert [label for _y, label in drawn.y_ticks] == ["0%", "0.125%", "0.25%", "0.375%", "0.5%"]
    assert drawn.target[0].y == pytest.approx(16)  # the target is the top of the axis
    assert drawn.actual[0].y > drawn.target[0].y
    assert nice_ceiling(Decimal(96)) == 100 and nice_ceiling(Decimal(1420)) == 2000


def test_the_rating_history_and_reviews_in_date_order(client, provider):
    html = page_html(client, provider)
    history = re.search(r'<table class="govuk-table app-rating-history">.*?</table>', html, re.S)
    entries = re.findall(
        r"<th scope=\"row\"[^>]*>([^<]+)</th><td[^>]*><strong[^>]*>(\w+)<", history.group(0)
    )
    assert entries == [
        ("11 March 2025: Annual review", "Green"),
        ("16 September 2026: Recovery plan review", "Red"),
        ("Now", "Red"),
    ]
    reviews = html[html.index("Contract review meetings") :]
    assert reviews.index("Annual review") < reviews.index("Recovery plan review")


def test_a_review_links_to_its_meeting_only_when_the_reader_may_see_it(client, provider):
    html = page_html(client, provider)
    assert '<a class="govuk-link" href="/meetings/2026-09-16/">16 September 2026</a>' in html
    assert "Private session" not in html and "private-session" not in html
    client.force_login(f.BoardMemberUserFactory())
    html = page_html(client, provider)
    assert "Private session</a>" in html


def test_the_api_gives_the_readings_of_visible_providers(client, provider):
    response = client.get(f"/api/v2/pages/{provider.pk}/")
    readings = response.json()["kpi_readings"]
    assert len(readings) == 5
    assert {r["period"] for r in readings} >= {"2025-26 Q1", "2025-26 Q4"}
    restrict(provider, Audience.MEMBERS)
    assert client.get(f"/api/v2/pages/{provider.pk}/").status_code == 404
