"""Fixed lists officers choose from. Kept together so templates, filters and the API agree."""

from django.db import models


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members (all councillors and the board)"
    BOARD = "board", "Board only (exempt under Schedule 12A)"


class ExemptParagraph(models.TextChoices):
    """Schedule 12A to the Local Government Act 1972, Part 1."""

    P1 = "1", "1: information relating to any individual"
    P2 = "2", "2: information likely to reveal the identity of an individual"
    P3 = "3", "3: financial or business affairs of any particular person"
    P4 = "4", "4: labour relations consultations or negotiations"
    P5 = "5", "5: legal professional privilege"
    P6 = "6", "6: notices, orders or directions"
    P7 = "7", "7: prevention, investigation or prosecution of crime"


class Stage(models.TextChoices):
    ANALYSE = "analyse", "Analyse"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    REVIEW = "review", "Review"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    FOR_CONSIDERATION = "for_consideration", "For board consideration"
    ADVICE_GIVEN = "advice_given", "Advice given"
    DECISION_TAKEN = "decision_taken", "Key decision taken"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    NOT_AGREED = "not_agreed", "Not agreed"
    DEFERRED = "deferred", "Deferred"
    NOTED = "noted", "Noted"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    SUBSTITUTE = "substitute", "Substitute"


class Sector(models.TextChoices):
    VOLUNTARY = "voluntary", "Voluntary and community"
    SME = "sme", "Small or medium enterprise"
    LARGE_PRIVATE = "large_private", "Large private company"
    PUBLIC = "public", "Public sector"
    IN_HOUSE = "in_house", "In-house (council)"


class RagRating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class RouteToMarket(models.TextChoices):
    OPEN = "open", "Open procedure"
    RESTRICTED = "restricted", "Competitive flexible procedure"
    FRAMEWORK = "framework", "Call-off from a framework"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT = "grant", "Grant"
    IN_HOUSE = "in_house", "Bring in-house"
    NOT_DECIDED = "not_decided", "Not yet decided"


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-Chair"
    MEMBER = "member", "Member"
    SUBSTITUTE = "substitute", "Substitute member"
    OFFICER = "officer", "Officer (non-voting)"


class TrailStepKind(models.TextChoices):
    """The steps a proposal takes from the board's advice to the Key Decision, in order."""

    BOARD = "board", "Considered by the board"
    COMMITTEE = "committee", "Reported to a Cabinet Committee"
    KEY_DECISION = "key_decision", "Key Decision taken"
    CALL_IN = "call_in", "Call-in period"


class AdviceReached(models.TextChoices):
    CONSENSUS = "consensus", "By consensus"
    MAJORITY = "majority", "By a majority"
    RECORDED_VOTE = "recorded_vote", "On a recorded vote"


class VoteOption(models.TextChoices):
    """A member's vote in a recorded vote (Popolo's options: yes / no / abstain / not voting)."""

    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstained"
    DID_NOT_VOTE = "did_not_vote", "Did not vote"


class CommitteeOutcome(models.TextChoices):
    ENDORSED = "endorsed", "Endorsed the board's advice"
    ENDORSED_WITH_CHANGES = "endorsed_changes", "Endorsed it with changes"
    NOT_ENDORSED = "not_endorsed", "Did not endorse it"
    DEFERRED = "deferred", "Deferred"


class AdviceFollowed(models.TextChoices):
    FOLLOWED = "followed", "Advice followed"
    PARTLY = "partly", "Advice partly followed"
    NOT_FOLLOWED = "not_followed", "Advice not followed"


class ProcurementRoute(models.TextChoices):
    """How a contract was let, in the terms the Local Government Transparency Code 2015 asks
    for (a published invitation to tender or an invitation to quote) and the other routes."""

    OPEN_TENDER = "open_tender", "Published invitation to tender (open procedure)"
    COMPETITIVE = "competitive", "Published invitation to tender (competitive flexible procedure)"
    QUOTE = "quote", "Invitation to quote"
    FRAMEWORK = "framework", "Call-off from a framework"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT = "grant", "Grant agreement"
    IN_HOUSE = "in_house", "In-house service level agreement"


class InterestCategory(models.TextChoices):
    """The disclosable pecuniary interests of the Relevant Authorities (Disclosable Pecuniary
    Interests) Regulations 2012 (SI 2012/1464, Schedule), then the "other registrable
    interests" of the LGA model councillor code of conduct."""

    EMPLOYMENT = "employment", "Employment, office, trade, profession or vocation"
    SPONSORSHIP = "sponsorship", "Sponsorship"
    CONTRACTS = "contracts", "Contracts"
    LAND = "land", "Land"
    LICENCES = "licences", "Licences"
    CORPORATE_TENANCIES = "corporate_tenancies", "Corporate tenancies"
    SECURITIES = "securities", "Securities"
    OTHER = "other", "Other registrable interest"

    @classmethod
    def pecuniary(cls):
        return [c for c in cls if c != cls.OTHER]


class SocialValueMeasure(models.TextChoices):
    """The social value measures a proposal may commit a provider to (issue 14, item 4): the
    council's maintained list, in the words of its social value policy; "other" for the rest,
    described in the commitment's own words."""

    APPRENTICESHIPS = "apprenticeships", "Apprenticeships"
    LIVING_WAGE = "living_wage", "Staff paid the Real Living Wage"
    LOCAL_SPEND = "local_spend", "Spend with local suppliers"
    LOCAL_JOBS = "local_jobs", "Jobs for local people"
    VOLUNTEERING = "volunteering", "Volunteering hours in the community"
    CARBON = "carbon", "Carbon emissions reduced"
    OTHER = "other", "Other (describe it)"


class SocialValueUnit(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENT = "%", "Per cent (%)"
    POUNDS = "£", "Pounds (£)"
    HOURS = "hours", "Hours"
    TONNES = "tonnes", "Tonnes (CO2e)"
