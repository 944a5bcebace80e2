"""What a visitor sees on each page type: the site's templates rendered with realistic content.

Pages are built directly with the models (``parent.add_child``) so these tests depend only on
the page types and the templates.
"""

import datetime
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import HomePage, StandardPage
from papers.models import (
    AgendaItem,
    CabinetCommittee,
    Contract,
    ContractReview,
    Decision,
    Declaration,
    MeetingAttendance,
    MeetingIndexPage,
    MeetingPage,
    Member,
    MinuteItem,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
    ProviderIndexPage,
    ProviderProfilePage,
    ServiceArea,
    TrainingIndexPage,
    TrainingModulePage,
)
from papers.models.choices import (
    AttendanceStatus,
    Audience,
    BoardRole,
    MeetingStatus,
    Outcome,
    ProposalStatus,
    RagRating,
    RouteToMarket,
    Sector,
    Stage,
)
from tests.module_data import kept_for_the_module, reread

pytestmark = pytest.mark.django_db

CONFIDENTIAL_TITLE = "Total facilities management: Brightwell Services pricing dispute"
PUBLIC_NOTICE_TITLE = "Facilities management contract: commercial matters"
BOARD_GROUP = "Board members"


def rich(*paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def add(parent, page):
    """Add a live page (no revision history: rendering needs none, and it keeps tests fast)."""
    parent.add_child(instance=page)
    page.refresh_from_db()
    return page


def ensure_board_only(page):
    """Board-only papers carry a group view restriction (papers.confidentiality adds it on save;
    added here too so these tests do not depend on that module's wiring)."""
    group, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    if not PageViewRestriction.objects.filter(page=page).exists():
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(group)


def build_site():
    """A small board site: sections, a meeting with an exempt item, minutes, proposals,
    a provider and a training module."""
    home = HomePage.objects.get()
    home.intro = rich("The cross-party board that advises Cabinet Committees.")
    home.save()
    site = {"home": home}

    chair = Member.objects.create(
        name="Cllr Hannah Ashdown", political_group="Independent", board_role=BoardRole.CHAIR
    )
    vice = Member.objects.create(
        name="Cllr Tomas Reyes", political_group="Labour", board_role=BoardRole.VICE_CHAIR
    )
    member = Member.objects.create(
        name="Cllr Priya Okafor", political_group="Liberal Democrat", board_role=BoardRole.MEMBER
    )
    committee = CabinetCommittee.objects.create(
        name="Adult Social Care Cabinet Committee", slug="adult-social-care"
    )
    area = ServiceArea.objects.create(name="Adult social care", slug="adult-social-care")

    site["about"] = add(
        home,
        StandardPage(
            title="About the board",
            slug="about",
            summary="What the board is for and who sits on it.",
            show_members=True,
        ),
    )
    site["accessibility"] = add(
        home,
        StandardPage(
            title="Accessibility statement",
            slug="accessibility",
            summary="How accessible this website is.",
            show_in_menus=False,
        ),
    )
    meetings = site["meetings"] = add(home, MeetingIndexPage(title="Meetings", slug="meetings"))
    proposals = site["proposals"] = add(
        home, ProposalIndexPage(title="Commissioning proposals", slug="proposals")
    )
    providers = site["providers"] = add(
        home, ProviderIndexPage(title="Providers", slug="providers")
    )
    training = site["training"] = add(
        home, TrainingIndexPage(title="Member training", slug="training")
    )

    provider = site["provider"] = ProviderProfilePage(
        title="Brightwell Services Ltd",
        slug="brightwell-services",
        sector=Sector.LARGE_PRIVATE,
        services="Total facilities management for County Hall and 40 other buildings.",
        performance_contact="Jo Marsh, Contract Manager",
        performance_contact_email="jo.marsh@example.gov.uk",
        summary="Facilities management across the council's estate.",
    )
    provider.contracts.add(
        Contract(
            title="Total facilities management",
            contract_reference="FM-2024-01",
            annual_value=Decimal("4200000"),
            start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2029, 3, 31),
            owner="Head of Property",
            rag_rating=RagRating.AMBER,
            kpis="Reactive repairs within 24 hours: 95%\nPlanned maintenance on time: 98%",
        )
    )
    provider.reviews.add(
        ContractReview(
            contract="Total facilities management",
            title="Six-month review",
            date=datetime.date(2024, 10, 15),
            outcome="Repairs backlog reduced; improvement plan agreed for cleaning standards.",
            rag_rating=RagRating.AMBER,
            next_review=datetime.date(2025, 4, 15),
        )
    )
    add(providers, provider)

    home_care = site["proposal"] = ProposalPage(
        title="Recommission home care",
        slug="recommission-home-care",
        reference="CAB/2025/014",
        paper_date=datetime.date(2025, 3, 1),
        summary="Options for recommissioning home care when the current contracts end.",
        key_decision_reference="25/00012",
        decision_maker="Cabinet Member for Adult Social Care",
        cabinet_committee=committee,
        service_area=area,
        stage=Stage.PLAN,
        programme="Transformation programme, phase 2",
        status=ProposalStatus.ADVICE_GIVEN,
        price_weighting=40,
        quality_weighting=50,
        social_value_weighting=10,
        social_value_commitments=rich("Apprenticeships for local people."),
        route_to_market=RouteToMarket.OPEN,
        estimated_value=Decimal("48000000"),
        recommendation=rich("Re-tender in three geographic lots."),
        board_advice=rich("The board supports three lots and asks for a local SME lot."),
        cabinet_response=rich("The Cabinet Committee endorsed the advice."),
        options_appraisal=[
            (
                "option",
                {
                    "name": "Option 1: extend current contracts",
                    "description": rich("A two-year extension."),
                    "advantages": "No disruption",
                    "disadvantages": "No improvement in quality",
                    "estimated_cost": "£9.8m a year",
                    "recommended": False,
                },
            ),
            (
                "option",
                {
                    "name": "Option 2: re-tender in three lots",
                    "description": rich("Lots by district."),
                    "advantages": "Opens the market to local providers",
                    "disadvantages": "Transition risk",
                    "estimated_cost": "£9.6m a year",
                    "recommended": True,
                },
            ),
        ],
    )
    add(proposals, home_care)
    home_care.related_providers.add(provider)
    home_care.save()

    secret = site["secret"] = ProposalPage(
        title=CONFIDENTIAL_TITLE,
        slug="fm-pricing",
        summary="Commercially confidential pricing proposals.",
        audience=Audience.BOARD,
        exempt_paragraph="3",
        stage=Stage.REVIEW,
    )
    add(proposals, secret)
    ensure_board_only(secret)

    meeting = site["meeting"] = MeetingPage(
        title="12 March 2025",
        slug="2025-03-12",
        start=timezone.make_aware(datetime.datetime(2025, 3, 12, 10, 0)),
        end=timezone.make_aware(datetime.datetime(2025, 3, 12, 12, 30)),
        venue="Council Chamber, County Hall",
        status=MeetingStatus.HELD,
        webcast_url="https://webcasts.example.gov.uk/cab-2025-03-12",
    )
    meeting.agenda_items.add(
        AgendaItem(number="3", public_title="Recommissioning home care", proposal=home_care)
    )
    meeting.agenda_items.add(
        AgendaItem(
            number="4",
            public_title=PUBLIC_NOTICE_TITLE,
            proposal=secret,
            is_exempt=True,
            exempt_paragraph="3",
        )
    )
    # An officer's slip: a confidential paper on a non-exempt item must still not be named.
    meeting.agenda_items.add(
        AgendaItem(number="5", public_title="Any other business", proposal=secret)
    )
    meeting.attendance.add(MeetingAttendance(member=chair, status=AttendanceStatus.PRESENT))
    meeting.attendance.add(MeetingAttendance(member=vice, status=AttendanceStatus.PRESENT))
    meeting.attendance.add(MeetingAttendance(member=member, status=AttendanceStatus.APOLOGIES))
    add(meetings, meeting)

    upcoming = site["upcoming"] = MeetingPage(
        title="Next board meeting",
        slug="next",
        start=timezone.now() + datetime.timedelta(days=20),
        venue="Committee Room 2, County Hall",
    )
    add(meetings, upcoming)

    minutes = site["minutes"] = MinutesPage(
        title="Minutes of 12 March 2025",
        slug="minutes",
        paper_date=datetime.date(2025, 3, 12),
        signed_on=datetime.date(2025, 4, 16),
    )
    minutes.minute_items.add(
        MinuteItem(number="12/25", title="Recommissioning home care", text=rich("Discussed."))
    )
    minutes.minute_items.add(
        MinuteItem(
            number="13/25",
            title=PUBLIC_NOTICE_TITLE,
            text=rich("Brightwell asked for a 12% uplift."),
            is_exempt=True,
            exempt_paragraph="3",
        )
    )
    minutes.decisions.add(
        Decision(
            reference="CAB/25/031",
            title="Recommissioning home care: the board's advice",
            resolution=rich("The board advises re-tendering in three lots."),
            outcome=Outcome.AGREED,
            proposal=home_care,
            key_decision_reference="25/00012",
            cabinet_committee=committee,
        )
    )
    minutes.decisions.add(
        Decision(
            reference="CAB/25/032",
            title="Facilities management: commercial position",
            resolution=rich("Noted."),
            outcome=Outcome.NOTED,
            proposal=secret,
        )
    )
    minutes.declarations.add(
        Declaration(
            member=vice, item="Item 3", nature="His partner works for a home care provider."
        )
    )
    add(meeting, minutes)

    site["module"] = add(
        training,
        TrainingModulePage(
            title="The commissioning cycle",
            slug="commissioning-cycle",
            stage=Stage.ANALYSE,
            duration_minutes=90,
            summary="Analyse, plan, do and review.",
            learning_outcomes=[("outcome", "Describe the four stages of the cycle")],
        ),
    )
    return site


