"""The go-live date on the meeting's own form (issue 16): the "Publishing the agenda" panel
carries the page's go-live date, the same one Wagtail's "Set schedule" side panel edits. Set on
the form, the Chair still approves, and the approved revision is published then, not at once."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.admin_forms import edit_url
from tests.factories import MeetingPageFactory

from .test_workflow import act
from .workflow_support import (
    board_fixture,  # noqa: F401 (fixture)
    fresh,
    logged_actions,
    login,
    people_fixture,  # noqa: F401 (fixture)
    post_edit,
    published,
)

pytestmark = pytest.mark.django_db
REVISED = "The agenda for the autumn meeting, with the carers' hub proposal."


def stamp(when):
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def meeting(board):
    return published(MeetingPageFactory(parent=board.meetings, agenda=[]))


def test_the_main_form_has_the_go_live_date_and_shows_the_one_saved(client, people, meeting):
    login(client, people.officer)
    html = client.get(edit_url(meeting)).content.decode()
    assert 'name="go_live"' in html and 'for="id_go_live"' in html
    assert "Go-live date" in html
    # Set under "Set schedule" in the side panel, the main form shows the same date.
    when = timezone.localtime() + datetime.timedelta(days=5)
    assert post_edit(client, meeting, go_live_at=stamp(when)).status_code == 302
    html = client.get(edit_url(meeting)).content.decode()
    assert html.count(f'value="{stamp(when)}"') == 2  # the form's field and the side panel's


def test_a_go_live_date_on_the_form_schedules_the_approved_agenda(client, people, meeting):
    when = timezone.localtime() + datetime.timedelta(days=2)
    login(client, people.officer)
    response = post_edit(client, meeting, "submit", summary=REVISED, go_live=stamp(when))
    assert response.status_code == 302
    assert fresh(meeting).get_latest_revision_as_object().go_live_at is not None

    act(client, people.chair, meeting, "approve")
    page = fresh(meeting)
    assert page.summary != REVISED  # approved, but not before its date
    assert page.scheduled_revision is not None
    assert timezone.localtime(page.scheduled_revision.approved_go_live_at).strftime(
        "%Y-%m-%d %H:%M"
    ) == stamp(when)
    assert "wagtail.publish.schedule" in logged_actions(page)

    later = timezone.now() + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    assert fresh(meeting).summary == REVISED


def test_two_different_go_live_dates_are_refused(client, people, meeting):
    login(client, people.officer)
    soon = timezone.localtime() + datetime.timedelta(days=2)
    later = soon + datetime.timedelta(days=1)
    response = post_edit(client, meeting, go_live=stamp(soon), go_live_at=stamp(later))
    assert response.status_code == 200
    assert "Two different go-live dates were set" in response.content.decode()
    assert fresh(meeting).get_latest_revision_as_object().go_live_at is None


def test_a_go_live_date_after_the_expiry_is_refused_on_the_form(client, people, meeting):
    login(client, people.officer)
    soon = timezone.localtime() + datetime.timedelta(days=2)
    response = post_edit(
        client,
        meeting,
        go_live=stamp(soon + datetime.timedelta(days=2)),
        expire_at=stamp(soon),
    )
    assert response.status_code == 200
    assert "Go live date/time must be before expiry date/time" in response.content.decode()


def test_clearing_the_date_on_the_form_publishes_on_approval(client, people, meeting):
    login(client, people.officer)
    when = timezone.localtime() + datetime.timedelta(days=2)
    assert post_edit(client, meeting, go_live_at=stamp(when)).status_code == 302
    response = post_edit(client, meeting, "submit", summary=REVISED, go_live="")
    assert response.status_code == 302
    act(client, people.chair, meeting, "approve")
    assert fresh(meeting).summary == REVISED
