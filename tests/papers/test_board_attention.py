"""What needs the board's attention (issue 14, item 3): the rules day by day, the admin
dashboard's panel for the officers and the Chair, and the register's filter."""

import datetime
import re

import pytest

from papers import attention
from papers.models.choices import Audience, ProposalStatus, RagRating
from tests import factories as f
from tests.public.helpers import restrict

D = datetime.date
GREEN, AMBER, RED = RagRating.GREEN, RagRating.AMBER, RagRating.RED


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 12, 2), 18, D(2028, 6, 2)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # a leap year
        (D(2026, 1, 15), 0, D(2026, 1, 15)),
        (D(2026, 11, 30), 1, D(2026, 12, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert attention.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("review_date", "end_date", "today", "overdue"),
    [
        (D(2026, 11, 11), D(2027, 9, 30), D(2026, 12, 2), True),  # three weeks late
        (D(2026, 12, 1), D(2027, 9, 30), D(2026, 12, 2), True),  # yesterday
        (D(2026, 12, 2), D(2027, 9, 30), D(2026, 12, 2), False),  # due today: not yet late
        (D(2027, 1, 5), D(2027, 9, 30), D(2026, 12, 2), False),
        (None, D(2027, 9, 30), D(2026, 12, 2), False),  # no review set
        (D(2026, 6, 1), D(2026, 11, 30), D(2026, 12, 2), False),  # the contract has ended
        (D(2026, 6, 1), D(2026, 12, 2), D(2026, 12, 2), True),  # its last day
    ],
)
def test_review_overdue(review_date, end_date, today, overdue):
    assert attention.review_overdue(review_date, end_date, today) is overdue


@pytest.mark.parametrize(
    ("ratings", "turned"),
    [
        ([GREEN], False),
        ([AMBER], True),  # rated amber from the first
        ([RED], True),
        ([GREEN, AMBER], True),
        ([GREEN, RED], True),
        ([AMBER, RED], True),
        ([GREEN, GREEN, AMBER, AMBER], True),  # repeats are not new turns, nor do they undo one
        ([AMBER, GREEN, AMBER], True),
        ([RED, AMBER], False),  # improving
        ([AMBER, GREEN], False),
        ([RED, GREEN], False),
        ([], False),
    ],
)
def test_turned_amber_or_red(ratings, turned):
    assert attention.turned_amber_or_red(ratings) is turned


@pytest.mark.parametrize(
    ("end_date", "today", "has_proposal", "flagged"),
    [
        (D(2027, 9, 30), D(2026, 12, 2), False, True),
        (D(2027, 9, 30), D(2026, 12, 2), True, False),  # a proposal is in hand
        (D(2028, 6, 2), D(2026, 12, 2), False, True),  # exactly 18 months away
        (D(2028, 6, 3), D(2026, 12, 2), False, False),  # a day more
        (D(2026, 12, 2), D(2026, 12, 2), False, True),  # ends today
        (D(2026, 12, 1), D(2026, 12, 2), False, False),  # already ended
        (D(2032, 3, 31), D(2026, 12, 2), False, False),
    ],
)
def test_ending_without_proposal(end_date, today, has_proposal, flagged):
    assert attention.ending_without_proposal(end_date, today, has_proposal) is flagged


def test_flags_keep_a_fixed_order():
    found = attention.flags(
        review_date=D(2026, 1, 1),
        end_date=D(2027, 1, 1),
        ratings=[GREEN, RED],
        has_proposal=False,
        today=D(2026, 12, 2),
    )
    assert [flag.key for flag in found] == [
        "review_overdue",
        "rating_worse",
        "ending_no_proposal",
    ]
    assert [flag.label for flag in found][0] == "Review overdue"


# -- from the database ------------------------------------------------------------------------

TODAY = D(2026, 12, 2)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(attention, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def contracts(db, today):
    """Four contracts, one for each reason and one needing nothing, with their reviews."""
    proposal = f.ProposalPageFactory(title="Recommission meals on wheels", slug="meals")
    provider = f.ProviderProfilePageFactory(
        title="Brightwater Care Ltd",
        contracts=[
            {
                "title": "Home care, north lot",
                "contract_reference": "HC-N",
                "rag_rating": AMBER,
                "end_date": D(2031, 3, 31),
                "review_date": D(2027, 1, 10),
            },
            {
                "title": "Day centres",
                "contract_reference": "DC-1",
                "rag_rating": GREEN,
                "end_date": D(2030, 3, 31),
                "review_date": D(2026, 10, 1),
            },
            {
                "title": "Meals on wheels",
                "contract_reference": "MW-1",
                "rag_rating": GREEN,
                "end_date": D(2027, 6, 30),
                "review_date": D(2027, 2, 1),
            },
            {
                "title": "Meals on wheels, east",
                "contract_reference": "MW-2",
                "rag_rating": GREEN,
                "end_date": D(2027, 8, 31),
                "review_date": D(2027, 2, 1),
                "recommissioning_proposal": proposal,
            },
        ],
        reviews=[
            # Green at the last review, amber now: it turned.
            {"contract": "Home care, north lot", "date": D(2026, 4, 1), "rag_rating": GREEN},
            {"contract": "HC-N", "date": D(2025, 4, 1), "rag_rating": AMBER},
        ],
    )
    return {c.contract_reference: c for c in provider.contracts.all()} | {"proposal": proposal}


def keys(grouped):
    return {reason: [c.contract_reference for c in found] for reason, found in grouped.items()}


def test_needing_attention_groups_each_reason(contracts, today):
    officer = f.OfficerFactory()
    assert keys(attention.needing_attention(officer, today)) == {
        "review_overdue": ["DC-1"],
        "rating_worse": ["HC-N"],
        "ending_no_proposal": ["MW-1"],
    }


def test_a_withdrawn_or_unseen_proposal_is_no_proposal(contracts, today):
    proposal = contracts["proposal"]
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save()
    officer = f.OfficerFactory()
    assert keys(attention.needing_attention(officer, today))["ending_no_proposal"] == [
        "MW-1",
        "MW-2",
    ]
    proposal.status = ProposalStatus.FOR_CONSIDERATION
    restrict(proposal, Audience.BOARD)
    # The board knows a proposal is in hand; the public is not told about a board-only paper.
    assert keys(attention.needing_attention(officer, today))["ending_no_proposal"] == ["MW-1"]
    anonymous = attention.needing_attention(None, today)
    assert keys(anonymous)["ending_no_proposal"] == ["MW-1", "MW-2"]


def panel(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    match = re.search(r'<section class="w-panel board-attention".*?</section>', body, re.S)
    return match.group(0) if match else None


@pytest.mark.parametrize("who", [f.OfficerFactory, f.ChairUserFactory, f.SuperuserFactory])
def test_the_dashboard_shows_officers_and_the_chair_what_needs_attention(client, contracts, who):
    html = panel(client, who())
    assert html is not None
    assert "What needs the board's attention (3 contracts)" in html
    sections = dict(re.findall(r'data-reason="(\w+)">([^<]+)</h3>', html))
    assert sections == {
        "review_overdue": "Review overdue (1)",
        "rating_worse": "Rating turned amber or red (1)",
        "ending_no_proposal": "Ends within 18 months, no recommissioning proposal yet (1)",
    }
    assert "Day centres" in html and "review was due 1 October 2026" in html
    assert "Home care, north lot" in html and "now amber" in html
    assert "Meals on wheels</a>" in html and "ends 30 June 2027" in html
    assert "Meals on wheels, east" not in html  # its proposal is in hand
    assert "/contracts/?attention=yes" in html


def test_the_dashboard_says_when_nothing_needs_attention(client, db, today):
    f.ProviderProfilePageFactory(
        contracts=[{"rag_rating": GREEN, "end_date": D(2031, 1, 1), "review_date": None}],
        reviews=[],
    )
    html = panel(client, f.OfficerFactory())
    assert "No contract needs the board" in html


def test_the_register_filters_to_what_needs_attention(client, contracts):
    response = client.get("/contracts/", {"attention": "yes"})
    body = response.content.decode()
    assert "3 contracts match your filters" in body
    listed = re.findall(r'data-contract="(\d+)"', body)
    assert {int(pk) for pk in listed} == {contracts[ref].pk for ref in ("DC-1", "HC-N", "MW-1")}
    assert 'data-flag="review_overdue"' in body
    everything = client.get("/contracts/").content.decode()
    assert "4 contracts" in everything


HISTORIES = [
    [GREEN],
    [AMBER],
    [RED],
    [GREEN, AMBER],
    [GREEN, RED],
    [AMBER, RED],
    [GREEN, GREEN, AMBER, AMBER],
    [AMBER, GREEN, AMBER],
    [RED, AMBER],
    [AMBER, GREEN],
    [RED, GREEN],
    [RED, GREEN, AMBER],
    [GREEN, RED, AMBER],
]


def test_the_registers_sql_flags_agree_with_the_rules(db, today):
    """The register filters in SQL (``with_flags``); every contract it flags is one the rules
    (``flags`` over ``ratings``) flag, for each history of ratings, named either way."""
    contracts, reviews = [], []
    for n, history in enumerate(HISTORIES):
        reference = f"C-{n}"
        contracts.append(
            {
                "title": f"Contract {n}",
                "contract_reference": reference,
                "rag_rating": history[-1],
                "end_date": D(2027, 6, 30) if n % 2 else D(2031, 1, 1),
                "review_date": D(2026, 11, 1) if n % 3 == 0 else D(2027, 3, 1),
            }
        )
        for i, rating in enumerate(history[:-1]):
            # Named by reference or title, in any case and with spaces, on dates in order;
            # two reviews on one day count in the order they were entered.
            name = f"  c-{n} " if i % 2 else f"CONTRACT {n}"
            day = D(2024, 1, 1) if i < 2 else D(2025, 1 + i, 1)
            reviews.append({"contract": name, "date": day, "rag_rating": rating})
    # A review of a contract by another name rates nothing here.
    reviews.append({"contract": "Contract 1 (old lot)", "date": D(2026, 1, 1), "rag_rating": RED})
    provider = f.ProviderProfilePageFactory(contracts=contracts, reviews=reviews)
    everything = list(provider.reviews.all())
    flagged = attention.with_flags(provider.contracts.all(), None, today)
    assert len(flagged) == len(HISTORIES)
    for contract in flagged:
        expected = attention.flags(
            review_date=contract.review_date,
            end_date=contract.end_date,
            ratings=attention.ratings(contract, everything),
            has_proposal=False,
            today=today,
        )
        assert attention.flags_for(contract) == expected, contract.contract_reference
    worse = {c.contract_reference for c in flagged if c.rating_worse}
    assert worse == {"C-1", "C-2", "C-3", "C-4", "C-5", "C-6", "C-7", "C-11"}
