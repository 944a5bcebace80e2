"""Training records (issue 13, item 1): officers record completions in the admin, the Chair and
officers read the completion table, a member reads their own record on /account/, and the
public training pages show completion counts (never names)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from papers.models import CompletionMethod, TrainingCompletion
from papers.roles import ensure_roles
from tests.factories import (
    BoardMemberUserFactory,
    ChairUserFactory,
    CouncillorUserFactory,
    OfficerFactory,
    TrainingIndexPageFactory,
    TrainingModulePageFactory,
)
from tests.page_cache import page_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def training():
    ensure_roles()
    index = TrainingIndexPageFactory()
    return {
        "index": index,
        "cycle": TrainingModulePageFactory(parent=index, title="The commissioning cycle"),
        "exempt": TrainingModulePageFactory(
            parent=index, title="Handling exempt information", required_for_board_papers=True
        ),
    }


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def records_url(action="index", *args):
    return reverse(f"training_records:{action}", args=args)


def test_an_officer_records_a_completion_and_is_named_as_recorder(training):
    officer, member = OfficerFactory(), BoardMemberUserFactory(first_name="Ada", last_name="Lamb")
    client = signed_in(officer)
    form = client.get(records_url("add"))
    assert form.status_code == 200
    assert "Ada Lamb" in form.content.decode()
    response = client.post(
        records_url("add"),
        {
            "user": member.pk,
            "module": training["cycle"].pk,
            "completed_on": "2025-03-12",
            "method": CompletionMethod.ELEARNING,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = TrainingCompletion.objects.get()
    assert (record.user, record.module.specific, record.recorded_by) == (
        member,
        training["cycle"],
        officer,
    )
    assert record.completed_on == datetime.date(2025, 3, 12) and record.method == "elearning"
    # The same module twice for one member is refused, not a second row.
    again = client.post(
        records_url("add"),
        {
            "user": member.pk,
            "module": training["cycle"].pk,
            "completed_on": "2025-04-01",
            "method": "session",
        },
    )
    assert again.status_code == 200 and TrainingCompletion.objects.count() == 1


def test_only_officers_the_chair_and_administrators_reach_the_records(training):
    for user in (OfficerFactory(), ChairUserFactory()):
        client = signed_in(user)
        assert client.get(records_url()).status_code == 200
        assert client.get(reverse("papers_training_completion_table")).status_code == 200
    for user in (BoardMemberUserFactory(), CouncillorUserFactory()):
        client = signed_in(user)
        assert client.get(records_url()).status_code in (302, 403)
        assert client.get(reverse("papers_training_completion_table")).status_code in (302, 403)


def test_the_completion_table_shows_modules_by_board_members(training):
    ann = BoardMemberUserFactory(first_name="Ann", last_name="Ryder")
    BoardMemberUserFactory(first_name="Bob", last_name="Stanton")
    CouncillorUserFactory(first_name="Cara", last_name="Outside")
    TrainingCompletion.objects.create(
        module=training["exempt"], user=ann, completed_on=datetime.date(2025, 3, 12)
    )
    body = signed_in(ChairUserFactory()).get(reverse("papers_training_completion_table"))
    body = body.content.decode()
    assert "Ann Ryder" in body and "Bob Stanton" in body and "Cara Outside" not in body
    assert "12 Mar 2025" in body
    assert "Handling exempt information (required before board papers)" in body
    assert "1 of 3" in body  # Ann, Bob and the Chair who is reading


def test_a_member_reads_their_own_record_on_the_account_page(training):
    member, other = BoardMemberUserFactory(), BoardMemberUserFactory()
    TrainingCompletion.objects.create(
        module=training["cycle"],
        user=member,
        completed_on=datetime.date(2025, 3, 12),
        method=CompletionMethod.SESSION,
        recorded_by=OfficerFactory(first_name="Olu", last_name="Recorder"),
    )
    TrainingCompletion.objects.create(
        module=training["exempt"], user=other, completed_on=datetime.date(2024, 1, 9)
    )
    response = signed_in(member).get("/account/")
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "The commissioning cycle" in body and "12 March 2025" in body
    assert "Attended a session" in body and "Olu Recorder" in body
    assert "9 January 2024" not in body  # someone else's
    assert "Required before board papers" in body
    # Held back by training: the account page says what is still needed.
    assert "Board papers open to you once you have completed: Handling exempt information" in body


def test_the_account_page_asks_a_visitor_to_sign_in():
    response = Client().get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_public_training_pages_show_counts_and_no_names(training, page_cache):  # noqa: F811
    ann = BoardMemberUserFactory(first_name="Ann", last_name="Ryder")
    BoardMemberUserFactory(first_name="Bob", last_name="Stanton")
    ChairUserFactory(first_name="Cath", last_name="Chairwoman")
    anonymous = Client()
    module_url, index_url = training["exempt"].url, training["index"].url
    assert "Completed by 0 of 3 board members" in anonymous.get(index_url).content.decode()
    assert "0 of 3 board members" in anonymous.get(module_url).content.decode()
    assert anonymous.get(module_url)["X-Page-Cache"] == "hit"
    TrainingCompletion.objects.create(
        module=training["exempt"], user=ann, completed_on=datetime.date(2025, 3, 12)
    )
    # Recording a completion drops the cached copies: the new count shows at once.
    for url in (index_url, module_url):
        body = anonymous.get(url).content.decode()
        assert "1 of 3 board members" in body, url
        for name in ("Ann", "Ryder", "Stanton", "Chairwoman"):
            assert name not in body


def test_completions_go_with_the_account(training):
    member = BoardMemberUserFactory()
    TrainingCompletion.objects.create(
        module=training["cycle"], user=member, completed_on=datetime.date(2025, 3, 12)
    )
    member.delete()
    assert not TrainingCompletion.objects.exists()
