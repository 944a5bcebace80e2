"""Provider profiles, contracts and contract reviews: placement, the admin form, the page."""

import datetime
from decimal import Decimal

import pytest

from papers.models import ProviderIndexPage, ProviderProfilePage
from papers.models.choices import RagRating, Sector
from tests import factories as f
from tests.admin_forms import (
    assert_add_refused,
    assert_refused,
    assert_saved,
    board_page_data,
    edit_url,
    inline_formset,
    post_add,
    post_edit,
    revision_count,
)

pytestmark = pytest.mark.django_db


def contract_form(**fields):
    data = {
        "title": "Facilities management, county buildings",
        "contract_reference": "CORP-FM-2024",
        "annual_value": "3400000.00",
        "start_date": "2024-04-01",
        "end_date": "2029-03-31",
        "owner": "Bethan Hughes",
        "rag_rating": RagRating.AMBER,
        "kpis": "Reactive repairs on time: 92%\nPlanned maintenance complete: 98%",
    }
    data.update(fields)
    return data


def review_form(**fields):
    data = {
        "title": "Six-month review",
        "date": "2024-10-15",
        "contract": "Facilities management, county buildings",
        "outcome": "Reactive repairs recovered to 92% after a poor first quarter.",
        "rag_rating": RagRating.AMBER,
        "next_review": "2025-04-15",
    }
    data.update(fields)
    return data


def provider_data(
    title="Hollins Facilities plc", contracts=None, reviews=None, readings=None, **fields
):
    data = board_page_data(
        title,
        slug="hollins-facilities",
        sector=Sector.LARGE_PRIVATE,
        services="Facilities management for 140 county buildings.",
        performance_contact="Bethan Hughes, Contract Manager (Property)",
        performance_contact_email="property.contracts@example.gov.uk",
        website="https://hollins.example.com",
        contracts=inline_formset(contracts if contracts is not None else [contract_form()]),
        reviews=inline_formset(reviews if reviews is not None else [review_form()]),
        kpi_readings=inline_formset(readings or []),
        social_value_deliveries=inline_formset([]),
    )
    data.update(fields)
    return data


# -- where providers may be created -----------------------------------------------------------


def test_providers_section_only_under_home_and_only_one():
    home = f.home_page()
    assert ProviderIndexPage.can_create_at(home)
    assert not ProviderIndexPage.can_create_at(f.ProposalIndexPageFactory())
    f.ProviderIndexPageFactory()
    assert not ProviderIndexPage.can_create_at(home)


def test_provider_profiles_only_in_the_providers_section():
    index = f.ProviderIndexPageFactory()
    provider = f.ProviderProfilePageFactory(parent=index)
    assert ProviderProfilePage.can_create_at(index)
    for wrong in (
        f.home_page(),
        f.ProposalIndexPageFactory(),
        f.MeetingIndexPageFactory(),
        provider,
        f.StandardPageFactory(),
    ):
        assert not ProviderProfilePage.can_create_at(wrong), type(wrong).__name__
    assert index.allowed_subpage_models() == [ProviderProfilePage]
    assert provider.allowed_subpage_models() == []


def test_admin_refuses_a_provider_in_the_wrong_place(admin_client):
    f.ProviderIndexPageFactory()
    for parent in (f.home_page(), f.ProposalIndexPageFactory()):
        assert_add_refused(admin_client, ProviderProfilePage, parent, provider_data())


def test_admin_refuses_a_second_providers_section(admin_client):
    f.ProviderIndexPageFactory()
    assert_add_refused(admin_client, ProviderIndexPage, f.home_page())


def test_admin_creates_a_provider_with_contracts_and_reviews(admin_client):
    index = f.ProviderIndexPageFactory()
    response = post_add(admin_client, ProviderProfilePage, index, provider_data(), publish=True)
    assert_saved(response)
    provider = ProviderProfilePage.objects.child_of(index).get()
    assert provider.live and provider.sector == Sector.LARGE_PRIVATE
    contract = provider.contracts.get()
    assert contract.end_date == datetime.date(2029, 3, 31)
    assert contract.kpi_list == [
        "Reactive repairs on time: 92%",
        "Planned maintenance complete: 98%",
    ]
    assert provider.reviews.get().next_review == datetime.date(2025, 4, 15)


