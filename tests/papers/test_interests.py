"""Register of interests and conflict prompts (issue 13, item 3): members' registered interests,
the public register (sensitive interests withheld), a signed-in member's own prompts on the
meeting page (never another member's, never about a paper they may not open), officers' and
the Chair's likely declarations per meeting, the meeting reminder email (with the recipient's
access at send time, sent once), and declarations in minutes linked to the register."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from papers import conflicts, reminders
from papers.choices import Audience, InterestCategory, MeetingStatus
from papers.models import Declaration, Interest, MeetingReminder, TrainingCompletion
from papers.roles import ensure_roles
from tests.factories import (
    AgendaItemFactory,
    BoardMemberUserFactory,
    ChairUserFactory,
    ContractFactory,
    CouncillorUserFactory,
    DeclarationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MemberFactory,
    MinutesPageFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    ProviderIndexPageFactory,
    ProviderProfilePageFactory,
    ServiceAreaFactory,
    TrainingIndexPageFactory,
    TrainingModulePageFactory,
)
from tests.page_cache import cache_control, page_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

BANNER = "Your interests and this agenda"
SECRET_TITLE = "Bidder shortlist for Quillmarsh transport"
ASHDOWN = "Adviser to Brightwater Care Ltd on workforce planning"
KEMBLE = "Director of Fenwold Community Buses"
KEMBLE_CARE = "Volunteer at the Brightwater Care day centre"
SENSITIVE = "Employed at an address a refuge uses"


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@pytest.fixture
def board():
    """A meeting in five days: item 3 a public home care proposal (related provider Brightwater,
    adult social care), item 4 a board-only transport paper (exempt, highways), item 5 a contract
    review (Meadowbank's profile); and members with interests in each."""
    ensure_roles()
    care, highways = (
        ServiceAreaFactory(name="Adult social care"),
        ServiceAreaFactory(name="Highways"),
    )
    providers = ProviderIndexPageFactory()
    brightwater = ProviderProfilePageFactory(
        parent=providers, title="Brightwater Care Ltd", contracts=[], reviews=[]
    )
    meadowbank = ProviderProfilePageFactory(
        parent=providers, title="Meadowbank Community Trust", contracts=[], reviews=[]
    )
    proposals = ProposalIndexPageFactory()
    home_care = ProposalPageFactory(
        parent=proposals, title="Recommission home care", service_area=care
    )
    home_care.related_providers = [brightwater]
    home_care.save()
    secret = ProposalPageFactory(
        parent=proposals,
        title=SECRET_TITLE,
        service_area=highways,
        audience=Audience.BOARD,
        exempt_paragraph="3",
    )
    meeting = MeetingPageFactory(
        parent=MeetingIndexPageFactory(),
        start=timezone.now() + datetime.timedelta(days=5),
        agenda=[
            {"number": "1", "public_title": "Apologies"},
            {"number": "3", "public_title": "Home care: one year on", "proposal": home_care},
            {
                "number": "4",
                "public_title": "Transport: contract award",
                "proposal": secret,
                "is_exempt": True,
                "exempt_paragraph": "3",
            },
            {"number": "5", "public_title": "Annual review of a grant", "proposal": meadowbank},
        ],
    )
    # Tom: a board member advising Brightwater. Ruth: a councillor (no board papers) with an
    # interest in highways and in Brightwater. Bea: a board member with no interests. Sam: a
    # sensitive interest in adult social care, no account. Mo: a trust trustee, for item 5.
    tom_user, ruth_user = BoardMemberUserFactory(first_name="Tom"), CouncillorUserFactory()
    bea_user = BoardMemberUserFactory(first_name="Bea")
    tom = MemberFactory(name="Cllr Tom Ashdown", user=tom_user)
    ruth = MemberFactory(name="Cllr Ruth Kemble", user=ruth_user)
    MemberFactory(name="Cllr Bea Linton", user=bea_user)
    sam = MemberFactory(name="Cllr Sam Orme")
    mo = MemberFactory(name="Cllr Mo Fayed", is_current=False)
    interests = {
        "tom": Interest.objects.create(
            member=tom,
            category=InterestCategory.EMPLOYMENT,
            description=ASHDOWN,
            provider=brightwater,
        ),
        "tom_land": Interest.objects.create(
            member=tom, category=InterestCategory.LAND, description="His home in Westbrook"
        ),
        "ruth": Interest.objects.create(
            member=ruth,
            category=InterestCategory.OTHER,
            description=KEMBLE,
            service_area=highways,
        ),
        "ruth_care": Interest.objects.create(
            member=ruth,
            category=InterestCategory.OTHER,
            description=KEMBLE_CARE,
            provider=brightwater,
        ),
        "sam": Interest.objects.create(
            member=sam,
            category=InterestCategory.EMPLOYMENT,
            description=SENSITIVE,
            is_sensitive=True,
            service_area=care,
        ),
        "mo": Interest.objects.create(
            member=mo,
            category=InterestCategory.OTHER,
            description="Trustee of Meadowbank",
            provider=meadowbank,
        ),
    }
    return {
        "meeting": meeting,
        "secret": secret,
        "home_care": home_care,
        "brightwater": brightwater,
        "meadowbank": meadowbank,
        "tom": tom_user,
        "ruth": ruth_user,
        "bea": bea_user,
        "interests": interests,
        "members": {"tom": tom, "ruth": ruth, "sam": sam, "mo": mo},
    }


# -- prompts on the meeting page ----------------------------------------------------------------


def test_a_member_sees_their_own_prompt_on_the_meeting_page_and_it_is_never_cached(board):
    response = signed_in(board["tom"]).get(board["meeting"].url)
    html = response.content.decode()
    assert BANNER in html
    assert ASHDOWN in html
    assert "item 3, Home care: one year on" in html
    assert 'href="#item-' in html
    assert "the paper concerns Brightwater Care Ltd" in html
    # Nobody else's interests, and no prompt for his interest that touches nothing.
    for other in (KEMBLE, KEMBLE_CARE, SENSITIVE, "Westbrook"):
        assert other not in html
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.usefixtures("page_cache")
def test_no_prompt_for_anonymous_visitors_nor_members_without_interests(board):
    for client in (Client(HTTP_HOST="localhost"), signed_in(board["bea"])):
        html = client.get(board["meeting"].url).content.decode()
        assert BANNER not in html
        for description in (ASHDOWN, KEMBLE, SENSITIVE):
            assert description not in html
    # The public copy kept by the page cache has no prompt either.
    assert BANNER not in Client(HTTP_HOST="localhost").get(board["meeting"].url).content.decode()
    # Tom's prompt is not stored for the next anonymous visitor.
    signed_in(board["tom"]).get(board["meeting"].url)
    assert ASHDOWN not in Client(HTTP_HOST="localhost").get(board["meeting"].url).content.decode()


def test_no_prompt_about_a_paper_the_member_may_not_open(board):
    """Ruth (a councillor) has an interest in highways, the service area of the board-only
    paper at item 4: she gets no prompt for it, nothing names it; her Brightwater interest on
    the public item 3 is prompted."""
    prompts = conflicts.prompts_for(board["ruth"], board["meeting"])
    assert [(p.number, p.interest.description) for p in prompts] == [("3", KEMBLE_CARE)]
    html = signed_in(board["ruth"]).get(board["meeting"].url).content.decode()
    assert KEMBLE_CARE in html
    assert KEMBLE not in html.replace(KEMBLE_CARE, "")
    assert SECRET_TITLE not in html
    assert "Highways" not in html


def test_a_board_member_is_prompted_on_a_board_paper_they_may_open(board):
    board["interests"]["tom_land"].service_area = board["secret"].service_area
    board["interests"]["tom_land"].save()
    prompts = conflicts.prompts_for(board["tom"], board["meeting"])
    assert [p.number for p in prompts] == ["3", "4"]
    assert prompts[1].paper.title == SECRET_TITLE


def test_prompts_follow_a_recommissioning_contract_and_a_contract_review(board):
    """A proposal touches the provider whose contract it recommissions; a provider's own page
    on the agenda (a contract review) touches that provider."""
    ContractFactory(provider=board["meadowbank"], recommissioning_proposal=board["home_care"])
    interest = board["interests"]["tom_land"]
    interest.provider = board["meadowbank"]
    interest.save()
    prompts = conflicts.prompts_for(board["tom"], board["meeting"])
    numbers = sorted((p.number, p.interest.pk) for p in prompts)
    assert ("3", interest.pk) in numbers and ("5", interest.pk) in numbers


def test_no_prompts_once_the_meeting_is_held_or_cancelled(board):
    meeting = board["meeting"]
    for status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        meeting.status = status
        meeting.save_revision().publish()
        assert BANNER not in signed_in(board["tom"]).get(meeting.url).content.decode()


def test_prompts_cost_the_same_queries_for_a_short_and_a_long_agenda(board):
    def count(call):
        call()  # the reader's groups are read once and kept on the user object
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)

    meeting = board["meeting"]
    short_prompts = count(lambda: conflicts.prompts_for(board["tom"], meeting))
    short_officer = count(lambda: conflicts.likely_declarations(meeting, board["tom"]))
    for n in range(6):
        extra = ProposalPageFactory(
            parent=board["home_care"].get_parent(), service_area=board["home_care"].service_area
        )
        extra.related_providers = [board["brightwater"]]
        extra.save()
        AgendaItemFactory(meeting=meeting, number=f"{10 + n}", proposal=extra, sort_order=10 + n)
    assert len(conflicts.prompts_for(board["tom"], meeting)) == 7
    assert count(lambda: conflicts.prompts_for(board["tom"], meeting)) == short_prompts
    assert count(lambda: conflicts.likely_declarations(meeting, board["tom"])) == short_officer


