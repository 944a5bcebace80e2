"""The groups and their rights, set up from code; Wagtail's defaults removed."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

from home.models import StandardPage
from papers.models import MeetingIndexPage
from papers.roles import (
    BOARD_MEMBERS,
    CHAIR,
    MEMBERS,
    OFFICERS,
    ROLE_GROUPS,
    ensure_roles,
)
from papers.workflows import WORKFLOW_NAME
from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    login,
    people_fixture,
)


def page_grants(group_name):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name).values_list(
            "page__slug", "permission__codename"
        )
    )


def test_the_four_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS)


def test_wagtails_default_groups_and_workflow_are_gone(db):
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    root = Page.get_first_root_node()
    assert not GroupPagePermission.objects.filter(page=root).exists()
    assert not WorkflowPage.objects.filter(page=root).exists()
    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == [
        WORKFLOW_NAME
    ]


def test_rights_are_granted_per_section_never_on_home_or_root(board):
    sections = {"about", "meetings", "proposals", "providers", "training"}
    assert page_grants(OFFICERS) == {(s, c) for s in sections for c in ("add_page", "change_page")}
    assert page_grants(CHAIR) == {
        (s, c) for s in sections for c in ("add_page", "change_page", "publish_page")
    }
    assert page_grants(BOARD_MEMBERS) == page_grants(MEMBERS) == set()
    assert not GroupPagePermission.objects.filter(page__depth__lte=2).exists()
    assert not GroupPagePermission.objects.filter(permission__codename="bulk_delete_page").exists()


def test_readers_hold_no_rights_at_all(db):
    for name in (BOARD_MEMBERS, MEMBERS):
        group = Group.objects.get(name=name)
        assert not group.permissions.exists()
        assert not GroupCollectionPermission.objects.filter(group=group).exists()


def test_admin_access_is_for_officers_and_chair_only(db):
    access = Permission.objects.get(codename="access_admin")
    assert set(access.group_set.values_list("name", flat=True)) == {OFFICERS, CHAIR}


def test_officers_and_chair_add_and_change_documents_in_the_audience_collections_only(people):
    from papers.confidentiality import ensure_collections

    audience_collections = list(ensure_collections().values())
    root = Collection.get_first_root_node()
    for user in (people.officer, people.chair):
        for collection in audience_collections:
            for action in ("add", "change", "choose"):
                assert document_policy.user_has_permission_for_instance(
                    user, action, get_document_model()(title="x", collection=collection)
                )
        adds = document_policy.collections_user_has_permission_for(user, "add")
        assert set(adds) == set(audience_collections)  # never the root: it has no audience
        in_root = get_document_model()(title="x", collection=root)
        assert document_policy.user_has_permission_for_instance(user, "choose", in_root)
        assert not document_policy.user_has_permission_for_instance(user, "change", in_root)
    for user in (people.board_member, people.councillor):
        assert not document_policy.user_has_any_permission(user, ["add", "change", "choose"])


def test_officer_reaches_the_document_upload_form_and_readers_do_not(client, people):
    login(client, people.officer)
    assert client.get(reverse("wagtaildocs:add")).status_code == 200
    client.logout()
    login(client, people.board_member)
    assert client.get(reverse("wagtaildocs:add")).status_code == 302


def test_officer_cannot_add_a_page_at_the_home_level(client, board, people):
    login(client, people.officer)
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", board.home.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    response = client.post(url, {"title": "Sneaky section", "slug": "sneaky"})
    assert not StandardPage.objects.filter(slug="sneaky").exists()


def test_set_up_is_idempotent_and_removes_stray_grants(board):
    ensure_roles()
    before = {name: page_grants(name) for name in ROLE_GROUPS}
    stray = GroupPagePermission.objects.create(
        group=Group.objects.get(name=OFFICERS),
        page=board.home,
        permission=Permission.objects.get(codename="publish_page"),
    )
    ensure_roles()
    ensure_roles()
    assert not GroupPagePermission.objects.filter(pk=stray.pk).exists()
    assert {name: page_grants(name) for name in ROLE_GROUPS} == before
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert Group.objects.filter(name__in=ROLE_GROUPS).count() == len(ROLE_GROUPS)


def test_a_section_added_later_is_set_up_when_created(board):
    # Meetings is unique, so remove it and add it again, as an administrator would.
    board.meetings.delete()
    meetings = board.home.add_child(instance=MeetingIndexPage(title="Meetings", slug="meetings"))
    assert ("meetings", "change_page") in page_grants(OFFICERS)
    assert ("meetings", "publish_page") in page_grants(CHAIR)
    assert meetings.get_workflow().name == WORKFLOW_NAME
    # A page deeper down is not a section and gets nothing of its own.
    note = board.about.add_child(instance=StandardPage(title="A note", slug="a-note"))
    assert not GroupPagePermission.objects.filter(page=note).exists()
    assert not WorkflowPage.objects.filter(page=note).exists()
    assert note.get_workflow().name == WORKFLOW_NAME


def test_demo_accounts_are_put_in_their_groups(db):
    from demo import accounts, roles
    from demo.seed import DemoContext

    ctx = DemoContext(password="demo-pass-123", papers=0, stdout=None)
    accounts.seed(ctx)
    roles.seed(ctx)
    roles.seed(ctx)  # idempotent
    groups = {
        username: set(ctx.users[username].groups.values_list("name", flat=True))
        for username in ("officer", "chair", "member", "councillor", "trainee", "admin")
    }
    assert groups == {
        "officer": {OFFICERS},
        "chair": {CHAIR},
        "member": {BOARD_MEMBERS, MEMBERS},
        "councillor": {MEMBERS},
        "trainee": {BOARD_MEMBERS, MEMBERS},
        "admin": set(),
    }
