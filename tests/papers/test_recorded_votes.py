"""Recorded votes: each member's vote on a decision, edited with the minutes (validated by
their form), totalled by political group, shown under the decision and in the API, and never
to anyone who may not read the decision."""

import re

import pytest
from django.test import Client

from papers.models import RecordedVote, VoteTally
from papers.models.choices import AdviceReached, Audience, VoteOption
from papers.visibility import readable_votes
from tests import factories as f
from tests.admin_forms import assert_refused, assert_saved, post_edit, revision_count
from tests.papers.test_advice_trail import board_step, edit_with_trail
from tests.papers.test_minutes import decision_form, minutes_data
from tests.public.helpers import board_member, councillor

pytestmark = pytest.mark.django_db

REF = "CAB/26/002"


def vote_row(member, vote="for", reference=REF):
    return {"decision_reference": reference, "member": str(member.pk), "vote": vote}


def voted_decision(**fields):
    return decision_form(reference=REF, reached_by=AdviceReached.RECORDED_VOTE, **fields)


@pytest.fixture
def minutes():
    return f.MinutesPageFactory(decisions=[], items=[])


@pytest.fixture
def members():
    """Five members in three groups: two Conservative, two Labour, one Green."""
    return [
        f.MemberFactory(name="Cllr Ada Conway", political_group="Conservative"),
        f.MemberFactory(name="Cllr Ben Carter", political_group="Conservative"),
        f.MemberFactory(name="Cllr Lila Lowe", political_group="Labour"),
        f.MemberFactory(name="Cllr Lev Lund", political_group="Labour"),
        f.MemberFactory(name="Cllr Gwen Green", political_group="Green"),
    ]


def add_votes(minutes, reference, votes):
    """Votes straight into the database (as publishing them would): [(member, vote)]."""
    for order, (member, vote) in enumerate(votes):
        RecordedVote.objects.create(
            minutes=minutes,
            decision_reference=reference,
            member=member,
            vote=vote,
            sort_order=order,
        )


# -- the admin form ----------------------------------------------------------------------------


def test_votes_save_with_the_minutes_and_show_totals_by_group(admin_client, client, minutes):
    members = [
        f.MemberFactory(name="Cllr Ada Conway", political_group="Conservative"),
        f.MemberFactory(name="Cllr Lila Lowe", political_group="Labour"),
    ]
    votes = [vote_row(members[0], "against"), vote_row(members[1], "for")]
    data = minutes_data(decisions=[voted_decision()], votes=votes)
    assert_saved(post_edit(admin_client, minutes, data))
    # A draft until the Chair approves: nothing public yet.
    assert not RecordedVote.objects.filter(minutes=minutes).exists()
    assert_saved(post_edit(admin_client, minutes, data, publish=True))
    assert RecordedVote.objects.filter(minutes=minutes).count() == 2
    html = client.get(minutes.url).content.decode()
    assert "Recorded vote: lost, 1 for, 1 against" in html
    assert "Totals by political group, CAB/26/002</caption>" in html
    assert '<th scope="row" class="govuk-table__header">Cllr Ada Conway</th>' in html
    assert "On a recorded vote" in html


