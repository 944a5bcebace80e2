"""The backbench digest (issue 13, item 5): a weekly, members-only summary of papers that moved
stage, items coming to the board and new decisions, built for each reader through
papers.visibility (training gate included); its archive pages; and send_digest's emails."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageLogEntry

from papers.digest import Week, build_digest
from papers.models import (
    DigestDelivery,
    DigestPreference,
    MinutesPage,
    TrainingCompletion,
    TrainingModulePage,
)
from papers.models.choices import Audience, MeetingStatus, ProposalStatus, Stage
from papers.roles import ensure_roles
from papers.site_address import site_root_url
from papers.visibility import can_view, missing_training
from tests.factories import (
    AgendaItemFactory,
    BoardMemberUserFactory,
    CouncillorUserFactory,
    MeetingPageFactory,
    MinutesPageFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    TrainingIndexPageFactory,
    TrainingModulePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEEK = Week(datetime.date(2026, 3, 2))  # 2026-W10, Monday 2 to Sunday 8 March (GMT)
BOARD_TITLE = "Bidder shortlist for Quillhaven transport"
EXEMPT_DECISION = "Award of the Quillhaven transport contract"
EXEMPT_AGENDA_TITLE = "Transport contract (exempt)"


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def publish(page, when, **changes):
    """Publish a revision of ``page`` with ``changes``, logged as published at ``when``."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision()
    revision.publish()
    PageLogEntry.objects.filter(revision=revision, action="wagtail.publish").update(timestamp=when)
    return type(page).objects.get(pk=page.pk)


def publish_minutes(minutes, when):
    MinutesPage.objects.filter(pk=minutes.pk).update(first_published_at=when)


@pytest.fixture
def site(settings):
    settings.BOARD_PAPERS = {**settings.BOARD_PAPERS, "REQUIRE_TRAINING_FOR_BOARD_PAPERS": True}
    ensure_roles()
    TrainingModulePageFactory(
        parent=TrainingIndexPageFactory(),
        title="Handling exempt information",
        required_for_board_papers=True,
    )
    index = ProposalIndexPageFactory()
    public = ProposalPageFactory(parent=index, title="Recommission home care", stage=Stage.ANALYSE)
    members = ProposalPageFactory(
        parent=index,
        title="Transformation programme: libraries briefing",
        audience=Audience.MEMBERS,
        stage=Stage.ANALYSE,
    )
    board = ProposalPageFactory(
        parent=index,
        title=BOARD_TITLE,
        audience=Audience.BOARD,
        exempt_paragraph="3",
        stage=Stage.DO,
    )
    # Each was first published before the week and moved on in it.
    for page, stage in [(public, Stage.PLAN), (members, Stage.PLAN), (board, Stage.REVIEW)]:
        publish(page, at(2026, 2, 20, 9))
        publish(page, at(2026, 3, 4, 15), stage=stage)
    # The next meeting brings the board paper (exempt) and the public one.
    meeting = MeetingPageFactory(start=at(2026, 3, 25, 10), status=MeetingStatus.SCHEDULED)
    AgendaItemFactory(meeting=meeting, number="4", public_title="Home care", proposal=public)
    AgendaItemFactory(
        meeting=meeting,
        number="7",
        public_title=EXEMPT_AGENDA_TITLE,
        proposal=board,
        is_exempt=True,
        exempt_paragraph="3",
    )
    held = MeetingPageFactory(start=at(2026, 2, 25, 10), status=MeetingStatus.HELD, agenda=[])
    minutes = MinutesPageFactory(
        parent=held,
        decisions=[
            {"title": "Advice on home care", "reference": "CAB/26/010"},
            {
                "title": EXEMPT_DECISION,
                "reference": "CAB/26/011",
                "is_exempt": True,
                "exempt_paragraph": "3",
                "public_summary": "The board gave its advice on a transport contract award.",
            },
        ],
    )
    publish_minutes(minutes, at(2026, 3, 6, 12))
    trained_member = BoardMemberUserFactory(username="member")
    TrainingCompletion.objects.create(
        module=TrainingModulePage.objects.get(), user=trained_member, completed_on=WEEK.monday
    )
    return {
        "public": public,
        "members": members,
        "board": board,
        "meeting": meeting,
        "minutes": minutes,
        "councillor": CouncillorUserFactory(username="councillor"),
        "member": trained_member,
        "trainee": BoardMemberUserFactory(username="trainee"),
        "officer": OfficerFactory(username="officer"),
    }


