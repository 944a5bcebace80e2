"""The board's records shaped after Open Civic Data / Popolo, for the open-data exports.

Meetings are *events*, proposals *bills* (their advice trail is the bill's *actions*), the
decisions register's decisions *motions*, recorded votes *vote events* (counts, totals by
political group, each member's vote), members *people*, and the board, the political groups
and the Cabinet Committees *organizations*.

Ids are stable: Open Civic Data's form ``ocd-<type>/<uuid>``, where the UUID is derived (UUID 5)
from the configured site address (papers.site_address, never the request's Host header) and the
record's own stable key: a page's id, a decision's minutes and minute reference, a group's name.
The same record has the same id in every request, export and page of results.

Everything here is handed records a caller has already narrowed with papers.visibility, and
the ids of the proposals that reader may see (``visible_bills``): nothing here decides access.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.utils import timezone
from django.utils.html import strip_tags

from .models.minutes import exempt_notice
from .site_address import site_root_url

# Popolo's vote options for ours (papers.choices.VoteOption).
POPOLO_OPTIONS = {
    "for": "yes",
    "against": "no",
    "abstain": "abstain",
    "did_not_vote": "not voting",
}
BOARD_KEY = "board"
# The site address, read once for a whole export (``one_site_address``), not once per id.
_ROOT = ContextVar("popolo_site_root", default=None)


@contextmanager
def one_site_address():
    """Read the configured site address once for everything built inside."""
    token = _ROOT.set(site_root_url())
    try:
        yield
    finally:
        _ROOT.reset(token)


@lru_cache(maxsize=8)
def _namespace(root):
    return uuid.uuid5(uuid.NAMESPACE_URL, root)


def ocd_id(kind, key):
    """``ocd-<kind>/<uuid>`` for the record ``key`` (a string) of ``kind``."""
    root = _ROOT.get() or site_root_url()
    return f"ocd-{kind}/{uuid.uuid5(_namespace(root), f'{kind}:{key}')}"


def board_id():
    return ocd_id("organization", BOARD_KEY)


def group_id(name):
    return ocd_id("organization", f"group:{name}")


def committee_id(committee):
    return ocd_id("organization", f"committee:{committee.pk}")


def person_id(member_id):
    return ocd_id("person", member_id)


def event_id(meeting_id):
    return ocd_id("event", meeting_id)


def bill_id(proposal_id):
    return ocd_id("bill", proposal_id)


def motion_id(decision):
    return ocd_id("motion", f"{decision.minutes_id}:{decision.reference}")


def vote_event_id(decision):
    return ocd_id("vote", f"{decision.minutes_id}:{decision.reference}")


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    return timezone.localtime(value).isoformat() if value else None


def plain(html):
    return " ".join(strip_tags(html or "").split())


def _sources(page, request):
    return [{"url": page.get_full_url(request), "note": "web page"}]


def organization_board(name):
    return {"id": board_id(), "name": name, "classification": "committee", "parent_id": None}


def organization_group(name):
    return {
        "id": group_id(name),
        "name": name,
        "classification": "party",
        "parent_id": None,
    }


def organization_committee(committee):
    return {
        "id": committee_id(committee),
        "name": committee.name,
        "classification": "committee",
        "parent_id": None,
    }


def person(member):
    return {
        "id": person_id(member.pk),
        "name": member.name,
        "party": member.political_group,
        "memberships": [
            {
                "organization_id": board_id(),
                "role": member.get_board_role_display(),
                "on_behalf_of_id": group_id(member.political_group),
                "current": member.is_current,
            },
            {"organization_id": group_id(member.political_group), "role": "member"},
        ],
    }


def event(meeting, request, visible_bills):
    agenda = []
    for item in meeting.agenda_items.all():
        related = []
        if item.proposal_id in visible_bills:
            related.append({"entity_type": "bill", "entity_id": bill_id(item.proposal_id)})
        agenda.append(
            {
                "order": item.number,
                "description": item.public_title,
                # An exempt item shows only its public title and notice, as the agenda does.
                "notes": [exempt_notice(item.exempt_paragraph)] if item.is_exempt else [],
                "related_entities": related,
            }
        )
    return {
        "id": event_id(meeting.pk),
        "name": meeting.title,
        "classification": "committee-meeting",
        "status": {"held": "passed", "cancelled": "cancelled"}.get(meeting.status, "confirmed"),
        "start_date": _datetime(meeting.start),
        "end_date": _datetime(meeting.end),
        "location": {"name": meeting.venue},
        "participants": [{"entity_type": "organization", "entity_id": board_id()}],
        "agenda": agenda,
        "sources": _sources(meeting, request),
    }


def action(step):
    """An advice trail step as one of its bill's actions."""
    organization = committee_id(step.committee) if step.committee_id else board_id()
    return {
        "date": _date(step.date),
        "description": step.get_kind_display(),
        "classification": [step.kind],
        "organization_id": organization,
        "extras": {
            "meeting_id": event_id(step.meeting_id) if step.meeting_id else None,
            "minute_reference": step.minute_reference,
            "advice": step.advice,
            "reached_by": step.reached_by,
            "committee_outcome": step.committee_outcome,
            "decision_maker": step.decision_maker,
            "key_decision_reference": step.key_decision_reference,
            "advice_followed": step.advice_followed,
            "reasons": step.reasons,
            "call_in_ends": _date(step.call_in_ends),
            "called_in": step.called_in,
            "link": step.link,
        },
    }


