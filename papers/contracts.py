"""The contracts register (/contracts/) and its CSV in the Local Government Transparency Code
2015's contract fields (issue 14).

Every contract of every provider page the reader may see (``visible_contracts``): a
members-only provider's contracts are neither listed, exported nor counted for the public.
The query string is read leniently, as the decisions register's is: an unknown value is left
out with a notice, never a server error. The CSV applies the same filters and order as the
page, without pagination, so the download is exactly the register the reader is looking at.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import attention
from .choices import ProcurementRoute, RagRating, Sector
from .csv_export import write_csv
from .models import Contract
from .search.forms import KnownChoicesField, QueryField, leave_out_unknown
from .visibility import visible_contracts

PAGE_SIZE = 25
MAX_TEXT = 200
SORTS = {
    "end": ("Ending soonest", [F("end_date").asc(), "provider__title", "sort_order"]),
    "value": (
        "Highest annual value",
        [F("annual_value").desc(nulls_last=True), "provider__title", "sort_order"],
    ),
    "provider": ("Provider, A to Z", ["provider__title", "sort_order"]),
    "start": ("Newest first", [F("start_date").desc(), "provider__title", "sort_order"]),
    "review": (
        "Next review first",
        [F("review_date").asc(nulls_last=True), "provider__title", "sort_order"],
    ),
}
DEFAULT_SORT = "end"
STATUSES = {"current": "Running now", "ended": "Ended"}
MULTI = {
    "sector": Sector.choices,
    "rag": RagRating.choices,
    "route": ProcurementRoute.choices,
}
LABELS = {"sector": "supplier sector", "rag": "rating", "route": "procurement route"}


def _sort_choices():
    return [(key, label) for key, (label, _order) in SORTS.items()]


# The Transparency Code 2015 (paragraph 35's contract fields), one column each; the values of
# SME and VCSE are "Yes" / "No", dates ISO 8601, money in pounds without the sign.
CSV_HEADER = [
    "Reference",
    "Title",
    "Description",
    "Department",
    "Supplier name",
    "Supplier registration number",
    "SME",
    "VCSE",
    "Value (£)",
    "Annual value (£)",
    "Start date",
    "End date",
    "Review date",
    "Extension options",
    "Procurement process",
]


@dataclass
class Filters:
    q: str = ""
    selected: dict = field(default_factory=dict)  # sector / rag / route -> set of values
    department: str = ""
    status: str = ""
    attention: bool = False
    sort: str = DEFAULT_SORT
    page: str = "1"
    notices: list = field(default_factory=list)

    @property
    def active(self):
        chosen = any(self.selected.values())
        return bool(self.q or chosen or self.department or self.status or self.attention)

    def querystring(self, **changes):
        data = QueryDict(mutable=True)
        if self.q:
            data["q"] = self.q
        for name in MULTI:
            if self.selected.get(name):
                data.setlist(name, sorted(self.selected[name]))
        for name in ("department", "status"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.attention:
            data["attention"] = "yes"
        if self.sort != DEFAULT_SORT:
            data["sort"] = self.sort
        for key, value in changes.items():
            data[key] = value
        return data.urlencode()


class FilterForm(forms.Form):
    """The register's parameters, from the shared lenient fields of the search forms: every one
    optional, and what cannot be used becomes a notice in ``notices``."""

    q = QueryField(required=False)
    sector = KnownChoicesField(choices=Sector.choices, required=False)
    rag = KnownChoicesField(choices=RagRating.choices, required=False)
    route = KnownChoicesField(choices=ProcurementRoute.choices, required=False)
    status = forms.TypedChoiceField(choices=STATUSES.items(), required=False, empty_value="")
    attention = forms.CharField(required=False)
    sort = forms.TypedChoiceField(choices=_sort_choices(), required=False, empty_value="")
    page = forms.CharField(required=False)

    def __init__(self, data, departments):
        super().__init__(data)
        self.notices = []
        self.fields["department"] = forms.CharField(required=False)
        self.departments = departments

    def clean_q(self):
        return " ".join(self.cleaned_data["q"][:MAX_TEXT].split())

    def clean(self):
        data = super().clean()
        leave_out_unknown(self, data, {name: LABELS[name] for name in MULTI})
        department = data.get("department", "")
        if department and department not in self.departments:
            self.notices.append("There are no contracts for that department, so all are shown.")
            data["department"] = ""
        return data


def read_filters(querydict, departments):
    """The register's parameters from a GET query string; what cannot be used is a notice."""
    form = FilterForm(querydict, departments)
    form.is_valid()  # every field optional and lenient: what failed is in form.notices
    data = form.cleaned_data
    return Filters(
        q=data.get("q", ""),
        selected={name: data[name] for name in MULTI},
        department=data.get("department", ""),
        status=data.get("status", ""),
        attention=data.get("attention") == "yes",
        sort=data.get("sort") or DEFAULT_SORT,
        page=data.get("page") or "1",
        notices=form.notices,
    )