def titles(digest):
    moved = {move.page.title for move in digest.moves}
    coming = {item.title for item in digest.coming}
    decided = {
        entry.decision.title if entry.readable else entry.decision.exempt_notice
        for entry in digest.decisions
    }
    return moved, coming, decided


def test_each_reader_gets_only_what_they_may_open(site):
    now = at(2026, 3, 9, 7)  # the Monday after: the digest send_digest would send
    assert missing_training(site["trainee"]) and not missing_training(site["member"])
    everything = {site["public"].title, site["members"].title, BOARD_TITLE}
    for who in ("member", "officer"):
        moved, coming, decided = titles(build_digest(site[who], WEEK, now=now))
        assert moved == everything
        assert coming == {site["public"].title, BOARD_TITLE}
        assert decided == {"Advice on home care", EXEMPT_DECISION}
    # The councillor, and a board member without the required training, read the same:
    # the board paper not at all, its agenda item by public title and notice, the exempt
    # decision by its notice.
    for who in ("councillor", "trainee"):
        digest = build_digest(site[who], WEEK, now=now)
        moved, coming, decided = titles(digest)
        assert moved == {site["public"].title, site["members"].title}
        assert coming == {site["public"].title, EXEMPT_AGENDA_TITLE}
        assert [item.paper for item in digest.coming if item.title == EXEMPT_AGENDA_TITLE] == [None]
        assert decided == {"Advice on home care", "Exempt item, Schedule 12A paragraph 3"}
    move = next(m for m in build_digest(site["member"], WEEK).moves if m.page.title == BOARD_TITLE)
    assert (move.stage_from, move.stage_to) == ("Do", "Review") and not move.status_moved


def test_rendered_digest_names_nothing_restricted_for_a_councillor(site):
    for who, shown in [("councillor", False), ("trainee", False), ("member", True)]:
        client = Client(HTTP_HOST="localhost")
        client.force_login(site[who])
        body = client.get(f"/digest/{WEEK.label}/").content.decode()
        assert "Transformation programme: libraries briefing" in body
        assert "Analyse" in body and "Plan" in body
        for secret in (BOARD_TITLE, EXEMPT_DECISION, "Quillhaven"):
            assert (secret in body) == shown, (who, secret)


def test_an_item_restricted_after_it_changed_is_left_out(site):
    public = site["public"]
    assert public.title in titles(build_digest(site["councillor"], WEEK))[0]
    # Tightened to board only after the week: a draft's tightening applies at once.
    page = type(public).objects.get(pk=public.pk)
    page.audience, page.exempt_paragraph = Audience.BOARD, "3"
    page.save_revision()
    assert not can_view(site["councillor"], public)
    for who in ("councillor", "trainee"):
        moved, coming, _ = titles(build_digest(site[who], WEEK))
        assert public.title not in moved | coming
    assert public.title in titles(build_digest(site["member"], WEEK))[0]