def bill(proposal, request):
    return {
        "id": bill_id(proposal.pk),
        "identifier": proposal.reference,
        "title": proposal.title,
        "classification": ["proposal"],
        "from_organization_id": board_id(),
        "subject": [proposal.service_area.name] if proposal.service_area_id else [],
        "abstracts": [{"abstract": proposal.summary}] if proposal.summary else [],
        "actions": [action(step) for step in proposal.trail.all()],
        "extras": {
            "key_decision_reference": proposal.key_decision_reference,
            "decision_maker": proposal.decision_maker,
            "expected_decision_date": _date(proposal.expected_decision_date),
            "cabinet_committee_id": (
                committee_id(proposal.cabinet_committee) if proposal.cabinet_committee_id else None
            ),
            "stage": proposal.stage,
            "status": proposal.status,
        },
        "sources": _sources(proposal, request),
    }


def motion(decision, readable, request, visible_bills, meeting_ids):
    """A decision of the register: in full, or for exempt business its notice and public
    summary only (``readable``: papers.visibility.decision_is_readable, asked by the caller;
    ``meeting_ids``: each minutes page's meeting, read once for a page of results)."""
    committee = decision.cabinet_committee
    return {
        "id": motion_id(decision),
        "identifier": decision.reference,
        "organization_id": board_id(),
        "event_id": event_id(meeting_ids[decision.minutes_id]),
        "date": _date(decision.minutes.paper_date),
        "classification": ["resolution"],
        "text": decision.title if readable else decision.exempt_notice,
        "resolution": plain(decision.resolution) if readable else decision.public_text,
        "result": decision.outcome,
        "is_exempt": decision.is_exempt,
        "exempt_paragraph": decision.exempt_paragraph,
        "reached_by": decision.reached_by if readable else None,
        "vote_event_id": (
            vote_event_id(decision) if readable and decision.reached_by == "recorded_vote" else None
        ),
        "bill_id": bill_id(decision.proposal_id) if decision.proposal_id in visible_bills else None,
        "key_decision_reference": decision.key_decision_reference,
        "recommendation_to_id": committee_id(committee) if committee is not None else None,
        "sources": [{"url": f"{decision.minutes.get_full_url(request)}#{decision.anchor}"}],
    }


def vote_event(decision, tally, request, visible_bills, meeting_ids):
    """A recorded vote (``meeting_ids``: each minutes' meeting, as for ``motion``): the caller
    has read ``tally`` (papers.tally.VoteTally) from votes
    papers.visibility.readable_votes gave it."""
    return {
        "id": vote_event_id(decision),
        "identifier": decision.reference,
        "motion_id": motion_id(decision),
        "motion_text": decision.title,
        "organization_id": board_id(),
        "event_id": event_id(meeting_ids[decision.minutes_id]),
        "start_date": _date(decision.minutes.paper_date),
        "result": "pass" if tally.result == "carried" else "fail",
        "bill_id": bill_id(decision.proposal_id) if decision.proposal_id in visible_bills else None,
        "counts": [
            {"option": POPOLO_OPTIONS[option], "value": value}
            for option, value in tally.counts.items()
        ],
        "group_results": [
            {
                "group_id": group_id(group.group),
                "group": group.group,
                "counts": [
                    {"option": POPOLO_OPTIONS[option], "value": value}
                    for option, value in group.counts.items()
                ],
            }
            for group in tally.groups
        ],
        "votes": [
            {
                "voter_id": person_id(vote.member_id),
                "voter_name": vote.member.name,
                "group_id": group_id(vote.member.political_group),
                "option": POPOLO_OPTIONS[vote.vote],
            }
            for vote in tally.votes
        ],
        "sources": [{"url": f"{decision.minutes.get_full_url(request)}#vote-{decision.pk}"}],
    }