# -- officers' and the Chair's likely declarations ------------------------------------------------


def test_officers_and_the_chair_see_the_likely_declarations_by_item(board):
    url = reverse("papers_likely_declarations", args=[board["meeting"].pk])
    for user in (OfficerFactory(), ChairUserFactory()):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for name in ("Cllr Tom Ashdown", "Cllr Ruth Kemble", "Cllr Sam Orme"):
            assert name in html
        assert SENSITIVE in html  # officers keep the register: the detail is theirs to see
        assert SECRET_TITLE in html  # they may read the board paper
        assert "Cllr Mo Fayed" not in html  # no longer on the board
        assert "not prompted" in html  # Sam has no account
    matches = conflicts.likely_declarations(board["meeting"], OfficerFactory())
    assert [(m.number, m.interest.member.name) for m in matches] == [
        ("3", "Cllr Ruth Kemble"),
        ("3", "Cllr Sam Orme"),
        ("3", "Cllr Tom Ashdown"),
        ("4", "Cllr Ruth Kemble"),
    ]


def test_members_may_not_read_the_likely_declarations(board):
    url = reverse("papers_likely_declarations", args=[board["meeting"].pk])
    for user in (board["tom"], board["ruth"]):
        response = signed_in(user).get(url)
        assert response.status_code in (302, 403)
        assert SENSITIVE not in response.content.decode()