def test_week_boundaries_and_what_counts_as_a_move(site):
    index = ProposalIndexPageFactory()
    late = ProposalPageFactory(parent=index, title="Sunday night move", stage=Stage.ANALYSE)
    publish(late, at(2026, 2, 1, 9))
    publish(late, at(2026, 3, 8, 23, 59), stage=Stage.PLAN)  # the last minute of the week
    early = ProposalPageFactory(parent=index, title="Monday morning move", stage=Stage.ANALYSE)
    publish(early, at(2026, 2, 1, 9))
    publish(early, at(2026, 3, 9, 0, 0), stage=Stage.PLAN)  # the first minute of the next
    back = ProposalPageFactory(parent=index, title="There and back", stage=Stage.ANALYSE)
    publish(back, at(2026, 2, 1, 9))
    publish(back, at(2026, 3, 3, 9), stage=Stage.PLAN)
    publish(back, at(2026, 3, 5, 9), stage=Stage.ANALYSE)  # where it started: no move
    new = ProposalPageFactory(parent=index, title="First published this week")
    publish(new, at(2026, 3, 3, 9))  # a first publication is not a move
    status = ProposalPageFactory(parent=index, title="Advice given", stage=Stage.PLAN)
    publish(status, at(2026, 2, 1, 9))
    publish(status, at(2026, 3, 2, 0, 0), status=ProposalStatus.ADVICE_GIVEN)

    officer = site["officer"]
    moved = titles(build_digest(officer, WEEK))[0]
    assert {"Sunday night move", "Advice given"} <= moved
    assert not {"Monday morning move", "There and back", "First published this week"} & moved
    assert "Monday morning move" in titles(build_digest(officer, WEEK.next()))[0]

    # Summer time: the week of 6 April 2026 starts at 23:00 UTC on Sunday 5 April.
    summer = Week.parse("2026-W15")
    assert summer.start == datetime.datetime(2026, 4, 5, 23, 0, tzinfo=datetime.UTC)

    def length(week):
        return week.end.astimezone(datetime.UTC) - week.start.astimezone(datetime.UTC)

    assert length(WEEK) == datetime.timedelta(days=7)
    # The clocks go forward on Sunday 29 March: that week is an hour short.
    assert length(Week.parse("2026-W13")) == datetime.timedelta(days=7, hours=-1)
    publish(late, datetime.datetime(2026, 4, 5, 23, 30, tzinfo=datetime.UTC), stage=Stage.DO)
    assert "Sunday night move" in titles(build_digest(officer, summer))[0]
    assert "Sunday night move" not in titles(build_digest(officer, summer.previous()))[0]

    for bad in ("2026-W54", "2026-w10", "2026-10", "", "W10", "2026-W00"):
        with pytest.raises(ValueError, match="is not a week"):
            Week.parse(bad)
    assert Week.parse("2020-W53").label == "2020-W53"
    assert Week.containing(datetime.date(2026, 3, 8)) == WEEK


def test_digest_queries_do_not_grow_with_the_number_of_changes(site):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build_digest(site["councillor"], WEEK)
        return len(queries)

    count()  # caches warmed (content types, the reader's groups)
    few = count()
    index = ProposalIndexPageFactory()
    for n in range(6):
        page = ProposalPageFactory(parent=index, title=f"Extra {n}", stage=Stage.ANALYSE)
        publish(page, at(2026, 2, 1, 9))
        publish(page, at(2026, 3, 3, 9), stage=Stage.PLAN)
    assert len(build_digest(site["councillor"], WEEK).moves) == 8
    assert count() == few


