"""Structured social value (issue 14, item 4) and providers at board meetings (item 2): the
admin forms' validation, the /social-value/ page whose tables equal the data, and a
members-only contract or a restricted proposal never reaching the public (page, API, meeting
page, provider page)."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.choices import SocialValueMeasure as M
from papers.choices import SocialValueUnit as U
from papers.models import (
    ProviderAttendance,
    SocialValueCommitment,
    SocialValueDelivery,
)
from papers.models.choices import Audience
from tests import factories as f
from tests.admin_forms import (
    assert_refused,
    assert_saved,
    inline_formset,
    post_edit,
    revision_count,
)
from tests.papers.test_meetings import meeting_data
from tests.papers.test_proposals import proposal_data
from tests.papers.test_providers import contract_form, provider_data, review_form
from tests.public.helpers import board_member, councillor, restrict

pytestmark = pytest.mark.django_db
D = datetime.date
REVIEW_DAY = D(2026, 9, 9)
SECRETS = ("Zephyrwick", "Quillmere", "TP2-HUB", "Kestrel carbon")


def commit(proposal, measure, unit, target, description="", order=0):
    return SocialValueCommitment.objects.create(
        proposal=proposal,
        measure=measure,
        unit=unit,
        target=Decimal(target),
        description=description,
        sort_order=order,
    )


def deliver(provider, commitment, delivered, day=REVIEW_DAY, note=""):
    return SocialValueDelivery.objects.create(
        provider=provider,
        commitment=commitment,
        delivered=Decimal(delivered),
        review_date=day,
        note=note,
    )


def contract(title, reference, proposal, **fields):
    return {
        "title": title,
        "contract_reference": reference,
        "awarded_by": proposal,
        "start_date": D(2026, 6, 1),
        "end_date": D(2033, 5, 31),
        **fields,
    }


@pytest.fixture
def data():
    """A public proposal and a board-only one, a public provider holding a contract awarded by
    each, and a members-only provider holding one awarded by the public proposal."""
    public = f.ProposalPageFactory(title="Recommission home care", slug="home-care")
    secret = restrict(
        f.ProposalPageFactory(title="Zephyrwick extension", slug="zephyrwick"), Audience.BOARD
    )
    apprentices = commit(public, M.APPRENTICESHIPS, U.NUMBER, 10, "Care apprenticeships")
    wage = commit(public, M.LIVING_WAGE, U.PERCENT, 100, order=1)
    carbon = commit(secret, M.CARBON, U.TONNES, 120, "Kestrel carbon plan")
    brightwater = f.ProviderProfilePageFactory(
        title="Brightwater Care Ltd",
        contracts=[
            contract("Home care, west", "ASC-W3", public),
            contract("Facilities, east", "TFM-E", secret),
        ],
        reviews=[{"contract": "Home care, west", "title": "Mobilisation", "date": D(2026, 9, 9)}],
    )
    deliver(brightwater, apprentices, 3, note="Five more start in January.")
    deliver(brightwater, apprentices, 1, day=D(2026, 3, 1))  # older: the latest counts
    deliver(brightwater, wage, 100)
    deliver(brightwater, carbon, 80)
    quillmere = restrict(
        f.ProviderProfilePageFactory(
            title="Quillmere Business Services",
            contracts=[contract("Transactions hub", "TP2-HUB", public)],
            reviews=[{"contract": "Transactions hub", "title": "Pilot", "date": D(2026, 9, 9)}],
        ),
        Audience.MEMBERS,
    )
    deliver(quillmere, apprentices, 4)
    return {
        "public": public,
        "secret": secret,
        "brightwater": brightwater,
        "quillmere": quillmere,
        "commitments": (apprentices, wage, carbon),
    }


def page(client):
    response = client.get("/social-value/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def table_rows(html, table):
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)
    cells = []
    for row in rows:
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        if found and 'scope="col"' not in row:
            cells.append([re.sub(r"<[^>]+>", " ", c).split("  ")[0].strip() for c in found])
    return cells


def contract_tables(html):
    """{contract title: [[commitment, promised, delivered, share, as at, status]]}."""
    found = {}
    for title, table in re.findall(
        r"<caption[^>]*>([^<:]+): social value promised and delivered</caption>(.*?)</table>",
        html,
        re.S,
    ):
        found[title] = [[" ".join(c.split()) for c in row] for row in table_rows(html, table)]
    return found


def totals_table(html):
    match = re.search(
        r'<table class="govuk-table" id="social-value-totals">(.*?)</table>', html, re.S
    )
    return (
        [[" ".join(c.split()) for c in row] for row in table_rows(html, match.group(1))]
        if match
        else []
    )


# -- the page ---------------------------------------------------------------------------------


def test_the_public_page_tables_equal_the_public_data(client, data):
    html = page(client)
    assert contract_tables(html) == {
        "Home care, west": [
            [
                "Apprenticeships: Care apprenticeships",
                "10",
                "3",
                "30%",
                "9 September 2026",
                "Short of target",
            ],
            ["Staff paid the Real Living Wage", "100%", "100%", "100%", "9 September 2026", "Met"],
        ]
    }
    # Added up: only what the public may see (the members-only contract's 4 is not counted).
    assert totals_table(html) == [["Apprenticeships", "1", "10", "3", "1 of 1"]]
    # The bars are drawn from the same rows: 30% of target is 30/150 of the 400 wide bar.
    assert 'width="80.0"' in html and "30%: Apprenticeships" in html
    for secret in SECRETS:
        assert secret not in html


def test_a_councillor_and_a_board_member_see_more(client, data):
    client.force_login(councillor())
    html = page(client)
    assert set(contract_tables(html)) == {"Home care, west", "Transactions hub"}
    assert totals_table(html) == [["Apprenticeships", "2", "20", "7", "2 of 2"]]
    assert "Kestrel carbon" not in html and "Zephyrwick" not in html
    client.force_login(board_member())
    html = page(client)
    assert set(contract_tables(html)) == {"Home care, west", "Facilities, east", "Transactions hub"}
    assert contract_tables(html)["Facilities, east"] == [
        [
            "Carbon emissions reduced: Kestrel carbon plan",
            "120 tonnes",
            "80 tonnes",
            "67%",
            "9 September 2026",
            "Short of target",
        ]
    ]
    assert totals_table(html) == [
        ["Apprenticeships", "2", "20", "7", "2 of 2"],
        ["Carbon emissions reduced", "1", "120 tonnes", "80 tonnes", "1 of 1"],
    ]
    weights = re.search(r'id="weightings-table">(.*?)</table>', html, re.S).group(1)
    assert [row[1:] for row in table_rows(html, weights)] == [["40%", "50%", "10%"]] * 2


def test_weightings_compared_only_for_visible_proposals(client, data):
    html = page(client)
    weights = re.search(r'id="weightings-table">(.*?)</table>', html, re.S).group(1)
    assert [row[0] for row in table_rows(html, weights)] == ["Recommission home care"]


def test_an_unpublished_proposal_s_commitments_are_not_shown(client, data):
    data["public"].unpublish()
    html = page(client)
    assert "Home care, west" not in html and "No contract you can see" in html


def test_queries_do_not_grow_with_the_contracts(client, data):
    def count():
        with CaptureQueriesContext(connection) as queries:
            page(client)
        return len(queries)

    page(client)  # the site's root paths are read once per process
    small = count()
    for n in range(6):
        proposal = f.ProposalPageFactory(title=f"Proposal {n}", slug=f"more-{n}")
        a = commit(proposal, M.LOCAL_JOBS, U.NUMBER, 40)
        b = commit(proposal, M.VOLUNTEERING, U.HOURS, 500, order=1)
        provider = f.ProviderProfilePageFactory(
            title=f"Provider {n}",
            slug=f"provider-more-{n}",
            contracts=[contract(f"Contract {n}", f"C-{n}", proposal)],
            reviews=[],
        )
        deliver(provider, a, 12)
        deliver(provider, b, 600)
    large = count()
    assert len(contract_tables(page(client))) == 7
    assert large == small, (small, large)


def test_anonymous_page_is_cached_and_purged_on_publish(client, data, page_cache):
    first = client.get("/social-value/")
    assert "public" in first["Cache-Control"]
    assert client.get("/social-value/")["X-Page-Cache"] == "hit"
    restrict(data["public"], Audience.MEMBERS)
    after = client.get("/social-value/")
    assert after.get("X-Page-Cache") != "hit"
    assert "Home care, west" not in after.content.decode()


# -- the provider's and the proposal's pages --------------------------------------------------


def test_the_provider_page_shows_readings_only_against_visible_commitments(client, data):
    html = unescape(client.get(data["brightwater"].url).content.decode())
    table = re.search(r'<table class="govuk-table app-delivered-table">(.*?)</table>', html, re.S)
    rows = table_rows(html, table.group(1))
    assert [row[1:] for row in rows] == [["10", "3"], ["100%", "100%"]]
    assert "Five more start in January." in table.group(1) and "Short</strong>" in table.group(1)
    assert "Kestrel carbon" not in html and "120 tonnes" not in html
    client.force_login(board_member())
    html = unescape(client.get(data["brightwater"].url).content.decode())
    assert "Kestrel carbon plan" in html and "80 tonnes" in html


def test_the_proposal_page_lists_its_commitments(client, data):
    html = unescape(client.get(data["public"].url).content.decode())
    table = re.search(r'<table class="govuk-table" id="commitments">(.*?)</table>', html, re.S)
    assert [[" ".join(c.split()) for c in row] for row in table_rows(html, table.group(1))] == [
        ["Apprenticeships: Care apprenticeships", "10"],
        ["Staff paid the Real Living Wage", "100%"],
    ]


# -- the API ----------------------------------------------------------------------------------


def test_the_api_gives_commitments_weightings_and_deliveries_with_visibility(client, data):
    detail = client.get(f"/api/v2/pages/{data['public'].pk}/").json()
    assert (
        detail["price_weighting"],
        detail["quality_weighting"],
        detail["social_value_weighting"],
    ) == (40, 50, 10)
    assert [(c["measure"], c["unit"], c["target"]) for c in detail["commitments"]] == [
        ("apprenticeships", "number", "10.00"),
        ("living_wage", "%", "100.00"),
    ]
    assert client.get(f"/api/v2/pages/{data['secret'].pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{data['quillmere'].pk}/").status_code == 404
    provider = client.get(f"/api/v2/pages/{data['brightwater'].pk}/").json()
    delivered = provider["reviews"][0]["delivered"]
    assert [(d["measure"], d["target"], d["delivered"]) for d in delivered] == [
        ("apprenticeships", "10.00", "3.00"),
        ("living_wage", "100.00", "100.00"),
    ]
    east = next(c for c in provider["contracts"] if c["contract_reference"] == "TFM-E")
    assert east["awarded_by"] is None  # a board-only proposal is not named
    listing = client.get(
        "/api/v2/pages/", {"type": "papers.ProviderProfilePage", "fields": "reviews,contracts"}
    )
    text = listing.content.decode()
    for secret in SECRETS:
        assert secret not in text
    assert '"carbon"' not in text
    client.force_login(board_member())
    provider = client.get(f"/api/v2/pages/{data['brightwater'].pk}/").json()
    assert [d["measure"] for d in provider["reviews"][0]["delivered"]] == [
        "apprenticeships",
        "living_wage",
        "carbon",
    ]


# -- providers at a meeting -------------------------------------------------------------------


@pytest.fixture
def meeting(data):
    meeting = f.MeetingPageFactory(title="16 September 2026", slug="2026-09-16")
    ProviderAttendance.objects.create(
        meeting=meeting,
        provider=data["brightwater"],
        attendee="Ada Brightly, Director",
        agenda_item="2",
        sort_order=0,
    )
    ProviderAttendance.objects.create(
        meeting=meeting,
        provider=data["quillmere"],
        attendee="Quillmere's finance lead",
        agenda_item="3",
        sort_order=1,
    )
    return meeting


def test_the_meeting_page_shows_only_providers_the_reader_may_see(client, meeting):
    html = unescape(client.get(meeting.url).content.decode())
    assert "Providers who attended" in html and "Ada Brightly, Director" in html
    assert "Quillmere" not in html
    api = client.get(f"/api/v2/pages/{meeting.pk}/").json()["provider_attendance"]
    assert [(row["provider"]["title"], row["attendee"]) for row in api] == [
        ("Brightwater Care Ltd", "Ada Brightly, Director")
    ]
    client.force_login(councillor())
    html = unescape(client.get(meeting.url).content.decode())
    assert "Quillmere Business Services" in html


def test_the_provider_page_says_when_it_attended_the_board(client, data, meeting):
    secret_meeting = restrict(
        f.MeetingPageFactory(title="Private session", slug="private-session"), Audience.BOARD
    )
    ProviderAttendance.objects.create(
        meeting=secret_meeting, provider=data["brightwater"], attendee="Ada Brightly, Director"
    )
    html = unescape(client.get(data["brightwater"].url).content.decode())
    assert html.count("attended the board on") == 1
    assert secret_meeting.url not in html and meeting.url in html


# -- validation in the admin forms ------------------------------------------------------------


def commitment_form(**fields):
    return {
        "measure": M.APPRENTICESHIPS,
        "description": "",
        "unit": U.NUMBER,
        "target": "10",
        **fields,
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"measure": M.OTHER}, "Describe a commitment that is not on the list."),
        (
            {"unit": U.PERCENT, "target": "120"},
            "The target is a share, so it cannot be more than 100%.",
        ),
        ({"target": "-1"}, "A target cannot be negative."),
    ],
)
def test_the_proposal_form_refuses_a_bad_commitment(admin_client, row, message):
    proposal = f.ProposalPageFactory(slug="recommission-home-care")
    before = revision_count(proposal)
    response = post_edit(
        admin_client, proposal, proposal_data(commitments=inline_formset([commitment_form(**row)]))
    )
    assert_refused(response, proposal, before, message)


def test_the_proposal_form_saves_commitments_and_explains_bad_weightings(admin_client):
    proposal = f.ProposalPageFactory(slug="recommission-home-care")
    rows = [
        commitment_form(),
        commitment_form(measure=M.OTHER, description="Food bank hours", unit=U.HOURS, target="200"),
    ]
    response = post_edit(
        admin_client, proposal, proposal_data(commitments=inline_formset(rows)), publish=True
    )
    assert_saved(response)
    assert [c.label for c in proposal.commitments.order_by("sort_order")] == [
        "Apprenticeships",
        "Food bank hours",
    ]
    before = revision_count(proposal)
    response = post_edit(
        admin_client,
        proposal,
        proposal_data(price_weighting="40", quality_weighting="40", social_value_weighting="10"),
    )
    assert_refused(
        response, proposal, before, "must all be given and add up to 100: these add up to 90."
    )


@pytest.fixture
def awarding():
    proposal = f.ProposalPageFactory(title="Facilities award", slug="fm-award")
    other = f.ProposalPageFactory(title="Another proposal", slug="another")
    return (
        proposal,
        commit(proposal, M.LOCAL_SPEND, U.PERCENT, 25),
        commit(other, M.APPRENTICESHIPS, U.NUMBER, 5),
    )


def post_provider(client, provider, proposal, reading):
    return post_edit(
        client,
        provider,
        provider_data(
            contracts=[contract_form(awarded_by=str(proposal.pk))],
            reviews=[review_form()],
            social_value_deliveries=inline_formset([reading]),
        ),
        publish=True,
    )


@pytest.mark.parametrize(
    ("which", "reading", "message"),
    [
        (
            "own",
            {"review_date": "2024-10-16", "delivered": "20"},
            "No contract review on this page is dated 16 October 2024",
        ),
        (
            "other",
            {"review_date": "2024-10-15", "delivered": "2"},
            "which awarded none of this provider",
        ),
        (
            "own",
            {"review_date": "2024-10-15", "delivered": "130"},
            "What was delivered is a share, so it cannot be more than 100%.",
        ),
    ],
)
def test_the_provider_form_refuses_a_bad_reading(admin_client, awarding, which, reading, message):
    proposal, own, other = awarding
    provider = f.ProviderProfilePageFactory(slug="hollins-facilities", contracts=[], reviews=[])
    before = revision_count(provider)
    commitment = own if which == "own" else other
    response = post_provider(
        admin_client, provider, proposal, {"commitment": str(commitment.pk), "note": "", **reading}
    )
    assert_refused(response, provider, before, message.replace("'", "&#x27;"))


def test_the_provider_form_saves_a_reading(admin_client, awarding):
    proposal, own, _other = awarding
    provider = f.ProviderProfilePageFactory(slug="hollins-facilities", contracts=[], reviews=[])
    reading = {
        "commitment": str(own.pk),
        "review_date": "2024-10-15",
        "delivered": "22",
        "note": "Short",
    }
    assert_saved(post_provider(admin_client, provider, proposal, reading))
    stored = provider.social_value_deliveries.get()
    assert (stored.commitment, stored.delivered, stored.shortfall) == (own, Decimal("22.00"), True)
    assert provider.contracts.get().awarded_by_id == proposal.pk


def test_the_meeting_form_checks_the_agenda_item(admin_client):
    meeting = f.MeetingPageFactory(title="9 July 2025", slug="9-july-2025")
    provider = f.ProviderProfilePageFactory()
    row = {"provider": str(provider.pk), "attendee": "Ada Brightly, Director", "agenda_item": "7"}
    before = revision_count(meeting)
    response = post_edit(
        admin_client, meeting, meeting_data(provider_attendance=inline_formset([row]))
    )
    assert_refused(response, meeting, before, "This meeting has no agenda item 7")
    row["agenda_item"] = "2"
    response = post_edit(
        admin_client, meeting, meeting_data(provider_attendance=inline_formset([row])), publish=True
    )
    assert_saved(response)
    assert meeting.provider_attendance.get().attendee == "Ada Brightly, Director"