@pytest.mark.parametrize(
    "decisions, votes, message",
    [
        (
            lambda m: [voted_decision()],
            lambda m: [vote_row(m[0]), vote_row(m[1], reference="CAB/26/099")],
            "No decision in these minutes has the reference \u2018CAB/26/099\u2019",
        ),
        (
            lambda m: [decision_form(reference=REF, reached_by=AdviceReached.CONSENSUS)],
            lambda m: [vote_row(m[0])],
            f"Decision {REF} is not recorded as reached on a recorded vote",
        ),
        (
            lambda m: [decision_form(reference=REF)],  # how it was reached not said
            lambda m: [vote_row(m[0])],
            f"Decision {REF} is not recorded as reached on a recorded vote",
        ),
        (
            lambda m: [voted_decision()],
            lambda m: [vote_row(m[0], "for"), vote_row(m[1]), vote_row(m[0], "against")],
            f"Cllr Ada Conway\u2019s vote on {REF} is recorded twice",
        ),
        (
            lambda m: [voted_decision()],
            lambda m: [],
            f"Decision {REF} was reached on a recorded vote: record each member&#x27;s vote",
        ),
        (
            lambda m: [voted_decision(), voted_decision(title="Another")],
            lambda m: [vote_row(m[0])],
            f"Another decision in these minutes has the reference \u2018{REF}\u2019",
        ),
    ],
    ids=[
        "no-such-decision",
        "not-a-recorded-vote",
        "how-reached-blank",
        "member-twice",
        "recorded-vote-without-votes",
        "reference-twice",
    ],
)
def test_the_form_refuses_votes_that_do_not_fit(
    admin_client, minutes, members, decisions, votes, message
):
    before = revision_count(minutes)
    data = minutes_data(decisions=decisions(members), votes=votes(members))
    response = post_edit(admin_client, minutes, data)
    assert_refused(response, minutes, before, message)


def test_the_trail_must_say_what_the_minutes_say(admin_client, members):
    """A board step of the advice trail reached 'by a majority' where the minutes record the
    same decision as a recorded vote is refused, with the reason."""
    proposal = f.ProposalPageFactory(slug="sen-transport")
    minutes = f.MinutesPageFactory(
        decisions=[
            {"reference": REF, "proposal": proposal, "reached_by": AdviceReached.RECORDED_VOTE}
        ],
        items=[],
    )
    add_votes(minutes, REF, [(members[0], "for")])
    before = revision_count(proposal)
    majority = [board_step(minute_reference=REF, reached_by=AdviceReached.MAJORITY)]
    response = edit_with_trail(admin_client, proposal, majority)
    assert_refused(
        response,
        proposal,
        before,
        f"The minutes record decision {REF} as reached on a recorded vote: say the same here",
    )
    same = [board_step(minute_reference=REF, reached_by=AdviceReached.RECORDED_VOTE)]
    assert_saved(edit_with_trail(admin_client, proposal, same))


# -- totals --------------------------------------------------------------------------------


def test_totals_by_group_equal_counts_by_hand(client, members):
    ada, ben, lila, lev, gwen = members
    minutes = f.MinutesPageFactory(
        decisions=[{"reference": REF, "reached_by": AdviceReached.RECORDED_VOTE}], items=[]
    )
    add_votes(
        minutes,
        REF,
        [
            (ada, VoteOption.AGAINST),
            (ben, VoteOption.AGAINST),
            (lila, VoteOption.FOR),
            (lev, VoteOption.ABSTAIN),
            (gwen, VoteOption.DID_NOT_VOTE),
        ],
    )
    votes = RecordedVote.objects.filter(minutes=minutes).select_related("member")
    tally = VoteTally.of(votes)
    # Counted by hand from the five votes above.
    assert tally.counts == {"for": 1, "against": 2, "abstain": 1, "did_not_vote": 1}
    assert {g.group: g.counts for g in tally.groups} == {
        "Conservative": {"for": 0, "against": 2, "abstain": 0, "did_not_vote": 0},
        "Green": {"for": 0, "against": 0, "abstain": 0, "did_not_vote": 1},
        "Labour": {"for": 1, "against": 0, "abstain": 1, "did_not_vote": 0},
    }
    assert tally.result == "lost" and tally.total == 5
    html = client.get(minutes.url).content.decode()
    assert "Recorded vote: lost, 1 for, 2 against" in html
    # The Labour row: for 1, against 0, abstained 1, did not vote 0.
    labour = html.split('<th scope="row" class="govuk-table__header">Labour</th>')[1]
    row = labour.split("</tr>")[0]
    assert re.findall(r"numeric\">(\d+)</td>", row) == ["1", "0", "1", "0"]


# -- who may read a vote --------------------------------------------------------------------


