"""Recorded votes: each member's vote on a decision of the board, with totals by political group.

A vote is an orderable inline record of the *minutes* (not of the decision): Wagtail's admin
does not nest inline panels well, and a draft's new decisions have no database id to point a
foreign key at (a revision keeps its children as JSON until it is published). So a vote names
its decision by the decision's minute reference, unique within the minutes; the minutes' form
(``papers.page_forms.MinutesPageForm``) checks that the reference names a decision of the same
minutes reached on a recorded vote, and that no member votes twice on it. Being part of the
minutes, votes go through the Chair's approval with them.

Who may read a vote is decided by ``papers.visibility`` (``readable_votes`` for listings and
exports, ``readable_votes_by_decision`` for a page): exactly those who may read its decision.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..choices import VoteOption
from ..tally import VoteTally

__all__ = ["RecordedVote", "VoteTally"]


class RecordedVote(Orderable):
    minutes = ParentalKey(
        "papers.MinutesPage", related_name="recorded_votes", on_delete=models.CASCADE
    )
    decision_reference = models.CharField(
        "decision",
        max_length=40,
        help_text="The minute reference of the decision voted on, as given under Decisions "
        "(e.g. CAB/26/002).",
    )
    member = models.ForeignKey("papers.Member", on_delete=models.PROTECT, related_name="votes")
    vote = models.CharField(max_length=12, choices=VoteOption.choices)

    panels = [
        FieldRowPanel([FieldPanel("decision_reference"), FieldPanel("member"), FieldPanel("vote")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = "recorded vote"
        indexes = [models.Index(fields=["minutes", "decision_reference"])]

    def __str__(self):
        return f"{self.decision_reference}: {self.member} {self.get_vote_display().lower()}"
