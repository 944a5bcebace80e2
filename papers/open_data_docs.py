"""What each open-data export holds, field by field: shown on /open-data/ and used for the CSV
headers, so the documentation and the files cannot drift apart."""

ID_NOTE = (
    "Ids are Open Civic Data style (ocd-<type>/<uuid>), derived from the site's configured "
    "address and the record's own key: the same record has the same id in every request."
)

COLLECTIONS = {
    "events": {
        "title": "Meetings (events)",
        "summary": "Every meeting of the board you may see, held, cancelled or to come.",
        "fields": [
            ("id", "Stable id of the meeting."),
            ("name, start_date, end_date", "The meeting's title and times (ISO 8601)."),
            ("status", "confirmed (to come), passed (held) or cancelled."),
            ("location.name", "The venue."),
            (
                "agenda",
                "Items in order: number, public title, the Schedule 12A notice for exempt "
                "items, and the proposal (bill) considered when you may see it.",
            ),
            ("sources", "The meeting's web page."),
        ],
    },
    "bills": {
        "title": "Commissioning proposals (bills), with the advice trail",
        "summary": "Every proposal you may see; its actions are the advice trail.",
        "fields": [
            ("id, identifier, title", "Stable id, the board's reference and the title."),
            ("subject, abstracts", "Service area and summary."),
            (
                "actions",
                "The advice trail, step by step: date, kind (board, committee, key_decision, "
                "call_in), the organisation acting, and in extras the minute, the board's "
                "advice and how it was reached, the committee's response, the Key Decision "
                "reference, whether the advice was followed and the reasons, and call-in.",
            ),
            ("extras", "Key Decision reference, decision maker, expected date, stage, status."),
        ],
    },
    "motions": {
        "title": "The decisions register (motions)",
        "summary": "Every decision in the minutes you may see.",
        "fields": [
            ("id, identifier, date", "Stable id, minute reference and the meeting's date."),
            ("event_id", "The meeting the decision was taken at."),
            (
                "text, resolution",
                "Title and resolution; for an exempt decision you may not read, its notice "
                "and public summary.",
            ),
            ("result", "agreed, not_agreed, deferred or noted."),
            (
                "reached_by, vote_event_id",
                "consensus, majority or recorded_vote, and the recorded vote (blank for an "
                "exempt decision you may not read).",
            ),
            ("bill_id, key_decision_reference", "The proposal, when you may see it."),
            ("recommendation_to_id", "The Cabinet Committee the advice goes to."),
        ],
    },
    "vote_events": {
        "title": "Recorded votes (vote events)",
        "summary": "Every recorded vote on a decision you may read.",
        "fields": [
            ("id, motion_id, event_id", "Stable ids of the vote, its decision and meeting."),
            ("result", "pass (more for than against) or fail."),
            ("counts", "Totals by option: yes (for), no (against), abstain, not voting."),
            ("group_results", "The same totals for each political group."),
            ("votes", "Each member's vote: voter_id, voter_name, group_id, option."),
        ],
    },
    "people": {
        "title": "Members (people)",
        "summary": "Everyone who sits or has sat on the board, with their political group.",
        "fields": [
            ("id, name, party", "Stable id, name as minuted, political group."),
            ("memberships", "Role on the board (and whether current), and the group."),
        ],
    },
    "organizations": {
        "title": "The board, political groups and Cabinet Committees (organizations)",
        "summary": "Everything a person, vote or decision points to by organization id.",
        "fields": [
            ("id, name", "Stable id and name."),
            ("classification", "committee (the board, Cabinet Committees) or party."),
        ],
    },
}

CSV_EXPORTS = {
    "decisions": {
        "title": "The decisions register",
        "columns": [
            ("id", "Stable id (as in motions)."),
            ("reference", "Minute reference."),
            ("date", "Date of the meeting."),
            ("title", "Title, or the exempt notice."),
            ("outcome", "agreed, not_agreed, deferred or noted."),
            ("reached_by", "How it was reached, when you may read it."),
            ("exempt", "yes or no."),
            ("exempt_paragraph", "Schedule 12A paragraph."),
            ("key_decision_reference", "NN/NNNNN."),
            ("bill_id", "The proposal, when you may see it."),
            ("vote_event_id", "The recorded vote, when there is one you may read."),
            ("url", "The decision in its minutes."),
        ],
    },
    "trail": {
        "title": "The advice trail",
        "columns": [
            ("bill_id", "The proposal's stable id."),
            ("proposal_reference", "The board's reference."),
            ("proposal_title", "The proposal's title."),
            ("step", "board, committee, key_decision or call_in."),
            ("date", "When the step happened."),
            ("minute_reference", "The board's minute."),
            ("advice", "The board's advice."),
            ("reached_by", "How the advice was reached."),
            ("committee", "Cabinet Committee reported to."),
            ("committee_outcome", "endorsed, endorsed_changes, not_endorsed, deferred."),
            ("decision_maker", "Who took the Key Decision."),
            ("key_decision_reference", "NN/NNNNN."),
            ("advice_followed", "followed, partly or not_followed."),
            ("reasons", "Reasons given for not following the advice in full."),
            ("call_in_ends", "Last day of the call-in period."),
            ("called_in", "yes or no."),
            ("link", "The committee's papers or the decision notice."),
        ],
    },
    "votes": {
        "title": "Recorded votes, one row per member's vote",
        "columns": [
            ("vote_event_id", "Stable id of the vote (as in vote events)."),
            ("decision_reference", "Minute reference of the decision."),
            ("date", "Date of the meeting."),
            ("person_id", "The member's stable id."),
            ("member", "Name as minuted."),
            ("political_group", "The member's group."),
            ("vote", "for, against, abstain or did_not_vote."),
        ],
    },
}

# Exports that live elsewhere on the site: (URL name or path, title, description).
OTHER_EXPORTS = [
    (
        "contracts_csv",
        "Contracts register (CSV)",
        "Every contract of every provider you may see, "
        "in the Local Government Transparency Code 2015's fields: reference, title, description, "
        "department, supplier, SME / VCSE, values, dates, extension options, procurement process.",
    ),
    (
        "decisions",
        "Decisions register (web page)",
        "Searchable and filterable; "
        "the same decisions as the motions collection and decisions CSV.",
    ),
    (
        "forward_plan_feed",
        "Forward plan (feed)",
        "Key Decisions the board will advise on: "
        "title, expected decision date, the meeting that will consider each.",
    ),
    ("feed:all", "Feed of everything (RSS; /atom/ for Atom)", "Minutes, decisions and proposals."),
    ("feed:minutes", "Feed of minutes (RSS)", "Published minutes: title, date, link."),
    ("feed:decisions", "Feed of decisions (RSS)", "Decisions: reference, title, outcome, link."),
    ("feed:proposals", "Feed of proposals (RSS)", "Proposals published for consideration."),
    (
        "meetings_calendar",
        "Meetings calendar (iCalendar)",
        "Every meeting: start, end, venue, status and a link; subscribe in any calendar program.",
    ),
    (
        "/api/v2/pages/",
        "Pages API (JSON, Wagtail API v2)",
        "Every page you may see; minutes "
        "include decisions and their recorded votes (member, group, vote, totals by group).",
    ),
    ("/api/v2/decisions/", "Decisions API (JSON)", "The decisions register, filterable."),
]
