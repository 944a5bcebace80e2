"""The fixed lists live in papers.choices (a leaf module, so the rules that use them need not
load the models); imported here too for code that names them by this path."""

from ..choices import (
    AttendanceStatus,
    Audience,
    BoardRole,
    ExemptParagraph,
    MeetingStatus,
    Outcome,
    ProcurementRoute,
    ProposalStatus,
    RagRating,
    RouteToMarket,
    Sector,
    Stage,
)

__all__ = [
    "AttendanceStatus",
    "Audience",
    "BoardRole",
    "ExemptParagraph",
    "MeetingStatus",
    "Outcome",
    "ProcurementRoute",
    "ProposalStatus",
    "RagRating",
    "RouteToMarket",
    "Sector",
    "Stage",
]
