"""Who passes a single view restriction: Wagtail's own rule (``accept_request``), asked about a
user by papers.visibility, and about the request when a restricted page is served."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import BaseViewRestriction, PageViewRestriction

from papers.roles import BOARD_MEMBERS
from papers.visibility import can_view, visible_pages
from tests.factories import (
    BoardMemberUserFactory,
    CouncillorUserFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db


def restricted_page(restriction_type, groups=(), password=""):
    page = ProposalPageFactory(parent=ProposalIndexPageFactory())
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password=password
    )
    restriction.groups.set(groups)
    return page


def listed(user, page):
    return visible_pages(user).filter(pk=page.pk).exists()


def test_a_login_restriction_admits_any_signed_in_user_and_no_one_else():
    page = restricted_page(BaseViewRestriction.LOGIN)
    inactive = CouncillorUserFactory(is_active=False)
    assert can_view(CouncillorUserFactory(), page) and listed(CouncillorUserFactory(), page)
    for user in (AnonymousUser(), inactive):
        assert not can_view(user, page) and not listed(user, page)


def test_a_group_restriction_admits_its_groups_and_superusers():
    page = restricted_page(BaseViewRestriction.GROUPS, [Group.objects.get(name=BOARD_MEMBERS)])
    for user in (BoardMemberUserFactory(), SuperuserFactory()):
        assert can_view(user, page) and listed(user, page)
    for user in (CouncillorUserFactory(), AnonymousUser(), SuperuserFactory(is_active=False)):
        assert not can_view(user, page) and not listed(user, page)


def test_a_shared_password_restriction_never_admits_a_user_outside_a_request():
    """No session, so no password was entered: listings and links treat it as failed."""
    page = restricted_page(BaseViewRestriction.PASSWORD, password="letmein")
    for user in (SuperuserFactory(), BoardMemberUserFactory(), AnonymousUser()):
        assert not can_view(user, page) and not listed(user, page)


def test_serving_asks_wagtail_about_the_request(client):
    """A signed-in user outside the groups gets a plain 403, a member the page."""
    page = restricted_page(BaseViewRestriction.GROUPS, [Group.objects.get(name=BOARD_MEMBERS)])
    client.force_login(CouncillorUserFactory())
    assert client.get(page.url).status_code == 403
    client.force_login(BoardMemberUserFactory())
    assert client.get(page.url).status_code == 200
