"""Conflict prompts: which registered interests touch which items of a meeting's agenda.

An agenda item's paper touches a provider when it is that provider's profile (a contract review),
or a proposal that lists the provider among its related providers or is the recommissioning
proposal of one of the provider's contracts; a proposal touches its service area. An interest
linked to that provider or service area is a likely declaration for the item.

Two readers ask: a member signed in (``prompts_for``: their own interests only, and only for
items whose paper they may open, decided by papers.visibility, so a prompt never names or hints
at a paper they may not see), and officers and the Chair (``likely_declarations``: every current
member, the paper named only when the reader may see it). Each costs a fixed number of queries
whatever the size of the agenda.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from .choices import MeetingStatus
from .models import AgendaItem, Contract, Interest, Member, ProposalPage, ProviderProfilePage
from .visibility import visible_pages


@dataclass(frozen=True)
class Match:
    """An interest that touches an agenda item, and why."""

    interest: Interest
    item: AgendaItem
    number: str  # as the agenda shows it: the item's number, else its place
    provider: ProviderProfilePage | None  # the provider in common, if that is the reason
    service_area: object | None  # the service area in common, if that is the reason
    paper: Page | None = None  # the item's paper, only if the reader may see it

    @property
    def reason(self):
        """Why, in words any reader of the prompt may read: a provider whose page the reader
        may not see has been taken out (``prompts_for``), leaving "a provider"."""
        if self.provider is not None:
            return f"the paper concerns {self.provider.title}"
        if self.service_area is not None:
            return f"the paper is about {self.service_area.name}"
        return "the paper concerns a provider you have registered an interest in"


def member_of(user):
    """The Member record linked to ``user``'s account, or None."""
    if not (user and user.is_authenticated and user.pk):
        return None
    return Member.objects.filter(user=user).first()


def prompts_apply(meeting):
    """Prompts are for a meeting still to come: once held, declarations are in its minutes."""
    return (
        meeting.status == MeetingStatus.SCHEDULED
        and timezone.localdate(meeting.start) >= timezone.localdate()
    )


def numbered_agenda(meeting):
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("sort_order", "pk"))
    return [(item, item.number or str(place)) for place, item in enumerate(items, start=1)]


def _touches(paper_ids):
    """``{paper id: (provider ids, service area id)}`` for the given pages, in four queries."""
    touches = {pk: (set(), None) for pk in paper_ids}
    for pk, area in ProposalPage.objects.filter(pk__in=paper_ids).values_list(
        "pk", "service_area_id"
    ):
        touches[pk] = (touches[pk][0], area)
    related = ProposalPage.related_providers.through.objects.filter(proposalpage_id__in=paper_ids)
    for pk, provider in related.values_list("proposalpage_id", "providerprofilepage_id"):
        touches[pk][0].add(provider)
    contracts = Contract.objects.filter(recommissioning_proposal_id__in=paper_ids)
    for pk, provider in contracts.values_list("recommissioning_proposal_id", "provider_id"):
        touches[pk][0].add(provider)
    for pk in ProviderProfilePage.objects.filter(pk__in=paper_ids).values_list("pk", flat=True):
        touches[pk][0].add(pk)
    return touches


def _matches(agenda, interests, touches):
    """Every (interest, item) pair where the interest touches the item's paper (items whose
    paper is not in ``touches`` are left out)."""
    matches = []
    for item, number in agenda:
        if item.proposal_id not in touches:
            continue
        providers, area = touches[item.proposal_id]
        for interest in interests:
            if interest.provider_id and interest.provider_id in providers:
                matches.append(Match(interest, item, number, interest.provider, None))
            elif area is not None and interest.service_area_id == area:
                matches.append(Match(interest, item, number, None, interest.service_area))
    return matches


def _with_papers(matches, reader):
    """The matches with the item's paper filled in where ``reader`` may see it (one query)."""
    ids = {m.item.proposal_id for m in matches}
    seen = {p.pk: p for p in visible_pages(reader, Page.objects.filter(pk__in=ids)).specific()}
    return [
        Match(
            m.interest, m.item, m.number, m.provider, m.service_area, seen.get(m.item.proposal_id)
        )
        for m in matches
    ]


def prompts_for(user, meeting):
    """The conflict prompts for the signed-in ``user`` on ``meeting``: their own registered
    interests that touch an item whose paper they may open (never any other member's, never an
    item whose paper is hidden from them). A provider is named only if they may see its page."""
    member = member_of(user)
    if member is None:
        return []
    interests = list(member.interests.select_related("provider", "service_area"))
    if not interests:
        return []
    agenda = numbered_agenda(meeting)
    ids = [item.proposal_id for item, _ in agenda if item.proposal_id]
    readable = visible_pages(user, Page.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    matches = _with_papers(_matches(agenda, interests, _touches(list(readable))), user)
    providers = {m.provider.pk for m in matches if m.provider is not None}
    named = set(
        visible_pages(user, Page.objects.filter(pk__in=providers)).values_list("pk", flat=True)
    )
    return [
        m
        if m.provider is None or m.provider.pk in named
        else Match(m.interest, m.item, m.number, None, None, m.paper)
        for m in matches
    ]


def likely_declarations(meeting, reader):
    """Every current member's interests that touch an item of ``meeting``'s agenda, for officers
    and the Chair: by item, then member. The paper is named only where ``reader`` may see it."""
    agenda = numbered_agenda(meeting)
    ids = {item.proposal_id for item, _ in agenda if item.proposal_id}
    if not ids:
        return []
    touches = _touches(ids)
    providers = set().union(*(p for p, _ in touches.values()))
    areas = {a for _, a in touches.values() if a is not None}
    interests = list(
        Interest.objects.filter(member__is_current=True)
        .filter(Q(provider_id__in=providers) | Q(service_area_id__in=areas))
        .select_related("member", "provider", "service_area")
        .order_by("member__name", "pk")
    )
    return _with_papers(_matches(agenda, interests, touches), reader)