def test_admin_saves_the_registers_contract_fields_and_kpi_readings(admin_client):
    """Issue 14: the contracts register's fields, a review's meeting and a KPI reading."""
    index = f.ProviderIndexPageFactory()
    meeting = f.MeetingPageFactory()
    contract = contract_form(
        service="Facilities management for county buildings",
        department="Corporate Property",
        total_value="17000000.00",
        extension_options="Up to two further years",
        review_date="2025-10-01",
        contact_email="property.contracts@example.gov.uk",
        procurement_route="competitive",
        sector="sme",
        supplier_registration_number="01948273",
    )
    reading = {
        "contract": "CORP-FM-2024",
        "indicator": "Reactive repairs on time",
        "unit": "%",
        "period": "2024-25 Q1",
        "period_end": "2024-06-30",
        "target": "95",
        "actual": "92.5",
    }
    data = provider_data(
        contracts=[contract], reviews=[review_form(meeting=meeting.pk)], readings=[reading]
    )
    assert_saved(post_add(admin_client, ProviderProfilePage, index, data, publish=True))
    provider = ProviderProfilePage.objects.child_of(index).get()
    saved = provider.contracts.get()
    assert saved.department == "Corporate Property"
    assert saved.total_value == Decimal("17000000.00")
    assert saved.review_date == datetime.date(2025, 10, 1)
    assert saved.procurement_route == "competitive"
    assert saved.supplier_sector == Sector.SME  # its own, not the provider's (large private)
    assert saved.supplier_registration_number == "01948273"
    assert provider.reviews.get().meeting_id == meeting.pk
    stored = provider.kpi_readings.get()
    assert (stored.period, stored.target, stored.actual) == ("2024-25 Q1", 95, Decimal("92.5"))


# -- the edit form ----------------------------------------------------------------------------


@pytest.fixture
def provider():
    return f.ProviderProfilePageFactory(slug="hollins-facilities", contracts=[], reviews=[])


def test_edit_form_accepts_a_valid_provider(admin_client, provider):
    before = revision_count(provider)
    response = post_edit(admin_client, provider, provider_data(sector=Sector.SME), publish=True)
    assert_saved(response)
    provider.refresh_from_db()
    assert provider.sector == Sector.SME
    assert provider.contracts.count() == 1
    assert revision_count(provider) == before + 1


@pytest.mark.parametrize("end", ["2024-03-31", "2024-04-01"], ids=["before-start", "same-day"])
def test_edit_form_refuses_a_contract_ending_before_it_starts(admin_client, provider, end):
    before = revision_count(provider)
    response = post_edit(
        admin_client, provider, provider_data(contracts=[contract_form(end_date=end)])
    )
    assert_refused(response, provider, before, "A contract must end after it starts.")
    assert not provider.contracts.exists()


def test_edit_form_refuses_a_next_review_before_the_review(admin_client, provider):
    before = revision_count(provider)
    response = post_edit(
        admin_client, provider, provider_data(reviews=[review_form(next_review="2024-09-01")])
    )
    assert_refused(response, provider, before, "The next review must come after this one.")


def test_edit_form_refuses_a_provider_without_a_sector(admin_client, provider):
    before = revision_count(provider)
    response = post_edit(admin_client, provider, provider_data(sector=""), publish=True)
    assert_refused(response, provider, before, "This field is required.")


def test_edit_form_refuses_a_board_only_profile_without_a_paragraph(admin_client, provider):
    before = revision_count(provider)
    response = post_edit(
        admin_client, provider, provider_data(audience="board", exempt_paragraph="")
    )
    assert_refused(
        response,
        provider,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )


def test_edit_form_is_laid_out_for_an_officer(admin_client, provider):
    f.ContractFactory(provider=provider)
    html = admin_client.get(edit_url(provider)).content.decode()
    assert '<select name="sector"' in html
    for label in ("Voluntary and community", "Small or medium enterprise", "In-house (council)"):
        assert f">{label}</option>" in html, label
    assert '<select name="contracts-0-rag_rating"' in html
    assert "Contract review meetings" in html
    assert "The officer responsible for the contract." in html


# -- what a visitor sees ----------------------------------------------------------------------


def test_provider_page_shows_sector_contracts_kpis_and_reviews(client):
    provider = f.ProviderProfilePageFactory(
        title="Hollins Facilities plc",
        sector=Sector.LARGE_PRIVATE,
        services="Facilities management for 140 county buildings.",
        contracts=[
            {
                "title": "Facilities management, county buildings",
                "kpis": "Reactive repairs on time: 92%",
                "start_date": datetime.date(2024, 4, 1),
                "end_date": datetime.date(2029, 3, 31),
            }
        ],
        reviews=[
            {
                "title": "Six-month review",
                "date": datetime.date(2024, 10, 15),
                "outcome": "Reactive repairs recovered after a poor first quarter.",
                "next_review": datetime.date(2025, 4, 15),
            }
        ],
    )
    response = client.get(provider.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hollins Facilities plc" in html
    assert "Large private company" in html
    assert "Facilities management for 140 county buildings." in html
    assert "Facilities management, county buildings" in html
    assert "Reactive repairs on time: 92%" in html
    assert "Amber" in html
    assert "Six-month review" in html
    assert "Reactive repairs recovered after a poor first quarter." in html
    assert "15 April 2025" in html
    assert "Gareth Pendleton, Contract Manager (Adult Social Care)" in html


def test_provider_index_lists_providers_alphabetically(client):
    zed = f.ProviderProfilePageFactory(title="Zenith Home Support")
    abbey = f.ProviderProfilePageFactory(title="Abbeyfield Community Care")
    response = client.get(zed.get_parent().url)
    assert response.status_code == 200
    assert [p.pk for p in response.context["listing"]] == [abbey.pk, zed.pk]