@pytest.fixture
def exempt_vote(members):
    """Public minutes with an exempt decision taken on a recorded vote, and a public one."""
    minutes = f.MinutesPageFactory(
        decisions=[
            {
                "reference": "CAB/26/007",
                "title": "Quillfeather Services termination",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "A decision on a contract, taken in private.",
                "reached_by": AdviceReached.RECORDED_VOTE,
            },
            {"reference": REF, "reached_by": AdviceReached.RECORDED_VOTE},
        ],
        items=[],
    )
    add_votes(minutes, "CAB/26/007", [(members[0], "for"), (members[2], "against")])
    add_votes(minutes, REF, [(members[1], "abstain")])
    return minutes


def test_a_vote_on_exempt_business_is_read_only_by_those_who_read_the_decision(exempt_vote):
    reader_html = {}
    for name, user in (("public", None), ("councillor", councillor()), ("board", board_member())):
        client = Client()
        if user is not None:
            client.force_login(user)
        reader_html[name] = client.get(exempt_vote.url).content.decode()
        votes = readable_votes(user, RecordedVote.objects.all())
        assert set(votes.values_list("decision_reference", flat=True)) == (
            {REF, "CAB/26/007"} if name == "board" else {REF}
        )
        api = client.get(f"/api/v2/pages/{exempt_vote.pk}/").json()
        by_reference = {d["reference"]: d for d in api["decisions"]}
        assert by_reference[REF]["recorded_vote"]["counts"]["abstain"] == 1
        exempt = by_reference["CAB/26/007"]
        if name == "board":
            assert exempt["recorded_vote"]["counts"] == {
                "for": 1,
                "against": 1,
                "abstain": 0,
                "did_not_vote": 0,
            }
            assert exempt["reached_by"] == AdviceReached.RECORDED_VOTE
        else:
            # Not even that there was a vote.
            assert exempt["recorded_vote"] is None and exempt["reached_by"] is None
    for name in ("public", "councillor"):
        assert "Recorded vote: lost, 0 for, 0 against" in reader_html[name]  # the public one
        assert reader_html[name].count("Recorded vote:") == 1
        assert "Totals by political group, CAB/26/007" not in reader_html[name]
    assert "Recorded vote: lost, 1 for, 1 against" in reader_html["board"]


def test_votes_in_restricted_minutes_are_not_readable(members):
    minutes = f.MinutesPageFactory(
        decisions=[{"reference": REF, "reached_by": AdviceReached.RECORDED_VOTE}], items=[]
    )
    add_votes(minutes, REF, [(members[0], "for")])
    minutes.audience = Audience.BOARD
    minutes.exempt_paragraph = "3"
    minutes.save()
    assert not readable_votes(None, RecordedVote.objects.all()).exists()
    assert not readable_votes(councillor(), RecordedVote.objects.all()).exists()
    assert readable_votes(board_member(), RecordedVote.objects.all()).count() == 1


def test_a_vote_on_exempt_business_of_a_councillors_paper_is_read_by_councillors(members):
    """The vote follows its decision: whoever the paper's audience admits to its exempt
    business (issue 16) reads the vote too; the public still gets nothing of it."""
    paper = f.ProposalPageFactory(title="Depot options", audience=Audience.MEMBERS)
    minutes = f.MinutesPageFactory(
        decisions=[
            {
                "reference": "CAB/26/008",
                "title": "Depot options: preferred bidder",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "A decision on a contract, taken in private.",
                "reached_by": AdviceReached.RECORDED_VOTE,
                "proposal": paper,
            },
        ],
        items=[],
    )
    add_votes(minutes, "CAB/26/008", [(members[0], "for"), (members[1], "against")])
    assert not readable_votes(None, RecordedVote.objects.all()).exists()
    assert readable_votes(councillor(), RecordedVote.objects.all()).count() == 2
    assert readable_votes(board_member(), RecordedVote.objects.all()).count() == 2
    client = Client()
    client.force_login(councillor())
    api = client.get(f"/api/v2/pages/{minutes.pk}/").json()
    assert api["decisions"][0]["recorded_vote"]["counts"]["for"] == 1
    assert "Recorded vote: lost, 1 for, 1 against" in client.get(minutes.url).content.decode()
    assert "Recorded vote:" not in Client().get(minutes.url).content.decode()