def supplier_sector():
    """A contract's own sector, or its provider's when it has none (``Contract.supplier_sector``
    in the database)."""
    return Coalesce(NullIf("sector", Value("")), "provider__sector")


def register_queryset(user, filters, today):
    """The contracts ``user`` may see, filtered and in order, with the columns of what needs
    the board's attention (``attention.with_flags``): a queryset, so the database filters,
    counts and cuts the page."""
    contracts = visible_contracts(user, Contract.objects.all()).annotate(
        effective_sector=supplier_sector()
    )
    if filters.q:
        for word in filters.q.split()[:10]:
            contracts = contracts.filter(
                any_field_contains(
                    word, ["title", "contract_reference", "service", "provider__title"]
                )
            )
    if filters.selected["sector"]:
        contracts = contracts.filter(effective_sector__in=filters.selected["sector"])
    if filters.selected["rag"]:
        contracts = contracts.filter(rag_rating__in=filters.selected["rag"])
    if filters.selected["route"]:
        contracts = contracts.filter(procurement_route__in=filters.selected["route"])
    if filters.department:
        contracts = contracts.filter(department=filters.department)
    if filters.status == "current":
        contracts = contracts.filter(start_date__lte=today, end_date__gte=today)
    elif filters.status == "ended":
        contracts = contracts.filter(end_date__lt=today)
    contracts = attention.with_flags(contracts, user, today)
    if filters.attention:
        contracts = contracts.filter(attention.needs_attention())
    return contracts.select_related("provider").order_by(*SORTS[filters.sort][1])


def any_field_contains(word, fields):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


def departments_for(user):
    visible = visible_contracts(user, Contract.objects.exclude(department=""))
    return sorted(set(visible.values_list("department", flat=True)))


@require_GET  # anonymous answers are cached like any public page (papers.caching)
def register(request):
    """/contracts/: every contract the reader may see, filterable and sortable."""
    departments = departments_for(request.user)
    filters = read_filters(request.GET, departments)
    rows = register_queryset(request.user, filters, attention.today())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(filters.page)
    query = filters.querystring()
    return render(
        request,
        "papers/contracts.html",
        {
            "filters": filters,
            "results_page": page,
            "total": paginator.count,
            "contracts": [(c, attention.flags_for(c), c.provider.get_url(request)) for c in page],
            "sectors": Sector.choices,
            "ratings": RagRating.choices,
            "routes": ProcurementRoute.choices,
            "departments": departments,
            "statuses": STATUSES,
            "sorts": {key: label for key, (label, _order) in SORTS.items()},
            "reasons": attention.REASONS,
            "csv_query": f"?{query}" if query else "",
        },
    )


def csv_row(contract):
    sector = contract.effective_sector
    return [
        contract.contract_reference,
        contract.title,
        contract.service,
        contract.department,
        contract.provider.title,
        contract.supplier_registration_number,
        "Yes" if sector == Sector.SME else "No",
        "Yes" if sector == Sector.VOLUNTARY else "No",
        _amount(contract.total_value),
        _amount(contract.annual_value),
        _date(contract.start_date),
        _date(contract.end_date),
        _date(contract.review_date),
        contract.extension_options,
        contract.get_procurement_route_display(),
    ]


def _amount(value):
    return "" if value is None else f"{value:.2f}"


def _date(value):
    return value.isoformat() if isinstance(value, datetime.date) else ""


@require_GET
def register_csv(request):
    """/contracts/contracts.csv: the register as the reader filtered it, every row."""
    filters = read_filters(request.GET, departments_for(request.user))
    rows = register_queryset(request.user, filters, attention.today())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contracts.csv"'
    write_csv(response, CSV_HEADER, (csv_row(contract) for contract in rows))
    return response