@pytest.fixture(scope="module")
def shared_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site, built once for the module's tests (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker, tmp_path_factory):
        yield build_site()


@pytest.fixture
def site(db, shared_site):
    return reread(shared_site)


@pytest.fixture
def board_member(client):
    user = get_user_model().objects.create_user("member", password="changeme-please-2")
    user.groups.add(Group.objects.get_or_create(name=BOARD_GROUP)[0])
    return user


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.content.decode()


def text_of(html):
    """The visible text, tags stripped and white space collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def headings(html):
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


PAGE_KEYS = [
    "home",
    "about",
    "meetings",
    "meeting",
    "minutes",
    "proposals",
    "proposal",
    "providers",
    "provider",
    "training",
    "module",
]


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_has_the_site_furniture(client, site, key):
    html = html_of(client, site[key])
    assert '<html lang="en-GB"' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert html.count('id="main-content"') == 1
    assert html.count("<main") == 1 and "<header" in html and "<footer" in html
    assert len(re.findall(r"<h1\b", html)) == 1
    levels = headings(html)
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (
        f"heading levels skip: {levels}"
    )
    assert 'href="/accessibility/"' in html
    assert 'action="/search/"' in html and 'name="q"' in html
    # The council's branding, served by the site itself: no CDN, no GOV.UK crown.
    assert "vendor/css/site.css" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html.split("<main")[0])
    assert "govuk-header__logotype" not in html and "crown" not in html.lower()


def test_section_navigation_lists_sections_the_visitor_may_see(client, site):
    html = html_of(client, site["home"])
    nav = html.split('aria-label="Sections"')[1].split("</nav>")[0]
    for label, href in [
        ("About the board", "/about/"),
        ("Meetings", "/meetings/"),
        ("Commissioning proposals", "/proposals/"),
        ("Providers", "/providers/"),
        ("Member training", "/training/"),
        ("Decisions", "/decisions/"),
        ("Search", "/search/"),
    ]:
        assert f'href="{href}"' in nav and label in nav
    assert "Accessibility statement" not in nav  # linked from the footer instead


def test_current_section_is_marked_in_the_navigation(client, site):
    html = html_of(client, site["meeting"])
    nav = html.split('aria-label="Sections"')[1].split("</nav>")[0]
    assert re.search(r'href="/meetings/"\s+aria-current="true"', nav)


def test_signed_out_visitor_gets_a_sign_in_link_and_signed_in_a_post_sign_out(
    client, site, board_member
):
    html = html_of(client, site["home"])
    assert 'href="/login/' in html and "Sign out" not in html
    client.force_login(board_member)
    html = html_of(client, site["home"])
    form = re.search(r'<form action="/logout/" method="post".*?</form>', html, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(0) and "Sign out" in form.group(0)


def test_home_page_shows_upcoming_meetings_minutes_decisions_and_search(client, site):
    html = html_of(client, site["home"])
    text = text_of(html)
    assert "Upcoming meetings" in text and "Next board meeting" in text
    assert "Latest minutes" in text and "Minutes of 12 March 2025" in text
    assert "Latest decisions" in text and "Recommissioning home care: the board's advice" in text
    decision = Decision.objects.get(reference="CAB/25/031")
    assert f'href="{site["minutes"].url}#decision-{decision.pk}"' in html
    assert '<label class="govuk-label govuk-label--m" for="home-search">' in html


def test_home_page_hides_decisions_in_minutes_the_visitor_may_not_see(client, site):
    ensure_board_only(site["minutes"])
    text = text_of(html_of(client, site["home"]))
    assert "Recommissioning home care: the board's advice" not in text
    assert "No decisions have been published yet." in text


def test_meeting_page_exempt_item_shows_only_its_public_title(client, site):
    html = html_of(client, site["meeting"])
    text = text_of(html)
    assert "Wednesday 12 March 2025 at 10am to 12:30pm" in text
    assert "Council Chamber, County Hall" in text
    assert PUBLIC_NOTICE_TITLE in text
    assert "Exempt item, Schedule 12A paragraph 3" in text
    assert CONFIDENTIAL_TITLE not in html
    assert site["secret"].url not in html
    # The public paper on item 3 is linked by its title.
    assert f'href="{site["proposal"].url}"' in html
    assert "Read the paper: Recommission home care" in text


def test_meeting_page_links_minutes_attendance_and_webcast(client, site):
    html = html_of(client, site["meeting"])
    text = text_of(html)
    assert f'href="{site["minutes"].url}"' in html and "Read the minutes of this meeting" in text
    assert "Cllr Priya Okafor" in text and "Apologies" in text
    assert 'href="https://webcasts.example.gov.uk/cab-2025-03-12"' in html


def test_board_member_sees_a_link_to_the_exempt_paper_without_its_title_on_the_agenda(
    client, site, board_member
):
    client.force_login(board_member)
    html = html_of(client, site["meeting"])
    agenda = html.split('class="app-agenda"')[1].split("</ol>")[0]
    assert f'href="{site["secret"].url}"' in agenda
    assert "Read the confidential paper for item 4" in agenda


def test_cancelled_meeting_says_so(client, site):
    meeting = site["upcoming"]
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_note = "Cancelled: not quorate."
    meeting.save()
    text = text_of(html_of(client, meeting))
    assert "This meeting has been cancelled." in text and "not quorate" in text


def test_minutes_show_decisions_with_anchors_and_hide_exempt_minutes(client, site):
    html = html_of(client, site["minutes"])
    text = text_of(html)
    for decision in Decision.objects.filter(minutes=site["minutes"]):
        assert f'id="decision-{decision.pk}"' in html
    assert "CAB/25/031" in text and "Agreed" in text and "25/00012" in text
    assert "Adult Social Care Cabinet Committee" in text
    assert f'href="{site["proposal"].url}"' in html
    # The exempt minute: its notice and the standard sentence (it has no public summary),
    # never its title or text; the hidden paper is not linked.
    assert "13/25 Exempt item" in text
    assert "Exempt item, Schedule 12A paragraph 3" in text
    assert "The minute of this item is not published." in text
    assert "12% uplift" not in html
    assert site["secret"].url not in html
    assert "Signed by the Chair as a correct record on 16 April 2025" in text
    assert "His partner works for a home care provider." in text


def test_proposal_page_shows_the_decision_fields_and_social_value(client, site):
    html = html_of(client, site["proposal"])
    text = text_of(html)
    for expected in [
        "Key Decision reference 25/00012",
        "Cabinet Member for Adult Social Care",
        "Adult Social Care Cabinet Committee",
        "Transformation programme, phase 2",
        "Advice given",
        "Stage: Plan",
        "Open procedure",
        "£48,000,000",
        "Option 2: re-tender in three lots",
        "Recommended option",
        "Price 40%",
        "Quality 50%",
        "Social value 10%",
        "Re-tender in three geographic lots.",
        "The board supports three lots",
        "The Cabinet Committee endorsed the advice.",
        "Brightwell Services Ltd",
    ]:
        assert expected in text, expected
    assert "Recommissioning home care: the board's advice" in text


def test_board_only_paper_has_a_confidential_banner_for_board_members(client, site, board_member):
    client.force_login(board_member)
    html = html_of(client, site["secret"])
    assert "Confidential: exempt under Schedule 12A paragraph 3" in text_of(html)
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_board_only_paper_is_not_served_to_the_public(client, site):
    response = client.get(site["secret"].url)
    assert response.status_code in (302, 403, 404)
    assert CONFIDENTIAL_TITLE not in response.content.decode()


def test_members_only_page_has_a_members_banner(client, site, board_member):
    about = site["about"]
    about.audience = Audience.MEMBERS
    about.save()
    client.force_login(board_member)
    text = text_of(html_of(client, about))
    assert "Members only" in text


def test_minutes_under_a_board_only_meeting_carry_the_confidential_banner(
    client, site, board_member
):
    ensure_board_only(site["meeting"])
    client.force_login(board_member)
    text = text_of(html_of(client, site["minutes"]))
    assert "Confidential: exempt under Schedule 12A" in text


def test_breadcrumbs_list_only_what_the_visitor_may_see(client, site, board_member):
    html = html_of(client, site["minutes"])
    crumbs = html.split('class="govuk-breadcrumbs"')[1].split("</nav>")[0]
    assert [text_of(c) for c in re.findall(r"<li.*?</li>", crumbs, re.S)] == [
        "Home",
        "Meetings",
        "12 March 2025",
    ]
    # Once the meeting is board-only, its minutes are too and nobody outside sees either.
    ensure_board_only(site["meeting"])
    client.force_login(board_member)
    html = html_of(client, site["minutes"])
    assert site["meeting"].url in html.split('class="govuk-breadcrumbs"')[1].split("</nav>")[0]


def test_standard_page_lists_the_membership(client, site):
    text = text_of(html_of(client, site["about"]))
    assert "Membership of the board" in text
    assert "Cllr Hannah Ashdown Independent Chair" in text
    assert "Cllr Tomas Reyes Labour Vice-Chair" in text
    # Listed by role (Chair, Vice-Chair, members), not alphabetically.
    assert text.index("Hannah Ashdown") < text.index("Tomas Reyes") < text.index("Priya Okafor")


def test_provider_page_shows_contracts_kpis_and_reviews(client, site):
    text = text_of(html_of(client, site["provider"]))
    for expected in [
        "Large private company",
        "Jo Marsh, Contract Manager",
        "Total facilities management FM-2024-01 £4,200,000 1 April 2024 to 31 March 2029",
        "Amber",
        "Reactive repairs within 24 hours: 95%",
        "Six-month review",
        "15 April 2025",
        "Recommission home care",
    ]:
        assert expected in text, expected


def test_training_module_page(client, site):
    text = text_of(html_of(client, site["module"]))
    assert "About 1 hour 30 minutes" in text
    assert "Describe the four stages of the cycle" in text


def test_index_pages_list_children_and_hide_confidential_ones(client, site):
    text = text_of(html_of(client, site["proposals"]))
    assert "Recommission home care" in text
    assert CONFIDENTIAL_TITLE not in text
    assert "Brightwell Services Ltd" in text_of(html_of(client, site["providers"]))
    assert "The commissioning cycle" in text_of(html_of(client, site["training"]))
    meetings = text_of(html_of(client, site["meetings"]))
    assert meetings.index("Next board meeting") < meetings.index("12 March 2025")


def test_empty_index_page_says_so(client, site):
    index = site["providers"]
    for provider in index.get_children():
        provider.delete()
    assert "No providers yet." in text_of(html_of(client, index))


def test_index_pages_paginate_newest_first(client, site):
    proposals = site["proposals"]
    for number in range(25):
        add(
            proposals,
            ProposalPage(
                title=f"Historical proposal {number:02d}",
                slug=f"historical-{number:02d}",
                paper_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
            ),
        )
    first = html_of(client, proposals)
    assert 'class="govuk-pagination"' in first
    assert 'href="?page=2"' in first and 'rel="next"' in first
    text = text_of(first)
    assert text.index("Recommission home care") < text.index("Historical proposal 24")
    assert text.index("Historical proposal 24") < text.index("Historical proposal 23")
    second = client.get(proposals.url, {"page": 2}).content.decode()
    assert 'aria-current="page">2<' in second and 'rel="prev"' in second
    assert "Historical proposal 00" in text_of(second)
    # Any junk page number still answers with a page of results.
    assert client.get(proposals.url, {"page": "9999"}).status_code == 200
    assert client.get(proposals.url, {"page": "<script>"}).status_code == 200


def test_not_found_page_is_the_site_page(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'id="main-content"' in html


def test_server_error_page_needs_no_database():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert 'lang="en-GB"' in html


def test_permission_denied_page_reveals_no_title(rf, site, board_member):
    from django.template.loader import render_to_string

    request = rf.get(site["secret"].url)
    request.user = get_user_model().objects.create_user("councillor", password="x-long-pass-1")
    html = render_to_string("403.html", {"page": site["secret"]}, request=request)
    assert "You do not have access to this page" in html
    assert CONFIDENTIAL_TITLE not in html and "Commercially confidential" not in html


def test_compiled_stylesheet_has_the_councils_branding_not_govuks():
    css_path = Path(__file__).resolve().parents[2] / "static" / "vendor" / "css" / "site.css"
    if not css_path.exists():
        pytest.skip("run `npm ci && npm run build` (make assets) to compile the styles")
    css = css_path.read_text()
    assert "GDS Transport" not in css and "@font-face" not in css and ".woff" not in css
    assert "url(" not in css
    assert "#005c55" in css  # the council's brand colour
    assert "@media print" in css and ".app-audience-banner" in css


def test_print_styles_keep_the_confidentiality_banner():
    scss = (Path(__file__).resolve().parents[2] / "frontend" / "scss" / "_print.scss").read_text()
    hidden = scss.split("display: none !important")[0]
    assert ".app-audience-banner" not in hidden
    assert ".app-audience-banner" in scss
