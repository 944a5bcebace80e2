"""The index follows publishing, and search_index_check compares it with the database."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from .conftest import client_for
from .test_search_page import titles

pytestmark = pytest.mark.django_db


def test_unpublished_and_deleted_pages_leave_the_results(site, users):
    client = client_for(users, "anonymous")
    assert "Weald Home Care Partnership" in titles(client.get("/search/", {"q": "Weald"}))
    site["provider"].unpublish()
    assert titles(client.get("/search/", {"q": "Weald"})) == []
    site["provider"].save_revision().publish()
    assert titles(client.get("/search/", {"q": "Weald"})) == ["Weald Home Care Partnership"]
    site["provider"].delete()
    assert titles(client.get("/search/", {"q": "Weald"})) == []


def test_moving_under_a_restricted_page_hides_it(site, users):
    from papers.models.choices import Audience

    from .conftest import restrict

    meeting = site["meeting"]
    restrict(meeting, Audience.BOARD)
    client = client_for(users, "anonymous")
    assert titles(client.get("/search/", {"q": "quincunx"})) == []
    assert titles(client_for(users, "board").get("/search/", {"q": "quincunx"}))


def test_index_check_passes_then_fails_when_an_entry_is_missing(site, capsys):
    from modelsearch.conf import get_app_config

    call_command("update_index", stdout=None)
    call_command("search_index_check")
    assert "matches the database" in capsys.readouterr().out
    index_entry = get_app_config().get_model("IndexEntry")
    page = Page.objects.get(pk=site["transport"].pk)
    index_entry.objects.filter(
        object_id=str(page.pk), content_type_id=page.content_type_id
    ).delete()
    with pytest.raises(CommandError, match="differs"):
        call_command("search_index_check")
    assert "1 missing" in capsys.readouterr().out
