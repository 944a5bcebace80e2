from .access_log import AccessLogEntry
from .base import BoardPage, BoardPageTag
from .documents import BoardDocument
from .indexes import SectionIndexPage
from .meetings import AgendaItem, MeetingAttendance, MeetingIndexPage, MeetingPage
from .minutes import Decision, Declaration, MinuteItem, MinutesPage
from .notes import PrivateNote
from .proposals import ProposalIndexPage, ProposalPage
from .providers import (
    Contract,
    ContractReview,
    KpiReading,
    ProviderIndexPage,
    ProviderProfilePage,
)
from .review_pack import ReviewPackPage
from .snippets import CabinetCommittee, Member, ServiceArea
from .trail import TrailStep
from .training import (
    CompletionMethod,
    TrainingCompletion,
    TrainingIndexPage,
    TrainingModulePage,
)

__all__ = [
    "AccessLogEntry",
    "AgendaItem",
    "BoardDocument",
    "BoardPage",
    "BoardPageTag",
    "CabinetCommittee",
    "CompletionMethod",
    "Contract",
    "ContractReview",
    "Decision",
    "Declaration",
    "MeetingAttendance",
    "MeetingIndexPage",
    "MeetingPage",
    "KpiReading",
    "Member",
    "MinuteItem",
    "MinutesPage",
    "PrivateNote",
    "ProposalIndexPage",
    "ProposalPage",
    "ProviderIndexPage",
    "ProviderProfilePage",
    "ReviewPackPage",
    "SectionIndexPage",
    "ServiceArea",
    "TrainingCompletion",
    "TrainingIndexPage",
    "TrainingModulePage",
    "TrailStep",
]
