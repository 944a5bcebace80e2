"""Open data: /open-data/ links every export; the records as Popolo-shaped JSON and as CSV,
with stable ids, through papers.visibility (a restricted proposal's trail and a vote on exempt
business never reach a reader without access), in queries that do not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from papers import open_data
from papers.models import MeetingIndexPage, Member, RecordedVote
from papers.models.choices import AdviceReached, Audience
from papers.open_data_docs import COLLECTIONS, CSV_EXPORTS
from tests import factories as f
from tests.page_cache import HIT
from tests.public.helpers import board_member, councillor, restrict

pytestmark = pytest.mark.django_db

COLLECTION_NAMES = list(COLLECTIONS)
ID_KINDS = {
    "events": "event",
    "bills": "bill",
    "motions": "motion",
    "vote_events": "vote",
    "people": "person",
    "organizations": "organization",
}
SECRET_ADVICE = "Quillfeather the east lot before any tender"


def add_votes(minutes, reference, votes):
    for order, (member, vote) in enumerate(votes):
        RecordedVote.objects.create(
            minutes=minutes,
            decision_reference=reference,
            member=member,
            vote=vote,
            sort_order=order,
        )


def build(n=1):
    """``n`` public minutes, each with a public decision on a recorded vote and an exempt one
    on a recorded vote; a public proposal with a trail and a board-only one with a trail."""
    members = [
        f.MemberFactory(name="Cllr Ada Conway", political_group="Conservative"),
        f.MemberFactory(name="=HYPERLINK(1)", political_group="Labour"),
    ]
    public = f.ProposalPageFactory(slug="public-proposal")
    f.full_trail(public)
    secret = f.ProposalPageFactory(slug="secret-proposal", title="Secret proposal")
    f.full_trail(secret)
    secret.trail.update(advice=SECRET_ADVICE)
    restrict(secret, Audience.BOARD)
    meeting_index = f.MeetingIndexPageFactory()
    for i in range(n):
        minutes = f.MinutesPageFactory(
            parent=f.MeetingPageFactory(parent=meeting_index, slug=f"meeting-{i}", agenda=[]),
            decisions=[
                {"reference": f"CAB/26/{i:03d}", "reached_by": AdviceReached.RECORDED_VOTE},
                {
                    "reference": f"CAB/27/{i:03d}",
                    "is_exempt": True,
                    "exempt_paragraph": "3",
                    "reached_by": AdviceReached.RECORDED_VOTE,
                },
            ],
            items=[],
        )
        add_votes(minutes, f"CAB/26/{i:03d}", [(members[0], "for"), (members[1], "against")])
        add_votes(minutes, f"CAB/27/{i:03d}", [(members[0], "against"), (members[1], "for")])
    return members, public, secret


def get_json(client, name, **params):
    response = client.get(f"/open-data/{name}.json", params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def get_csv(client, name):
    response = client.get(f"/open-data/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def readers():
    board = Client()
    board.force_login(board_member())
    member = Client()
    member.force_login(councillor())
    return {"public": Client(), "councillor": member, "board": board}


def test_the_open_data_page_links_every_export(client):
    html = client.get("/open-data/").content.decode()
    for name in COLLECTION_NAMES:
        assert f'href="/open-data/{name}.json"' in html
    for name in CSV_EXPORTS:
        assert f'href="/open-data/{name}.csv"' in html
    for url in ("/contracts/contracts.csv", "/decisions/", "/calendar/meetings.ics", "/api/v2/"):
        assert f'href="{url}' in html
    assert "/feeds/all/" in html and "/forward-plan/feed/" in html
    assert '<th scope="col" class="govuk-table__header">Column</th>' in html


def test_json_has_the_documented_shape_and_stable_ids():
    build()
    client = Client()
    first = {name: get_json(client, name) for name in COLLECTION_NAMES}
    for name, body in first.items():
        assert set(body) == {"meta", "results"}
        assert body["meta"]["collection"] == name
        assert body["meta"]["count"] == len(body["results"])
        for record in body["results"]:
            assert record["id"].startswith(f"ocd-{ID_KINDS[name]}/"), record["id"]
    vote = first["vote_events"]["results"][0]
    assert {c["option"]: c["value"] for c in vote["counts"]} == {
        "yes": 1,
        "no": 1,
        "abstain": 0,
        "not voting": 0,
    }
    assert {g["group"] for g in vote["group_results"]} == {"Conservative", "Labour"}
    assert {v["voter_name"]: v["option"] for v in vote["votes"]} == {
        "Cllr Ada Conway": "yes",
        "=HYPERLINK(1)": "no",
    }
    motion_ids = {m["id"] for m in first["motions"]["results"]}
    assert vote["motion_id"] in motion_ids
    person_ids = {p["id"] for p in first["people"]["results"]}
    assert {v["voter_id"] for v in vote["votes"]} <= person_ids
    bill = first["bills"]["results"][0]
    assert [a["classification"][0] for a in bill["actions"]] == [
        "board",
        "committee",
        "key_decision",
        "call_in",
    ]
    # Stable: the same ids from a new request (signed in, so not a cached copy) and for another
    # reader.
    again = {name: get_json(readers()["board"], name) for name in COLLECTION_NAMES}
    for name in ("events", "motions", "people", "organizations"):
        assert [r["id"] for r in first[name]["results"]] == [
            r["id"] for r in again[name]["results"]
        ]


def test_csv_headers_are_the_documented_columns_and_formula_safe():
    build()
    for name, export in CSV_EXPORTS.items():
        rows = get_csv(Client(), name)
        assert rows[0] == [column for column, _ in export["columns"]]
    votes = get_csv(Client(), "votes")
    assert "'=HYPERLINK(1)" in [row[4] for row in votes[1:]]


def test_csv_comes_a_page_of_records_at_a_time(monkeypatch):
    """A decade of decisions is not built as one file: each CSV is a page of records, the next
    named in the Link header, and a bad or missing page gets a message."""
    build()
    everything = get_csv(Client(), "trail")
    monkeypatch.setattr("papers.open_data.CSV_PAGE_SIZE", 2)
    client = Client()
    first = client.get("/open-data/trail.csv")
    assert first["Link"].endswith('/open-data/trail.csv?page=2>; rel="next"')
    assert 'filename="trail-1.csv"' in first["Content-Disposition"]
    pages, number = [], 1
    while True:
        response = client.get(f"/open-data/trail.csv?page={number}")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == everything[0]  # every file has the header
        pages += rows[1:]
        if "Link" not in response:
            break
        number += 1
    assert number > 1 and pages == everything[1:]
    assert client.get(f"/open-data/trail.csv?page={number + 1}").status_code == 404
    bad = client.get("/open-data/trail.csv?page=first")
    assert bad.status_code == 400 and b"whole number" in bad.content


def test_restricted_trail_and_exempt_votes_never_reach_readers_without_access():
    _members, public, secret = build()
    shown = {}
    for who, client in readers().items():
        bodies = [client.get(f"/open-data/{n}.json").content.decode() for n in COLLECTION_NAMES]
        bodies += [client.get(f"/open-data/{n}.csv").content.decode() for n in CSV_EXPORTS]
        text = "\n".join(bodies)
        shown[who] = {
            "secret": SECRET_ADVICE in text or "Secret proposal" in text,
            "exempt vote": "CAB/27/000" in get_csv(client, "votes").__repr__(),
            "votes": get_json(client, "vote_events")["meta"]["count"],
            "vote rows": len(get_csv(client, "votes")) - 1,
            "trail rows": len(get_csv(client, "trail")) - 1,
        }
        exempt = next(
            m for m in get_json(client, "motions")["results"] if m["identifier"] == "CAB/27/000"
        )
        if who != "board":
            # The exempt decision is listed by its notice only: no vote, not even its id.
            assert exempt["vote_event_id"] is None and exempt["reached_by"] is None
            assert exempt["text"].startswith("Exempt item")
    assert shown["public"] == {
        "secret": False,
        "exempt vote": False,
        "votes": 1,
        "vote rows": 2,
        "trail rows": 4,
    }
    assert shown["councillor"] == shown["public"]
    assert shown["board"] == {
        "secret": True,
        "exempt vote": True,
        "votes": 2,
        "vote rows": 4,
        "trail rows": 8,
    }


def test_bad_page_numbers_get_a_clear_message(client):
    assert client.get("/open-data/events.json", {"page": "abc"}).json() == {
        "error": "page must be a whole number, 1 or more."
    }
    response = client.get("/open-data/events.json", {"page": "99"})
    assert (
        response.status_code == 404 and "There are 1 pages of events." in response.json()["error"]
    )
    assert client.get("/open-data/nonsense.json").status_code == 404
    assert client.get("/open-data/nonsense.csv").status_code == 404


def test_anonymous_exports_are_cached_and_signed_in_ones_are_not(page_cache):
    build()
    client = Client()
    for url in ("/open-data/", "/open-data/vote_events.json", "/open-data/votes.csv"):
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == HIT, url
    board = readers()["board"]
    response = board.get("/open-data/vote_events.json")
    assert "private" in response["Cache-Control"] and response.get("X-Page-Cache") != HIT


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_queries_do_not_grow_with_the_rows():
    urls = [f"/open-data/{n}.json" for n in COLLECTION_NAMES]
    urls += [f"/open-data/{n}.csv" for n in CSV_EXPORTS]
    counts = {}
    build(2)
    board = readers()["board"]
    board.get("/open-data/")  # the session's first request has one-off queries of its own
    counts["small"] = {url: count_queries(board, url) for url in urls}
    meeting_index = MeetingIndexPage.objects.get()  # the same section: only rows differ
    members = list(RecordedVote.objects.values_list("member", flat=True).distinct())
    for i in range(10, 16):
        minutes = f.MinutesPageFactory(
            parent=f.MeetingPageFactory(parent=meeting_index, slug=f"more-{i}", agenda=[]),
            decisions=[{"reference": f"CAB/26/{i:03d}", "reached_by": AdviceReached.RECORDED_VOTE}],
            items=[],
        )
        add_votes(
            minutes,
            f"CAB/26/{i:03d}",
            [(f.MemberFactory(political_group="Green"), "for")]
            + [(Member.objects.get(pk=pk), "against") for pk in members],
        )
        f.full_trail(f.ProposalPageFactory(slug=f"more-proposal-{i}"))
    counts["large"] = {url: count_queries(board, url) for url in urls}
    assert counts["large"] == counts["small"]


def test_exports_read_only_the_columns_and_proposals_they_show(monkeypatch):
    """A page of results reads the columns it shows, not whole page rows (a page row built in
    full cost about 1.4 ms), and looks up only the proposals it links, however many exist."""
    build(2)
    looked_up = []
    original = open_data.visible_bill_ids

    def spy(user, ids):
        found = original(user, ids)
        looked_up.append(len(found))
        return found

    monkeypatch.setattr(open_data, "visible_bill_ids", spy)
    urls = [f"/open-data/{n}.json" for n in ("events", "motions", "vote_events", "bills")]
    urls.append("/open-data/trail.csv")
    public = Client()

    def read_all():
        looked_up.clear()
        with CaptureQueriesContext(connection) as queries:
            for url in urls:
                assert public.get(url).status_code == 200, url
        exported = ("meetingpage", "proposalpage", "decision", "trailstep", "agendaitem")
        tables = [f'FROM "papers_{table}"' for table in exported]
        sql = [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]
        return " ".join(sql), list(looked_up)

    sql, small = read_all()
    for i in range(5):
        f.full_trail(f.ProposalPageFactory(slug=f"unlinked-{i}"))
    sql, large = read_all()
    assert large == small
    # Columns of the page tables that no export shows (a search description, the page body).
    wide = ['"search_description"', '"latest_revision_id"', '"first_published_at"']
    wide += [f'"papers_{table}"."body"' for table in ("proposalpage", "meetingpage", "minutespage")]
    for column in wide:
        assert column not in sql, [q for q in sql.split("SELECT") if column in q][:1]