def test_the_meeting_edit_page_links_to_the_likely_declarations(board):
    response = signed_in(OfficerFactory()).get(
        reverse("wagtailadmin_pages:edit", args=[board["meeting"].pk])
    )
    assert reverse("papers_likely_declarations", args=[board["meeting"].pk]) in (
        response.content.decode()
    )


def test_officers_keep_the_register_in_the_admin(board):
    client = signed_in(OfficerFactory())
    assert client.get(reverse("interests:index")).status_code == 200
    response = client.post(
        reverse("interests:add"),
        {
            "member": board["members"]["tom"].pk,
            "category": InterestCategory.CONTRACTS,
            "description": "A contract to supply minibuses to the council",
            "registered_on": "2026-01-05",
            "provider": "",
            "service_area": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Interest.objects.filter(description__startswith="A contract to supply").exists()
    assert signed_in(board["tom"]).get(reverse("interests:index")).status_code in (302, 403)


# -- the public register --------------------------------------------------------------------------


def test_the_public_register_shows_member_category_description_and_withholds_sensitive(board):
    response = Client(HTTP_HOST="localhost").get("/members/interests/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cllr Tom Ashdown" in html and ASHDOWN in html
    assert "Employment, office, trade, profession or vocation" in html
    assert "Cllr Sam Orme" in html
    assert SENSITIVE not in html
    assert "Sensitive interest, withheld" in html
    assert "Cllr Mo Fayed" not in html  # former members are not listed
    # The links behind the prompts are not published.
    assert "Highways" not in html and "Meadowbank" not in html


@pytest.mark.usefixtures("page_cache")
def test_the_public_register_is_cached_and_refreshed_when_an_interest_changes(board):
    client = Client(HTTP_HOST="localhost")
    first = client.get("/members/interests/")
    assert "public" in cache_control(first)
    assert client.get("/members/interests/")["X-Page-Cache"] == "hit"
    interest = board["interests"]["tom"]
    interest.is_sensitive = True
    interest.save()
    html = client.get("/members/interests/").content.decode()
    assert ASHDOWN not in html


def test_the_register_costs_the_same_queries_for_few_and_many_members(board, client):
    def count():
        client.get("/members/interests/")  # the site and its settings are read once per process
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/members/interests/").status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        member = MemberFactory(name=f"Cllr Extra {n}")
        Interest.objects.create(member=member, category="land", description=f"House {n}")
    assert count() == few


# -- declarations in minutes ----------------------------------------------------------------------


def test_a_declaration_in_minutes_links_to_the_register(board):
    minutes = MinutesPageFactory(parent=board["meeting"], decisions=[])
    DeclarationFactory(
        minutes=minutes,
        member=board["members"]["tom"],
        item="Item 3: Home care",
        nature="Adviser to a provider. Not prejudicial.",
        interest=board["interests"]["tom"],
    )
    html = Client(HTTP_HOST="localhost").get(minutes.url).content.decode()
    assert f'/members/interests/#interest-{board["interests"]["tom"].pk}"' in html
    assert board["interests"]["tom"].declarations.count() == 1


def test_a_declaration_may_link_only_the_declaring_members_interest(board):
    minutes = MinutesPageFactory(parent=board["meeting"], decisions=[])
    declaration = Declaration(
        minutes=minutes,
        member=board["members"]["tom"],
        item="Item 3",
        nature="x",
        interest=board["interests"]["ruth"],
    )
    with pytest.raises(ValidationError) as error:
        declaration.full_clean()
    assert "Cllr Ruth Kemble" in str(error.value)


# -- the meeting reminder -------------------------------------------------------------------------


@pytest.fixture
def gated(board, settings):
    """Training before board papers on, and a board member (Gil) who has not done it, with an
    interest in the board-only paper's service area."""
    settings.BOARD_PAPERS = {**settings.BOARD_PAPERS, "REQUIRE_TRAINING_FOR_BOARD_PAPERS": True}
    module = TrainingModulePageFactory(
        parent=TrainingIndexPageFactory(),
        title="Exempt information",
        required_for_board_papers=True,
    )
    for user in (board["tom"], board["bea"]):
        TrainingCompletion.objects.create(
            user=user, module=module, completed_on=timezone.localdate()
        )
    gil_user = BoardMemberUserFactory(first_name="Gil")
    gil = MemberFactory(name="Cllr Gil Parry", user=gil_user)
    Interest.objects.create(
        member=gil,
        category="other",
        description="Chair of Fenwold bus users",
        service_area=board["secret"].service_area,
    )
    board["gil"] = gil_user
    return board


def reminder_to(user):
    found = [m for m in mail.outbox if m.to == [user.email]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    message = found[0]
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    return message, message.body, html


def test_the_reminder_carries_the_agenda_and_the_readers_own_prompts(gated):
    chair = ChairUserFactory(email="chair@example.gov.uk")
    officer = OfficerFactory()
    outcome = reminders.send_reminders()
    recipients = {user.pk for _, user, _ in outcome.sent}
    assert recipients == {gated["tom"].pk, gated["bea"].pk, gated["gil"].pk, chair.pk}
    assert gated["ruth"].pk not in recipients and officer.pk not in recipients

    message, text, html = reminder_to(gated["tom"])
    assert "Board meeting on" in message.subject
    for body in (text, html):
        assert ASHDOWN in body and "item 3, Home care: one year on" in body
        assert "Transport: contract award" in body  # the exempt item's public title
        assert SECRET_TITLE not in body  # never named, even to those who may read it
        assert gated["secret"].get_full_url() in body  # but linked for a board member
        assert gated["meeting"].get_full_url() in body
        for other in (KEMBLE, KEMBLE_CARE, SENSITIVE, "Fenwold"):
            assert other not in body
    assert '<html lang="en">' in html

    # Gil may not open board papers yet: no link to the paper, no prompt about it.
    _, text, html = reminder_to(gated["gil"])
    for body in (text, html):
        assert "Transport: contract award" in body
        assert gated["secret"].get_full_url() not in body
        assert SECRET_TITLE not in body and "Fenwold" not in body
    assert "YOUR INTERESTS" not in text and BANNER not in html

    _, text, html = reminder_to(gated["bea"])
    assert "YOUR INTERESTS" not in text and BANNER not in html
    assert MeetingReminder.objects.get(user=gated["tom"]).prompts == 1


def test_a_second_run_sends_nothing_twice(board):
    call_command("send_meeting_reminders", stdout=StringIO())
    sent = len(mail.outbox)
    assert sent == 2  # Tom and Bea, the two board members
    assert MeetingReminder.objects.count() == 2
    out = StringIO()
    call_command("send_meeting_reminders", stdout=out)
    assert len(mail.outbox) == sent
    assert "Sent 0, already sent before 2, failed 0." in out.getvalue()
    # A new board member joins: only they are sent the reminder on the next run.
    newcomer = BoardMemberUserFactory()
    reminders.send_reminders()
    assert [m.to for m in mail.outbox[sent:]] == [[newcomer.email]]


def test_a_failed_send_leaves_no_record_so_the_next_run_tries_again(board, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("mail server unavailable")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    outcome = reminders.send_reminders()
    assert len(outcome.failed) == 2 and not outcome.sent
    assert not MeetingReminder.objects.exists()
    monkeypatch.undo()
    assert len(reminders.send_reminders().sent) == 2


def test_reminders_only_for_meetings_in_the_window(board):
    today = timezone.localdate()
    assert not reminders.send_reminders(days=2).sent
    assert not reminders.send_reminders(today=today + datetime.timedelta(days=6)).sent
    assert reminders.send_reminders(today=today, days=5).sent


def test_the_command_refuses_bad_input():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_meeting_reminders", today="next tuesday")
    with pytest.raises(CommandError, match="between 0 and 366"):
        call_command("send_meeting_reminders", days=-1)


def test_reminder_recipients_need_an_email_address(board):
    board["bea"].email = ""
    board["bea"].save()
    assert {u.pk for u in reminders.recipients()} == {board["tom"].pk}
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")
