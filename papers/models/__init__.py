from .access_log import AccessLogEntry
from .alerts import AlertDelivery, EmailSubscription, Frequency, SavedSearch, Topic
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
    "AlertDelivery",
    "BoardDocument",
    "BoardPage",
    "BoardPageTag",
    "CabinetCommittee",
    "CompletionMethod",
    "Contract",
    "ContractReview",
    "Decision",
    "EmailSubscription",
    "Frequency",
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
    "SavedSearch",
    "SectionIndexPage",
    "ServiceArea",
    "Topic",
    "TrainingCompletion",
    "TrainingIndexPage",
    "TrainingModulePage",
    "TrailStep",
]
