"""The home page and standard pages: placement, the admin form, and what a visitor sees."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from home.models import HomePage, StandardPage
from papers.models import (
    MeetingIndexPage,
    ProposalIndexPage,
    ProviderIndexPage,
    TrainingIndexPage,
)
from papers.models.choices import BoardRole, Outcome
from tests import factories as f
from tests.admin_forms import (
    assert_add_refused,
    assert_refused,
    assert_saved,
    board_page_data,
    edit_url,
    post_add,
    post_edit,
    revision_count,
)

pytestmark = pytest.mark.django_db


def standard_data(title="Terms of reference", **fields):
    data = board_page_data(
        title,
        slug="terms-of-reference",
        reference="",
        summary="What the board is for and how it works.",
        show_members="on",
    )
    data.update(fields)
    return data


# -- where pages may be created ---------------------------------------------------------------


def test_there_is_one_home_page_serving_the_site():
    home = HomePage.objects.get()
    assert home.get_parent().is_root()
    assert home.get_site().is_default_site
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_home_allows_the_sections_and_standard_pages():
    home = f.home_page()
    assert set(home.allowed_subpage_models()) == {
        StandardPage,
        MeetingIndexPage,
        ProposalIndexPage,
        ProviderIndexPage,
        TrainingIndexPage,
    }


def test_standard_pages_under_home_or_another_standard_page_only():
    home = f.home_page()
    about = f.StandardPageFactory(parent=home)
    assert StandardPage.can_create_at(home)
    assert StandardPage.can_create_at(about)
    for wrong in (
        f.MeetingIndexPageFactory(),
        f.ProposalPageFactory(),
        f.TrainingModulePageFactory(),
        Page.get_first_root_node(),
    ):
        assert not StandardPage.can_create_at(wrong), type(wrong).__name__


def test_admin_refuses_a_second_home_page(admin_client):
    assert_add_refused(admin_client, HomePage, Page.get_first_root_node())
    assert HomePage.objects.count() == 1


def test_admin_refuses_a_standard_page_in_a_section(admin_client):
    for parent in (f.MeetingIndexPageFactory(), f.ProposalPageFactory()):
        assert_add_refused(admin_client, StandardPage, parent, standard_data())


def test_admin_creates_a_standard_page_under_home(admin_client):
    home = f.home_page()
    response = post_add(admin_client, StandardPage, home, standard_data(), publish=True)
    assert_saved(response)
    page = StandardPage.objects.child_of(home).get()
    assert page.live and page.show_members and page.url == "/terms-of-reference/"


# -- the edit forms ---------------------------------------------------------------------------


def test_edit_form_accepts_a_valid_standard_page(admin_client):
    page = f.StandardPageFactory(slug="terms-of-reference")
    before = revision_count(page)
    response = post_edit(
        admin_client, page, standard_data(summary="The board's terms of reference."), publish=True
    )
    assert_saved(response)
    page.refresh_from_db()
    assert page.summary == "The board's terms of reference."
    assert revision_count(page) == before + 1


def test_edit_form_refuses_a_board_only_standard_page_without_a_paragraph(admin_client):
    page = f.StandardPageFactory(slug="terms-of-reference")
    before = revision_count(page)
    response = post_edit(admin_client, page, standard_data(audience="board", exempt_paragraph=""))
    assert_refused(
        response,
        page,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )


def test_edit_form_refuses_a_page_without_a_title(admin_client):
    page = f.StandardPageFactory(slug="terms-of-reference")
    before = revision_count(page)
    response = post_edit(admin_client, page, standard_data(title=""), publish=True)
    assert_refused(response, page, before, "This field is required.")


def test_home_page_edit_form_opens(admin_client):
    response = admin_client.get(edit_url(f.home_page()))
    assert response.status_code == 200


def test_standard_page_edit_form_has_tabs_and_help(admin_client):
    page = f.StandardPageFactory()
    html = admin_client.get(edit_url(page)).content.decode()
    for tab in ("Content", "Attachments", "Confidentiality", "Promote"):
        assert tab in html
    assert "List the current members of the board on this page." in html
    assert '<select name="audience"' in html


# -- what a visitor sees ----------------------------------------------------------------------


def test_home_page_shows_upcoming_meetings_latest_minutes_decisions_and_search(client):
    now = timezone.now()
    upcoming = f.MeetingPageFactory(
        title="Next board meeting", slug="next", start=now + datetime.timedelta(days=14), agenda=[]
    )
    held = f.MeetingPageFactory(
        title="Last board meeting", slug="last", start=now - datetime.timedelta(days=30), agenda=[]
    )
    minutes = f.MinutesPageFactory(
        parent=held,
        paper_date=(now - datetime.timedelta(days=30)).date(),
        decisions=[
            {
                "reference": "CAB/25/031",
                "title": "Advice on the recommissioning of home care",
                "outcome": Outcome.AGREED,
            }
        ],
    )

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert upcoming.url in html
    assert held.url not in [m.url for m in response.context["upcoming_meetings"]]
    assert minutes.url in html
    assert "Advice on the recommissioning of home care" in html
    assert 'action="/search/"' in html
    assert 'name="q"' in html


def test_home_page_leaves_out_drafts(client):
    f.MeetingPageFactory(
        title="Unannounced meeting",
        slug="draft",
        start=timezone.now() + datetime.timedelta(days=7),
        live=False,
        agenda=[],
    )
    html = client.get("/").content.decode()
    assert "Unannounced meeting" not in html


def test_standard_page_shows_its_content_and_the_membership(client):
    f.MemberFactory(
        name="Cllr Margaret Thornbury", political_group="Conservative", board_role=BoardRole.CHAIR
    )
    f.MemberFactory(name="Cllr Dev Kapoor", political_group="Labour")
    f.MemberFactory(name="Cllr Former Member", is_current=False)
    page = f.StandardPageFactory(title="About the board", show_members=True)

    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "About the board" in html
    assert "cross-party advisory board" in html
    assert "Cllr Margaret Thornbury" in html and "Conservative" in html
    assert "Cllr Dev Kapoor" in html and "Labour" in html
    assert "Membership of the board" in html
    chair_row = html[html.index("Cllr Margaret Thornbury") :]
    assert chair_row.index("Chair") < chair_row.index("</tr>")
    assert "Cllr Former Member" not in html


def test_standard_page_without_membership_does_not_list_members(client):
    f.MemberFactory(name="Cllr Dev Kapoor")
    page = f.StandardPageFactory(title="Accessibility statement", show_members=False)
    html = client.get(page.url).content.decode()
    assert "Cllr Dev Kapoor" not in html


def test_every_page_type_and_section_renders(client):
    pages = [
        f.MeetingPageFactory(agenda=[]),
        f.ProposalPageFactory(),
        f.ProviderProfilePageFactory(),
        f.TrainingModulePageFactory(),
        f.StandardPageFactory(),
    ]
    pages.append(f.MinutesPageFactory(parent=pages[0]))
    for page in pages + [p.get_parent() for p in pages[:4]]:
        assert client.get(page.url).status_code == 200, page.url
