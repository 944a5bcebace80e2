"""Exempt business is read in full by whoever its paper's audience admits (issue 16): an exempt
minute or decision on a councillors' paper by councillors too; on a board-only paper, on a public
paper or with no paper at all only by the board, the Chair and officers. Asked of every surface
that shows them: the minutes page, search, the decisions register and the API. Decided in
papers.visibility (``exempt_audiences``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from papers.models.choices import Audience, Outcome
from papers.visibility import readable_decisions, readable_exempt_minutes
from tests import factories as f

pytestmark = pytest.mark.django_db

# Invented words found nowhere else, so a hit can only be the exempt text.
MINUTE = "Members weighed the Tarrowick depot lease against the Ombry quarry option."
RESOLUTION = "RESOLVED that the Tarrowick lease be renegotiated before any Ombry award."
DECISION_TITLE = "Lease of the Tarrowick depot"
SUMMARY = "The board considered a depot lease in private."
NOTICE = "Exempt item, Schedule 12A paragraph 3"

READERS = {
    "public": None,
    "councillor": f.CouncillorUserFactory,
    "board member": f.BoardMemberUserFactory,
    "officer": f.OfficerFactory,
}
# Paper audience (None: no paper) -> the readers who read the exempt minute and decision in full.
ADMITTED = {
    Audience.MEMBERS: {"councillor", "board member", "officer"},
    Audience.BOARD: {"board member", "officer"},
    Audience.PUBLIC: {"board member", "officer"},
    None: {"board member", "officer"},
}
CASES = [(audience, reader) for audience in ADMITTED for reader in READERS]


def make_minutes(audience):
    paper = None
    if audience is not None:
        extra = {"exempt_paragraph": "3"} if audience == Audience.BOARD else {}
        paper = f.ProposalPageFactory(title="Depot options", audience=audience, **extra)
    minutes = f.MinutesPageFactory(
        items=[
            {
                "number": "21/25",
                "title": "Tarrowick depot",
                "text": f"<p>{MINUTE}</p>",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": SUMMARY,
                "proposal": paper,
            }
        ],
        decisions=[
            {
                "title": DECISION_TITLE,
                "resolution": f"<p>{RESOLUTION}</p>",
                "outcome": Outcome.DEFERRED,
                "proposal": paper,
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": SUMMARY,
            }
        ],
    )
    minutes.save_revision().publish()  # so the search index holds its child rows
    return minutes


def sign_in(client, reader):
    if READERS[reader] is not None:
        client.force_login(READERS[reader]())


@pytest.mark.parametrize(("audience", "reader"), CASES)
def test_exempt_business_is_read_by_whom_the_papers_audience_admits(client, audience, reader):
    minutes = make_minutes(audience)
    sign_in(client, reader)
    admitted = reader in ADMITTED[audience]
    decision = minutes.decisions.get()

    page = client.get(minutes.url).content.decode()
    assert NOTICE in page  # everyone sees that it is exempt
    assert (MINUTE in page, RESOLUTION in page, DECISION_TITLE in page) == (admitted,) * 3

    # Search finds the decision by its resolution, and the minutes by the exempt minute's text,
    # only for those admitted; others find neither (not even as a notice).
    found = client.get("/search/?q=Ombry").content.decode()
    assert (f"#decision-{decision.pk}" in found) == admitted
    assert (minutes.url in found) == admitted
    if not admitted:
        assert "Tarrowick" not in found and NOTICE not in found
    by_minute = client.get("/search/?q=weighed+quarry").content.decode()
    assert (minutes.url in by_minute) == admitted

    register = client.get("/decisions/?q=Ombry").content.decode()
    assert (DECISION_TITLE in register) == admitted
    assert "Tarrowick" not in register or admitted
    listed = client.get("/decisions/").content.decode()
    assert decision.reference in listed  # listed to all, as its notice to most
    assert (DECISION_TITLE in listed) == admitted

    api = client.get("/api/v2/decisions/?fields=*").content.decode()
    assert ("Ombry" in api, DECISION_TITLE in api) == (admitted, admitted)
    assert SUMMARY in api
    detail = client.get(f"/api/v2/pages/{minutes.pk}/").content.decode()
    assert ("Tarrowick" in detail) == admitted


def test_the_querysets_follow_the_papers_audience():
    members = make_minutes(Audience.MEMBERS)
    board = make_minutes(Audience.BOARD)
    none = make_minutes(None)
    councillor = f.CouncillorUserFactory()
    decisions = readable_decisions(councillor, members.decisions.model.objects.all())
    assert set(decisions.values_list("minutes_id", flat=True)) == {members.pk}
    items = readable_exempt_minutes(councillor, members.minute_items.model.objects.all())
    assert set(items.values_list("minutes_id", flat=True)) == {members.pk}
    board_member = f.BoardMemberUserFactory()
    items = readable_exempt_minutes(board_member, members.minute_items.model.objects.all())
    assert set(items.values_list("minutes_id", flat=True)) == {members.pk, board.pk, none.pk}


def api_queries(client, user):
    client.force_login(user)
    client.get("/api/v2/decisions/?fields=*")  # warm caches of the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v2/decisions/?fields=*").status_code == 200
    return len(queries)


def test_a_councillors_reading_costs_no_query_per_decision(client):
    """Whatever the API costs a board member per decision, a councillor (whose reading of each
    exempt decision depends on its paper) costs the same: the papers' audiences are read once."""
    councillor, board_member = f.CouncillorUserFactory(), f.BoardMemberUserFactory()
    for audience in [Audience.MEMBERS, Audience.BOARD]:
        make_minutes(audience)
    few = api_queries(client, councillor) - api_queries(client, board_member)
    for audience in [Audience.MEMBERS, Audience.BOARD, None] * 3:
        make_minutes(audience)
    assert api_queries(client, councillor) - api_queries(client, board_member) == few
