"""The Chair's approval in a real browser: the officer submits an edit, the Chair approves it
from the dashboard, and an anonymous visitor sees the change only then."""

import pytest

from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    fresh,
    in_progress,
    people_fixture,
)
from tests.two_factor import admin_sign_in_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.same_on_any_database]

REVISED = "Revised after the market engagement events: twelve zones, each with a lead provider."


def admin_sign_in(page, base, user):
    admin_sign_in_in_browser(page, base, user.username)


def sign_out(page, base):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_submits_chair_approves_public_sees_it(
    board,
    people,
    live_server,
    browser_page,
):
    page, base = browser_page, live_server.url
    proposal = board.proposal
    original = proposal.summary

    # The officer edits the summary and submits it to the Chair.
    admin_sign_in(page, base, people.officer)
    page.goto(f"{base}/admin/pages/{proposal.pk}/edit/")
    page.locator("textarea[name=summary]").fill(REVISED)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Send for Chair approval").click()
    page.wait_for_load_state()
    assert in_progress(proposal)

    # Nothing has changed for the public yet.
    sign_out(page, base)
    page.goto(base + proposal.url)
    assert original in page.content() and REVISED not in page.content()

    # The Chair finds it on the dashboard and approves it there.
    admin_sign_in(page, base, people.chair)
    page.goto(f"{base}/admin/")
    queue = page.locator("section", has=page.get_by_role("heading", name="Awaiting your review"))
    row = queue.locator("tbody tr", has_text=proposal.title)
    assert row.count() == 1
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state()
    # The dashboard reloads with the queue empty.
    page.get_by_role("heading", name="Awaiting your review").wait_for(state="detached")
    assert fresh(proposal).summary == REVISED

    # An anonymous visitor now reads the approved text.
    sign_out(page, base)
    page.goto(base + proposal.url)
    assert REVISED in page.content()
