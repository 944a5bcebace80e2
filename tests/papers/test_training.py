"""Training modules: placement, the admin form, and what a member sees."""

import pytest

from papers.models import TrainingIndexPage, TrainingModulePage
from papers.models.choices import Stage
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
    streamfield,
)

pytestmark = pytest.mark.django_db


def module_data(title="The commissioning cycle", **fields):
    data = board_page_data(
        title,
        slug="the-commissioning-cycle",
        stage=Stage.ANALYSE,
        duration_minutes="45",
        learning_outcomes=streamfield(
            [
                ("outcome", "Name the four stages of the commissioning cycle"),
                ("outcome", "Explain where the board adds value"),
            ]
        ),
    )
    data.update(fields)
    return data


def test_training_section_only_under_home_and_only_one():
    home = f.home_page()
    assert TrainingIndexPage.can_create_at(home)
    assert not TrainingIndexPage.can_create_at(f.ProviderIndexPageFactory())
    f.TrainingIndexPageFactory()
    assert not TrainingIndexPage.can_create_at(home)


def test_modules_only_in_the_training_section():
    index = f.TrainingIndexPageFactory()
    module = f.TrainingModulePageFactory(parent=index)
    assert TrainingModulePage.can_create_at(index)
    for wrong in (f.home_page(), f.ProposalIndexPageFactory(), module, f.StandardPageFactory()):
        assert not TrainingModulePage.can_create_at(wrong), type(wrong).__name__
    assert index.allowed_subpage_models() == [TrainingModulePage]
    assert module.allowed_subpage_models() == []


def test_admin_refuses_a_module_in_the_wrong_place(admin_client):
    f.TrainingIndexPageFactory()
    for parent in (f.home_page(), f.MeetingIndexPageFactory()):
        assert_add_refused(admin_client, TrainingModulePage, parent, module_data())


def test_admin_refuses_a_second_training_section(admin_client):
    f.TrainingIndexPageFactory()
    assert_add_refused(admin_client, TrainingIndexPage, f.home_page())


def test_admin_creates_a_module(admin_client):
    index = f.TrainingIndexPageFactory()
    response = post_add(admin_client, TrainingModulePage, index, module_data(), publish=True)
    assert_saved(response)
    module = TrainingModulePage.objects.child_of(index).get()
    assert module.live and module.duration_minutes == 45
    assert [block.value for block in module.learning_outcomes] == [
        "Name the four stages of the commissioning cycle",
        "Explain where the board adds value",
    ]


@pytest.fixture
def module():
    return f.TrainingModulePageFactory(slug="the-commissioning-cycle")


def test_edit_form_accepts_a_valid_module(admin_client, module):
    before = revision_count(module)
    response = post_edit(
        admin_client, module, module_data(stage=Stage.REVIEW, duration_minutes="90"), publish=True
    )
    assert_saved(response)
    module.refresh_from_db()
    assert (module.stage, module.duration_minutes) == (Stage.REVIEW, 90)
    assert revision_count(module) == before + 1


@pytest.mark.parametrize(
    ("duration", "message"),
    [("", "This field is required."), ("-10", "greater than or equal to 0"), ("0", "")],
    ids=["missing", "negative", "zero"],
)
def test_edit_form_refuses_a_module_without_a_sensible_duration(
    admin_client, module, duration, message
):
    before = revision_count(module)
    response = post_edit(admin_client, module, module_data(duration_minutes=duration))
    assert_refused(response, module, before, message or "at least 1 minute")


def test_edit_form_refuses_a_board_only_module_without_a_paragraph(admin_client, module):
    before = revision_count(module)
    response = post_edit(admin_client, module, module_data(audience="board", exempt_paragraph=""))
    assert_refused(
        response,
        module,
        before,
        "Choose the Schedule 12A paragraph that makes a board-only paper exempt.",
    )


def test_edit_form_is_laid_out_for_an_officer(admin_client, module):
    html = admin_client.get(edit_url(module)).content.decode()
    assert '<select name="stage"' in html
    assert "How long the module takes, in minutes." in html
    assert "Confidentiality" in html


def test_module_page_shows_stage_duration_and_outcomes(client):
    module = f.TrainingModulePageFactory(
        title="Social value in procurement", stage=Stage.PLAN, duration_minutes=45
    )
    response = client.get(module.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Social value in procurement" in html
    assert "Plan" in html
    assert "45 minutes" in html
    assert "Name the four stages of the commissioning cycle" in html
    assert "Explain where the board adds value" in html


def test_training_index_lists_modules(client):
    first = f.TrainingModulePageFactory(title="The commissioning cycle")
    second = f.TrainingModulePageFactory(title="Reading a contract performance report")
    response = client.get(first.get_parent().url)
    assert response.status_code == 200
    html = response.content.decode()
    assert first.url in html and second.url in html