def test_archive_is_for_members_only_and_never_cached(site, settings):
    week_url = f"/digest/{WEEK.label}/"
    anonymous = Client(HTTP_HOST="localhost")
    for url in ("/digest/", week_url):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={url}"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    outsider = Client(HTTP_HOST="localhost")
    outsider.force_login(UserFactory(username="not-a-member"))
    assert outsider.get("/digest/").status_code == 403
    assert outsider.get(week_url).status_code == 403

    client = Client(HTTP_HOST="localhost")
    client.force_login(site["councillor"])
    archive = client.get("/digest/")
    assert archive.status_code == 200
    assert "no-store" in archive["Cache-Control"] and "private" in archive["Cache-Control"]
    current = Week.current()
    assert f'href="/digest/{current.label}/"' in archive.content.decode()
    response = client.get(week_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.get("X-Page-Cache") != "hit"
    for bad in ("/digest/2026-W99/", "/digest/nonsense/", f"/digest/{current.next().label}/"):
        assert client.get(bad).status_code == 404
    assert client.post(week_url).status_code == 405


def test_the_member_chooses_on_their_account_page(site):
    client = Client(HTTP_HOST="localhost")
    client.force_login(site["councillor"])
    page = client.get("/account/").content.decode()
    assert 'id="digest"' in page and 'value="yes" checked' in page
    assert client.post("/account/digest/", {"weekly_email": "maybe"}).status_code == 400
    response = client.post("/account/digest/", {"weekly_email": "no"})
    assert response.status_code == 302 and response["Location"] == "/account/#digest"
    assert not DigestPreference.wants_email(site["councillor"])
    assert 'value="no" checked' in client.get("/account/").content.decode()
    client.post("/account/digest/", {"weekly_email": "yes"})
    assert DigestPreference.wants_email(site["councillor"])
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.post("/account/digest/", {"weekly_email": "no"}).status_code == 302
    outsider = Client(HTTP_HOST="localhost")
    outsider.force_login(UserFactory(username="not-a-member"))
    assert 'id="digest"' not in outsider.get("/account/").content.decode()


def test_send_digest_emails_each_member_once(site, capsys):
    DigestPreference.objects.create(user=site["officer"], weekly_email=False)
    UserFactory(username="not-a-member")  # has an email, is in no group: never sent one

    call_command("send_digest", "--week", WEEK.label, "--dry-run")
    out = capsys.readouterr().out
    assert "councillor: would send (2 moved stage, 2 coming to the board, 2 new decisions)" in out
    assert "member: would send (3 moved stage, 2 coming to the board, 2 new decisions)" in out
    assert "trainee: would send (2 moved stage" in out
    assert "officer" not in out and "not-a-member" not in out
    assert not mail.outbox and not DigestDelivery.objects.exists()

    call_command("send_digest", "--week", WEEK.label)
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {f"{u}@example.gov.uk" for u in ("councillor", "member", "trainee")}
    assert DigestDelivery.objects.filter(week=WEEK.monday).count() == 3
    base = site_root_url()
    for address, message in sent.items():
        html = message.alternatives[0][0]
        assert message.alternatives[0][1] == "text/html"
        assert message.subject == "Backbench digest: week of 2 March 2026"
        links = re.findall(r'href="([^"]+)"', html) + re.findall(r"https?://\S+", message.body)
        assert links and all(link.startswith(base) for link in links), links
        assert f"{base}/digest/{WEEK.label}/" in message.body
        assert f"{base}/account/#digest" in html
        board_reader = address.startswith("member")
        for body in (html, message.body):
            assert (BOARD_TITLE in body) == board_reader
            assert (EXEMPT_DECISION in body) == board_reader
            assert "Transformation programme: libraries briefing" in body

    # A re-run sends nothing twice.
    mail.outbox.clear()
    call_command("send_digest", "--week", WEEK.label)
    assert not mail.outbox
    assert "3 already sent" in capsys.readouterr().out
    assert DigestDelivery.objects.count() == 3

    # A week with nothing for anyone sends nothing and records nothing.
    call_command("send_digest", "--week", "2025-W10")
    assert not mail.outbox and DigestDelivery.objects.count() == 3


def test_send_digest_refuses_bad_weeks_clearly(site):
    with pytest.raises(CommandError, match="is not a week: write it as YYYY-Www"):
        call_command("send_digest", "--week", "last week")
    with pytest.raises(CommandError, match="has not started yet"):
        call_command("send_digest", "--week", Week.current().next().label)


def test_a_failed_send_is_retried_by_the_next_run(site, monkeypatch):
    def broken(self, fail_silently=False):
        raise OSError("mail server unreachable")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(CommandError, match="could not be sent"):
        call_command("send_digest", "--week", WEEK.label)
    assert not DigestDelivery.objects.exists()
    monkeypatch.undo()
    call_command("send_digest", "--week", WEEK.label)
    assert len(mail.outbox) == 4  # the officer too: no preference recorded
