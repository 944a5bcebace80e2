"""Recorded votes in the demo minutes: an amendment lost along party lines, the SEN transport
advice carried with the opposition split, and a vote on exempt business (the libraries
deferral) that only those who read exempt business may see.

Who votes follows each meeting's attendance (demo.meetings): members with apologies have no
row; Cllr Norman Quayle, who declared an interest in the SEN transport item, did not vote on it.
Added as a revision by the officer and published by the Chair; minutes that already have
recorded votes are left alone.
"""

from papers.models import MinutesPage, RecordedVote
from papers.models.choices import AdviceReached, VoteOption

CONSERVATIVES_14_JAN_2026 = [
    "Cllr Helen Marsh",
    "Cllr Tom Ashdown",
    "Cllr Margaret Felton",
    "Cllr Graham Whitlock",
    "Cllr Sunita Rao",
    "Cllr Alison Greer",
    "Cllr Brian Hollins",
]

# Meeting slug -> decision reference -> vote -> members.
VOTES = {
    "2026-01-14": {
        # The amendment to cut price weighting to 30%: lost on party lines.
        "CAB/26/002": {
            VoteOption.FOR: [
                "Cllr David Penrose",
                "Cllr Fiona Calder",
                "Cllr Jenny Okonedo",
                "Cllr Rosalind Tate",
            ],
            VoteOption.AGAINST: CONSERVATIVES_14_JAN_2026,
            VoteOption.DID_NOT_VOTE: ["Cllr Norman Quayle"],
        },
        # The substantive advice: carried, Labour and the Green member against.
        "CAB/26/003": {
            VoteOption.FOR: [
                *[name for name in CONSERVATIVES_14_JAN_2026 if name != "Cllr Sunita Rao"],
                "Cllr David Penrose",
                "Cllr Fiona Calder",
            ],
            VoteOption.AGAINST: ["Cllr Jenny Okonedo", "Cllr Rosalind Tate"],
            VoteOption.ABSTAIN: ["Cllr Sunita Rao"],
            VoteOption.DID_NOT_VOTE: ["Cllr Norman Quayle"],
        },
    },
    "2025-07-09": {
        # Exempt business (Schedule 12A paragraph 3): the deferral of advice on libraries.
        "CAB/25/003": {
            VoteOption.FOR: [
                "Cllr Helen Marsh",
                "Cllr Tom Ashdown",
                "Cllr Margaret Felton",
                "Cllr Graham Whitlock",
                "Cllr Peter Lyddon",
                "Cllr Alison Greer",
                "Cllr Colin Ambrose",
                "Cllr David Penrose",
                "Cllr Fiona Calder",
                "Cllr Kwame Mensah",
            ],
            VoteOption.AGAINST: ["Cllr Rosalind Tate"],
            VoteOption.ABSTAIN: ["Cllr Norman Quayle"],
        },
    },
}


def seed(ctx):
    officer, chair = ctx.users.get("officer"), ctx.users.get("chair")
    members = ctx.snippets["members"]
    added = 0
    for slug, decisions in VOTES.items():
        stored = ctx.pages.get(f"minutes:{slug}")
        if stored is None:
            continue
        page = MinutesPage.objects.get(pk=stored.pk)
        if page.recorded_votes.exists():
            continue
        rows = list(page.decisions.all())
        for decision in rows:
            if decision.reference in decisions:
                decision.reached_by = AdviceReached.RECORDED_VOTE
        page.decisions = rows
        page.recorded_votes = [
            RecordedVote(decision_reference=reference, member=members[name], vote=vote)
            for reference, by_vote in decisions.items()
            for vote, names in by_vote.items()
            for name in names
        ]
        revision = page.save_revision(user=officer, log_action=True)
        revision.publish(user=chair, skip_permission_checks=True)
        added += 1
    if added:
        ctx.say(f"Recorded votes: added to {added} sets of minutes.")
