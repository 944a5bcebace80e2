"""Members, Cabinet Committees and service areas as snippets in the admin's "Board" menu."""

import pytest
from django.urls import reverse
from wagtail.admin.menu import admin_menu
from wagtail.snippets.models import get_snippet_models

from papers.models import CabinetCommittee, Member, ServiceArea
from papers.models.choices import BoardRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(model, action, *args):
    return reverse(f"wagtailsnippets_papers_{model._meta.model_name}:{action}", args=args)


def test_board_reference_data_are_snippets():
    assert {Member, CabinetCommittee, ServiceArea} <= set(get_snippet_models())


def test_admin_menu_groups_them_under_board(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    items = {item.label: item for item in admin_menu.menu_items_for_request(request)}
    assert "Board" in items
    labels = {child.label for child in items["Board"].menu.menu_items_for_request(request)}
    assert {"Members", "Cabinet Committees", "Service areas"} <= labels


def test_member_list_shows_name_group_and_role(admin_client):
    f.MemberFactory(
        name="Cllr Margaret Thornbury", political_group="Conservative", board_role=BoardRole.CHAIR
    )
    f.MemberFactory(name="Cllr Dev Kapoor", political_group="Labour")
    response = admin_client.get(url(Member, "list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cllr Margaret Thornbury" in html and "Cllr Dev Kapoor" in html
    assert "Conservative" in html and "Labour" in html
    assert "Chair" in html
    assert "Political group" in html


def test_member_list_searches_by_name(admin_client):
    f.MemberFactory(name="Cllr Margaret Thornbury")
    f.MemberFactory(name="Cllr Dev Kapoor")
    response = admin_client.get(url(Member, "list"), {"q": "thornbury"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cllr Margaret Thornbury" in html
    assert "Cllr Dev Kapoor" not in html


def test_officer_like_superuser_adds_a_member(admin_client):
    user = f.BoardMemberUserFactory(username="nia")
    response = admin_client.post(
        url(Member, "add"),
        {
            "name": "Cllr Nia Pritchard",
            "political_group": "Green",
            "board_role": BoardRole.VICE_CHAIR,
            "is_current": "on",
            "user": str(user.pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(name="Cllr Nia Pritchard")
    assert member.board_role == BoardRole.VICE_CHAIR
    assert member.user == user and user.board_member == member


def test_add_member_form_refuses_a_member_without_a_name(admin_client):
    response = admin_client.post(
        url(Member, "add"),
        {"name": "", "political_group": "Green", "board_role": BoardRole.MEMBER},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Member.objects.exists()


def test_add_member_form_offers_roles_as_a_choice(admin_client):
    html = admin_client.get(url(Member, "add")).content.decode()
    assert '<select name="board_role"' in html
    assert ">Vice-Chair</option>" in html
    assert "As it appears in minutes" in html


def test_cabinet_committee_added_without_typing_a_slug(admin_client):
    response = admin_client.post(
        url(CabinetCommittee, "add"), {"name": "Adult Social Care Cabinet Committee", "slug": ""}
    )
    assert response.status_code == 302, response.context["form"].errors
    committee = CabinetCommittee.objects.get()
    assert committee.slug == "adult-social-care-cabinet-committee"


def test_service_area_list_and_add(admin_client):
    f.ServiceAreaFactory(name="Highways")
    assert "Highways" in admin_client.get(url(ServiceArea, "list")).content.decode()
    response = admin_client.post(
        url(ServiceArea, "add"), {"name": "Children and families", "slug": ""}
    )
    assert response.status_code == 302
    assert ServiceArea.objects.get(name="Children and families").slug == "children-and-families"


def test_duplicate_committee_is_refused_with_a_message(admin_client):
    f.CabinetCommitteeFactory(name="Adult Social Care Cabinet Committee")
    response = admin_client.post(
        url(CabinetCommittee, "add"), {"name": "Adult Social Care Cabinet Committee", "slug": ""}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert CabinetCommittee.objects.count() == 1
