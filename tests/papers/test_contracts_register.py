"""The contracts register at /contracts/ and its Transparency Code CSV (issue 14, item 1)."""

import csv
import datetime
import io
import re
from decimal import Decimal
from html import unescape

import pytest

from papers import attention
from papers.contracts import CSV_HEADER, PAGE_SIZE
from papers.csv_export import neutralise
from papers.models.choices import Audience, ProcurementRoute, RagRating, Sector
from tests import factories as f
from tests.public.helpers import councillor, restrict

pytestmark = pytest.mark.django_db
D = datetime.date

# The contract fields of the Local Government Transparency Code 2015, as the CSV names them.
TRANSPARENCY_CODE_COLUMNS = [
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


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(attention, "today", lambda: D(2026, 12, 2))


def contract(**fields):
    data = {
        "title": "Home care, north lot",
        "service": "Home care visits in the north",
        "department": "Adult Social Care and Health",
        "annual_value": Decimal("6250000"),
        "total_value": Decimal("31250000"),
        "start_date": D(2024, 4, 1),
        "end_date": D(2029, 3, 31),
        "review_date": D(2027, 4, 1),
        "extension_options": "Up to two further years",
        "procurement_route": ProcurementRoute.OPEN_TENDER,
        "supplier_registration_number": "08815562",
        "rag_rating": RagRating.GREEN,
    }
    data.update(fields)
    return data


@pytest.fixture
def providers():
    sme = f.ProviderProfilePageFactory(
        title="Brightwater Care Ltd",
        sector=Sector.SME,
        contracts=[contract(contract_reference="ASC-HC-N")],
        reviews=[],
    )
    charity = f.ProviderProfilePageFactory(
        title="Meadowbank Community Trust",
        sector=Sector.VOLUNTARY,
        contracts=[
            contract(
                title="Befriending grant",
                contract_reference="VCS-GR-1",
                service="Befriending for isolated residents",
                department="Communities",
                annual_value=Decimal("120000"),
                total_value=Decimal("360000"),
                end_date=D(2027, 9, 30),
                procurement_route=ProcurementRoute.GRANT,
                supplier_registration_number="1107734",
                rag_rating=RagRating.AMBER,
            ),
            # A contract of its own sector: an SME subsidiary of the trust.
            contract(
                title='=HYPERLINK("http://evil.example","Click")',
                contract_reference="-TRUST-2",
                sector=Sector.SME,
                annual_value=None,
                total_value=None,
                review_date=None,
            ),
        ],
        reviews=[],
    )
    secret = restrict(
        f.ProviderProfilePageFactory(
            title="Quillmere Business Services Ltd",
            sector=Sector.LARGE_PRIVATE,
            contracts=[
                contract(
                    title="Zephyrwick transactions hub pilot",
                    contract_reference="TP2-HUB",
                    supplier_registration_number="11472036",
                )
            ],
            reviews=[],
        ),
        Audience.MEMBERS,
    )
    return {"sme": sme, "charity": charity, "secret": secret}


def csv_rows(client, query=""):
    response = client.get(f"/contracts/contracts.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def listed(client, query=""):
    body = client.get(f"/contracts/{query}").content.decode()
    return [int(pk) for pk in re.findall(r'data-contract="(\d+)"', body)], body


def pks(page, *refs):
    return [c.pk for ref in refs for c in page.contracts.all() if c.contract_reference == ref]


def test_the_csv_has_the_transparency_code_columns_and_matches_the_register(client, providers):
    rows = csv_rows(client)
    assert rows[0] == TRANSPARENCY_CODE_COLUMNS == CSV_HEADER
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_reference["ASC-HC-N"] == {
        "Reference": "ASC-HC-N",
        "Title": "Home care, north lot",
        "Description": "Home care visits in the north",
        "Department": "Adult Social Care and Health",
        "Supplier name": "Brightwater Care Ltd",
        "Supplier registration number": "08815562",
        "SME": "Yes",
        "VCSE": "No",
        "Value (£)": "31250000.00",
        "Annual value (£)": "6250000.00",
        "Start date": "2024-04-01",
        "End date": "2029-03-31",
        "Review date": "2027-04-01",
        "Extension options": "Up to two further years",
        "Procurement process": "Published invitation to tender (open procedure)",
    }
    assert (by_reference["VCS-GR-1"]["SME"], by_reference["VCS-GR-1"]["VCSE"]) == ("No", "Yes")
    # A contract's own sector wins over its provider's.
    assert (by_reference["'-TRUST-2"]["SME"], by_reference["'-TRUST-2"]["VCSE"]) == ("Yes", "No")
    assert by_reference["'-TRUST-2"]["Value (£)"] == ""

    # The same contracts, in the same order, as the register lists them.
    order, body = listed(client)
    assert len(order) == len(rows) - 1 == 3
    titles = re.findall(r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">([^<]+)</h3>', body)
    assert [row[1] for row in rows[1:]] == [neutralise(unescape(t)) for t in titles]


def test_the_csv_neutralises_formulas(client, providers):
    rows = csv_rows(client)
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Click")' in cells
    assert "'-TRUST-2" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("query", ["", "?sector=sme", "?attention=yes", "?sort=value"])
def test_a_members_only_providers_contracts_never_reach_the_public(client, providers, query):
    order, body = listed(client, query)
    secret = providers["secret"].contracts.get()
    assert secret.pk not in order
    for text in ("Zephyrwick", "Quillmere", "TP2-HUB", "11472036"):
        assert text not in body
        assert text not in client.get(f"/contracts/contracts.csv{query}").content.decode()
    if not query:
        assert "3 contracts" in body  # not counted either


def test_a_councillor_sees_members_only_contracts(client, providers):
    client.force_login(councillor())
    order, body = listed(client)
    assert providers["secret"].contracts.get().pk in order
    assert "4 contracts" in body
    rows = csv_rows(client)
    assert "TP2-HUB" in [row[0] for row in rows]
    # Signed in: nothing of it may be kept by a shared cache.
    response = client.get("/contracts/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_api_exposes_contract_fields_for_visible_providers_only(client, providers):
    response = client.get(
        "/api/v2/pages/", {"type": "papers.ProviderProfilePage", "fields": "contracts"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    titles = {item["title"] for item in items}
    assert "Quillmere Business Services Ltd" not in titles
    assert providers["secret"].pk not in {item["id"] for item in items}
    detail = client.get(f"/api/v2/pages/{providers['secret'].pk}/")
    assert detail.status_code == 404
    charity = next(item for item in items if item["title"] == "Meadowbank Community Trust")
    grant = next(c for c in charity["contracts"] if c["contract_reference"] == "VCS-GR-1")
    assert grant["service"] == "Befriending for isolated residents"
    assert grant["department"] == "Communities"
    assert grant["total_value"] == "360000.00"
    assert grant["review_date"] == "2027-04-01"
    assert grant["procurement_route"] == ProcurementRoute.GRANT
    assert grant["supplier_sector"] == Sector.VOLUNTARY
    assert grant["supplier_registration_number"] == "1107734"
    assert grant["extension_options"] == "Up to two further years"
    assert "Zephyrwick" not in client.get("/api/v2/pages/", {"limit": 100}).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?sector=sme", [("sme", "ASC-HC-N"), ("charity", "-TRUST-2")]),
        ("?sector=voluntary", [("charity", "VCS-GR-1")]),
        (
            "?sector=voluntary&sector=sme",
            [("sme", "ASC-HC-N"), ("charity", "VCS-GR-1"), ("charity", "-TRUST-2")],
        ),
        ("?rag=amber", [("charity", "VCS-GR-1")]),
        ("?route=grant", [("charity", "VCS-GR-1")]),
        ("?department=Communities", [("charity", "VCS-GR-1")]),
        ("?q=befriending", [("charity", "VCS-GR-1")]),
        ("?q=brightwater", [("sme", "ASC-HC-N")]),
        ("?status=ended", []),
        ("?attention=yes", [("charity", "VCS-GR-1")]),  # ends within 18 months
    ],
)
def test_filters(client, providers, query, expected):
    order, body = listed(client, query)
    wanted = {pk for key, ref in expected for pk in pks(providers[key], ref)}
    assert set(order) == wanted
    assert f"{len(wanted)} contract" in body and "match" in body
    # The CSV link carries the filters, and the CSV holds the same contracts.
    rows = csv_rows(client, query)
    assert {row[0].lstrip("'") for row in rows[1:]} == {ref for _key, ref in expected}


def test_sorting(client, providers):
    by_end, _ = listed(client)  # ending soonest, then by provider
    assert by_end == pks(providers["charity"], "VCS-GR-1") + pks(
        providers["sme"], "ASC-HC-N"
    ) + pks(providers["charity"], "-TRUST-2")
    by_value, _ = listed(client, "?sort=value")
    assert by_value == pks(providers["sme"], "ASC-HC-N") + pks(
        providers["charity"], "VCS-GR-1", "-TRUST-2"
    )  # no value given: last
    by_provider, body = listed(client, "?sort=provider")
    assert by_provider[0] in pks(providers["sme"], "ASC-HC-N")
    assert '<option value="provider" selected>' in body


@pytest.mark.parametrize(
    "query",
    [
        "?sector=nonsense",
        "?sort=%00",
        "?page=999999999999999999999",
        "?department=Nowhere",
        "?q=" + "x" * 5000,
        "?rag=purple&route=%3Cscript%3E",
        "?status=tomorrow&attention=maybe",
    ],
)
def test_bad_parameters_are_never_an_error(client, providers, query):
    response = client.get(f"/contracts/{query}")
    assert response.status_code == 200
    assert client.get(f"/contracts/contracts.csv{query}").status_code == 200


def test_unknown_options_are_left_out_with_a_notice(client, providers):
    body = client.get("/contracts/?sector=nonsense&department=Nowhere").content.decode()
    assert "Some supplier sector options in the address were not recognised" in body
    assert "There are no contracts for that department" in body
    assert "3 contracts" in body


def test_pagination(client, db):
    f.ProviderProfilePageFactory(
        title="Hollins Facilities plc",
        contracts=[
            contract(
                title=f"Lot {n:02d}", contract_reference=f"LOT-{n:02d}", end_date=D(2030, 1, n)
            )
            for n in range(1, PAGE_SIZE + 4)
        ],
        reviews=[],
    )
    first, body = listed(client)
    assert len(first) == PAGE_SIZE
    assert f"{PAGE_SIZE + 3} contracts" in body
    assert 'href="?page=2"' in body
    second, _ = listed(client, "?page=2")
    assert len(second) == 3 and not set(first) & set(second)
    assert len(csv_rows(client)) == PAGE_SIZE + 3 + 1  # the CSV is never paginated


def test_the_register_page_shows_what_members_need(client, providers):
    _order, body = listed(client)
    assert "Contracts register" in body
    assert "Brightwater Care Ltd" in body and providers["sme"].url in body
    assert "£6,250,000 a year" in body and "£31,250,000 in all" in body
    assert "Up to two further years" in body
    assert "Published invitation to tender (open procedure)" in body
    assert 'href="/contracts/contracts.csv"' in body
    assert '<label class="govuk-label govuk-label--s" for="contracts-sort">Sort by</label>' in body


def test_anonymous_register_and_csv_are_cached_and_purged_on_publish(client, providers, page_cache):
    first = client.get("/contracts/")
    assert "public" in first["Cache-Control"]
    assert client.get("/contracts/")["X-Page-Cache"] == "hit"
    assert client.get("/contracts/contracts.csv")["X-Page-Cache"] == "miss"
    assert client.get("/contracts/contracts.csv")["X-Page-Cache"] == "hit"
    # The Chair restricts a provider: its contracts leave the cached register at once.
    restrict(providers["sme"], Audience.MEMBERS)
    after = client.get("/contracts/")
    assert after.get("X-Page-Cache") != "hit"
    assert "Brightwater Care Ltd" not in after.content.decode()
    assert "ASC-HC-N" not in client.get("/contracts/contracts.csv").content.decode()
