"""The fixed lists live in papers.choices (a leaf module, so the rules that use them need not
load the models); imported here too for code that names them by this path."""

from ..choices import (
    AdviceFollowed,
    AdviceReached,
    AttendanceStatus,
    Audience,
    BoardRole,
    CommitteeOutcome,
    ExemptParagraph,
    MeetingStatus,
    Outcome,
    ProcurementRoute,
    ProposalStatus,
    RagRating,
    RouteToMarket,
    Sector,
    SocialValueMeasure,
    SocialValueUnit,
    Stage,
    TrailStepKind,
)

__all__ = [
    "AdviceFollowed",
    "AdviceReached",
    "AttendanceStatus",
    "Audience",
    "BoardRole",
    "CommitteeOutcome",
    "ExemptParagraph",
    "MeetingStatus",
    "Outcome",
    "ProcurementRoute",
    "ProposalStatus",
    "RagRating",
    "RouteToMarket",
    "Sector",
    "SocialValueMeasure",
    "SocialValueUnit",
    "Stage",
    "TrailStepKind",
]
