"""Totals of a recorded vote, by political group and overall (plain Python, no queries: the
votes are read by the caller, their members selected with them)."""

from collections import Counter
from dataclasses import dataclass, field

from .choices import VoteOption

OPTIONS = [value for value, _label in VoteOption.choices]
LABELS = dict(VoteOption.choices)


@dataclass
class GroupTotal:
    group: str
    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def cells(self):
        return [self.counts[option] for option in OPTIONS]


@dataclass
class VoteTally:
    """One decision's recorded vote: each member's vote, and totals by group and overall.

    Built from votes already read (their members selected with them): no query of its own.
    """

    votes: list
    groups: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @classmethod
    def of(cls, votes):
        votes = sorted(votes, key=lambda v: (v.member.political_group, v.member.name))
        by_group = {}
        for vote in votes:
            by_group.setdefault(vote.member.political_group, Counter())[vote.vote] += 1
        overall = Counter(vote.vote for vote in votes)
        return cls(
            votes=votes,
            groups=[
                GroupTotal(group, {option: counts[option] for option in OPTIONS})
                for group, counts in sorted(by_group.items())
            ],
            counts={option: overall[option] for option in OPTIONS},
        )

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def cells(self):
        """The overall counts in the order of ``headings``, for a table."""
        return [self.counts[option] for option in OPTIONS]

    headings = [LABELS[option] for option in OPTIONS]

    @property
    def result(self):
        """Carried when more voted for than against (the Chair's casting vote is minuted as
        the resolution, not here)."""
        return "carried" if self.counts["for"] > self.counts["against"] else "lost"

    def as_data(self):
        """The tally as the API and the open-data exports give it."""
        return {
            "counts": dict(self.counts),
            "result": self.result,
            "by_group": [{"group": g.group, "counts": dict(g.counts)} for g in self.groups],
            "votes": [
                {
                    "member": vote.member.name,
                    "member_id": vote.member_id,
                    "political_group": vote.member.political_group,
                    "vote": vote.vote,
                }
                for vote in self.votes
            ],
        }
