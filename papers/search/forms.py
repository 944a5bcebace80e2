"""Read search and register parameters from a GET query string, leniently.

A results URL is meant to be shared and bookmarked, so an unknown value, a bad date or an
impossible page number is dropped or corrected with a message: never a server error.
"""

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict

from papers.models import CabinetCommittee, ServiceArea
from papers.models.choices import Outcome, Stage

from .kinds import KINDS

MAX_VALUES = 20
MAX_PAGE = 100_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y")
SORTS = {"relevance": "Most relevant", "newest": "Newest first"}


def parse_date(value):
    value = " ".join(value.split())
    for fmt in DATE_FORMATS:
        try:
            date = datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if 1900 <= date.year <= 2200:
            return date
    return None


def parse_page(value):
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


@dataclass
class Choice:
    value: str
    label: str


def choices_for(dimension):
    """The options of a filter, as (value used in the URL, label); value is a stable slug."""
    if dimension == "type":
        return [Choice(key, kind.plural) for key, kind in KINDS.items()]
    if dimension == "stage":
        return [Choice(value, label) for value, label in Stage.choices]
    if dimension == "outcome":
        return [Choice(value, label) for value, label in Outcome.choices]
    if dimension == "area":
        return [Choice(a.slug, a.name) for a in ServiceArea.objects.order_by("name")]
    if dimension == "committee":
        return [Choice(c.slug, c.name) for c in CabinetCommittee.objects.order_by("name")]
    raise KeyError(dimension)


@dataclass
class Params:
    q: str = ""
    selected: dict = field(default_factory=dict)  # dimension -> set of slugs
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    messages: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # dimension -> [Choice]

    @property
    def has_filters(self):
        return any(self.selected.values()) or bool(self.date_from or self.date_to)

    def querystring(self, **changes):
        """This search as a query string, with some parameters changed (None drops one)."""
        data = QueryDict(mutable=True)
        values = {
            "q": self.q,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": "" if self.sort == "relevance" else self.sort,
        }
        values.update({k: v for k, v in changes.items() if k in values})
        for key, value in values.items():
            if value:
                data[key] = value
        for dimension, chosen in self.selected.items():
            chosen = changes.get(dimension, chosen)
            if chosen:
                data.setlist(dimension, sorted(chosen))
        if changes.get("page", 1) not in (None, 1):
            data["page"] = str(changes["page"])
        return data.urlencode()


def read(querydict, dimensions):
    """Read a GET QueryDict into Params for the given filter dimensions."""
    params = Params()
    q = querydict.get("q", "")
    params.q = q if isinstance(q, str) else ""
    for dimension in dimensions:
        options = choices_for(dimension)
        params.options[dimension] = options
        known = {choice.value for choice in options}
        raw = [v for v in querydict.getlist(dimension)[:MAX_VALUES] if v]
        chosen = {v for v in raw if v in known}
        if len(chosen) < len(set(raw)):
            params.messages.append(
                f"Some {dimension_label(dimension).lower()} options in the address were not "
                "recognised and were left out."
            )
        params.selected[dimension] = chosen
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = querydict.get(name, "").strip()
        if not raw:
            continue
        date = parse_date(raw[:40])
        if date is None:
            params.messages.append(
                f"The ‘{name}’ date was not understood, so it was not used. "
                "Enter a date like 2025-03-12."
            )
        setattr(params, attr, date)
    if params.date_from and params.date_to and params.date_from > params.date_to:
        params.date_from, params.date_to = params.date_to, params.date_from
        params.messages.append("The ‘from’ date was after the ‘to’ date, so they were swapped.")
    sort = querydict.get("sort", "relevance")
    params.sort = sort if sort in SORTS else "relevance"
    params.page = parse_page(querydict.get("page", "1"))
    return params


LABELS = {
    "type": "Type",
    "stage": "Commissioning stage",
    "area": "Service area",
    "outcome": "Decision outcome",
    "committee": "Cabinet Committee",
}


def dimension_label(dimension):
    return LABELS.get(dimension, dimension)
