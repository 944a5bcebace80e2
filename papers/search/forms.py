"""The search and register parameters of a GET query string, read leniently by a Django form.

A results URL is meant to be shared and bookmarked, so an unknown value, a bad date or an
impossible page number is dropped or corrected with a message: never a server error.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from ..models import CabinetCommittee, ServiceArea
from ..models.choices import AdviceFollowed, Outcome, Stage
from .kinds import KINDS

MAX_VALUES = 20
MAX_PAGE = 100_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y")
SORTS = {"relevance": "Most relevant", "newest": "Newest first"}


@dataclass
class Choice:
    value: str
    label: str
    key: object = None  # what a hit holds for it where that is not ``value``: an id


def choices_for(dimension):
    """The options of a filter, as (value used in the URL, label); value is a stable slug."""
    if dimension == "type":
        return [Choice(key, kind.plural) for key, kind in KINDS.items()]
    if dimension == "stage":
        return [Choice(value, label) for value, label in Stage.choices]
    if dimension == "outcome":
        return [Choice(value, label) for value, label in Outcome.choices]
    if dimension == "advice":
        return [Choice(value, label) for value, label in AdviceFollowed.choices]
    if dimension == "area":
        return [Choice(a.slug, a.name, a.pk) for a in ServiceArea.objects.order_by("name")]
    if dimension == "committee":
        return [Choice(c.slug, c.name, c.pk) for c in CabinetCommittee.objects.order_by("name")]
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


class QueryField(forms.CharField):
    """The words typed, as typed (the query parser makes them safe), NUL bytes as spaces."""

    def to_python(self, value):
        return super().to_python(value).replace("\x00", " ")


class LenientDateField(forms.DateField):
    """A date in any of the usual ways of writing one, between 1900 and 2200."""

    def __init__(self, **kwargs):
        super().__init__(
            input_formats=DATE_FORMATS,
            required=False,
            validators=[
                MinValueValidator(datetime.date(1900, 1, 1)),
                MaxValueValidator(datetime.date(2200, 12, 31)),
            ],
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(" ".join((value or "")[:40].split()))


class KnownChoicesField(forms.MultipleChoiceField):
    """The options given in the address (at most MAX_VALUES); the form keeps the known ones."""

    def to_python(self, value):
        return {v for v in super().to_python(value)[:MAX_VALUES] if v}

    def validate(self, value):
        """Unknown options are left out with a notice by ``leave_out_unknown``, not refused."""


def leave_out_unknown(form, data, labels):
    """Keep in ``data`` only the options each ``KnownChoicesField`` of ``labels`` ({field name:
    what the notice calls it}) offers; a notice in ``form.notices`` for each that lost some."""
    for name, label in labels.items():
        given = data.get(name, set())
        known = {value for value in given if form.fields[name].valid_value(value)}
        if known != given:
            form.notices.append(
                f"Some {label} options in the address were not recognised and were left out."
            )
        data[name] = known


class SearchForm(forms.Form):
    """Every parameter optional; what cannot be used becomes a notice in ``notices``."""

    q = QueryField(required=False, strip=False)
    sort = forms.ChoiceField(choices=SORTS.items(), required=False)
    page = forms.IntegerField(required=False)

    def __init__(self, data, dimensions):
        super().__init__(data)
        self.dimensions = dimensions
        self.notices = []
        self.fields["from"] = LenientDateField()
        self.fields["to"] = LenientDateField()
        self.options = {dimension: choices_for(dimension) for dimension in dimensions}
        for dimension, options in self.options.items():
            choices = [(choice.value, choice.label) for choice in options]
            self.fields[dimension] = KnownChoicesField(choices=choices, required=False)

    def clean(self):
        data = super().clean()
        labels = {dimension: dimension_label(dimension).lower() for dimension in self.dimensions}
        leave_out_unknown(self, data, labels)
        for name in ("from", "to"):
            if name in self.errors:
                self.notices.append(
                    f"The ‘{name}’ date was not understood, so it was not used. "
                    "Enter a date like 2025-03-12."
                )
        date_from, date_to = data.get("from"), data.get("to")
        if date_from and date_to and date_from > date_to:
            data["from"], data["to"] = date_to, date_from
            self.notices.append("The ‘from’ date was after the ‘to’ date, so they were swapped.")
        return data


def read(querydict, dimensions):
    """Read a GET QueryDict into Params for the given filter dimensions."""
    form = SearchForm(querydict, dimensions)
    form.is_valid()  # every field optional and lenient: what failed is in form.notices
    data = form.cleaned_data
    page = data.get("page") or 1
    return Params(
        q=data.get("q", ""),
        selected={dimension: data[dimension] for dimension in dimensions},
        date_from=data.get("from"),
        date_to=data.get("to"),
        sort=data.get("sort") or "relevance",
        page=min(max(page, 1), MAX_PAGE),
        messages=form.notices,
        options=form.options,
    )


LABELS = {
    "type": "Type",
    "stage": "Commissioning stage",
    "area": "Service area",
    "outcome": "Decision outcome",
    "committee": "Cabinet Committee",
    "advice": "Board's advice followed",
}


def dimension_label(dimension):
    return LABELS.get(dimension, dimension)
