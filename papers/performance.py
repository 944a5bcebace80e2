"""A provider's performance over time (issue 14, item 2): KPI readings drawn as SVG line charts
(the same figures in a table beside each), and each contract's RAG rating history.

Pure geometry: the charts are computed here from the readings and drawn by the template, so a
chart and its table are made from the very same list.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 48, 16, 48
TICKS = 4


@dataclass
class Point:
    x: float
    y: float
    value: Decimal


@dataclass
class Chart:
    contract: str
    indicator: str
    unit: str
    readings: list  # KpiReading, oldest period first: the table's rows
    actual: list = field(default_factory=list)  # Point
    target: list = field(default_factory=list)  # Point (periods without a target left out)
    y_ticks: list = field(default_factory=list)  # (y, label)
    x_labels: list = field(default_factory=list)  # (x, label)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def first_period(self):
        return self.readings[0].period if self.readings else ""

    @property
    def last_period(self):
        return self.readings[-1].period if self.readings else ""

    @property
    def actual_path(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.actual)

    @property
    def target_path(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.target)


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``value`` (an axis that reads easily)."""
    if value <= 0:
        return Decimal(1)
    value = Decimal(value)
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _label(value, unit):
    text = f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return f"{text}{unit}" if unit == "%" else text


def chart(contract, indicator, unit, readings):
    """The chart of one indicator of one contract, ``readings`` oldest first."""
    result = Chart(contract, indicator, unit, list(readings))
    values = [r.actual for r in readings] + [r.target for r in readings if r.target is not None]
    top = nice_ceiling(max(values, default=Decimal(1)))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(readings)

    def x_at(index):
        return LEFT + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

    def y_at(value):
        return TOP + plot_h * (1 - float(value / top))

    for index, reading in enumerate(readings):
        x = x_at(index)
        result.x_labels.append((x, reading.period))
        result.actual.append(Point(x, y_at(reading.actual), reading.actual))
        if reading.target is not None:
            result.target.append(Point(x, y_at(reading.target), reading.target))
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        result.y_ticks.append((y_at(value), _label(value, unit)))
    return result


def charts_for(contracts, readings):
    """Charts for each contract (in the page's order), one per indicator in the order first
    read: [(contract, [Chart])]. A reading names its contract by title or reference."""
    by_name = {}
    for contract in contracts:
        for name in (contract.title, contract.contract_reference):
            if name:
                by_name.setdefault(name.strip().lower(), contract)
    grouped = {contract.pk: {} for contract in contracts}
    for reading in sorted(readings, key=lambda r: (r.period_end, r.sort_order or 0)):
        contract = by_name.get(reading.contract.strip().lower())
        if contract is not None:
            key = (reading.indicator, reading.unit)
            grouped[contract.pk].setdefault(key, []).append(reading)
    return [
        (
            contract,
            [
                chart(contract.title, indicator, unit, rows)
                for (indicator, unit), rows in grouped[contract.pk].items()
            ],
        )
        for contract in contracts
    ]


@dataclass
class Rating:
    date: object  # None for the current rating
    source: str
    rating: str
    label: str


def rating_history(contract, reviews):
    """The contract's RAG ratings oldest first: each review of it, then its rating now."""
    names = {n.strip().lower() for n in (contract.title, contract.contract_reference) if n}
    reviewed = sorted(
        (r for r in reviews if r.contract.strip().lower() in names),
        key=lambda r: (r.date, r.pk or 0),
    )
    history = [Rating(r.date, r.title, r.rag_rating, r.get_rag_rating_display()) for r in reviewed]
    history.append(Rating(None, "Now", contract.rag_rating, contract.get_rag_rating_display()))
    return history
