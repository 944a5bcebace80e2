from .access_log import AccessLogEntry
from .alerts import AlertDelivery, EmailSubscription, Frequency, SavedSearch, Topic
from .base import BoardPage, BoardPageTag
from .digest import DigestDelivery, DigestPreference
from .documents import BoardDocument
from .indexes import SectionIndexPage
from .interests import Interest, MeetingReminder
from .meetings import (
    AgendaItem,
    MeetingAttendance,
    MeetingIndexPage,
    MeetingPage,
    ProviderAttendance,
)
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
from .social_value import SocialValueCommitment, SocialValueDelivery
from .trail import TrailStep
from .training import (
    CompletionMethod,
    TrainingCompletion,
    TrainingIndexPage,
    TrainingModulePage,
)
from .votes import RecordedVote, VoteTally

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
    "DigestDelivery",
    "DigestPreference",
    "EmailSubscription",
    "Frequency",
    "Declaration",
    "MeetingAttendance",
    "MeetingIndexPage",
    "MeetingReminder",
    "MeetingPage",
    "Interest",
    "KpiReading",
    "Member",
    "MinuteItem",
    "MinutesPage",
    "PrivateNote",
    "ProposalIndexPage",
    "ProposalPage",
    "ProviderAttendance",
    "ProviderIndexPage",
    "ProviderProfilePage",
    "RecordedVote",
    "ReviewPackPage",
    "SectionIndexPage",
    "ServiceArea",
    "SocialValueCommitment",
    "SocialValueDelivery",
    "SavedSearch",
    "SectionIndexPage",
    "ServiceArea",
    "Topic",
    "TrainingCompletion",
    "TrainingIndexPage",
    "TrainingModulePage",
    "TrailStep",
    "VoteTally",
]
