"""/decisions/: the register of every decision the reader may see."""

import re

import pytest

from .conftest import client_for

pytestmark = pytest.mark.django_db


def decisions(response):
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]*">(.*?)</a>',
        response.content.decode(),
    )


def register(users, who="anonymous", **params):
    return client_for(users, who).get("/decisions/", params)


def test_register_shows_what_each_reader_may_see(site, users):
    public = {"Advice on recommissioning home care", "School transport amendment"}
    assert set(decisions(register(users))) == public
    assert set(decisions(register(users, "councillor"))) == public
    assert set(decisions(register(users, "board"))) == public | {"Marmalade bidder chosen"}


def test_newest_first(site, users):
    assert decisions(register(users, "board"))[0] == "Marmalade bidder chosen"


def test_filters(site, users):
    assert decisions(register(users, outcome="deferred")) == ["School transport amendment"]
    assert decisions(register(users, key="yes")) == ["Advice on recommissioning home care"]
    assert decisions(register(users, key="no")) == ["School transport amendment"]
    committee = "environment-and-transport-cabinet-committee"
    assert decisions(register(users, committee=committee)) == ["School transport amendment"]
    assert len(decisions(register(users, year="2025"))) == 2
    assert "no decisions for that year" in register(users, year="1999").content.decode()


def test_search_within_the_register(site, users):
    assert decisions(register(users, q="re-tendering")) == ["Advice on recommissioning home care"]
    assert decisions(register(users, q="marmalade")) == []
    assert decisions(register(users, "board", q="marmalade")) == ["Marmalade bidder chosen"]


def test_links_go_to_the_decision_in_the_minutes(site, users):
    decision = site["minutes"].decisions.get(reference="CAB/25/032")
    assert (
        f'href="{site["minutes"].url}#decision-{decision.pk}"' in register(users).content.decode()
    )


def test_register_paginates(site, users):
    from tests.factories import DecisionFactory

    for n in range(30):
        DecisionFactory(minutes=site["minutes"], reference=f"CAB/25/{200 + n}", title=f"Extra {n}")
    first, second = register(users), register(users, page="2")
    assert len(decisions(first)) == 25 and len(decisions(second)) == 7
