"""A board section (a child of the home page) is deleted or moved only by an administrator."""

import pytest
from wagtail.models import Page

from tests.papers.workflow_support import (  # noqa: F401 (fixtures)
    board_fixture,
    login,
    people_fixture,
)


@pytest.mark.parametrize("role", ["chair", "officer"])
def test_only_an_administrator_deletes_an_empty_section(client, board, people, role):
    section = board.training  # an empty section: Wagtail alone would let the Chair delete it
    login(client, getattr(people, role))
    response = client.post(f"/admin/pages/{section.pk}/delete/", follow=True)
    assert Page.objects.filter(pk=section.pk).exists()
    if role == "chair":
        assert "only an administrator can delete it" in response.content.decode()

    login(client, people.admin)
    client.post(f"/admin/pages/{section.pk}/delete/")
    assert not Page.objects.filter(pk=section.pk).exists()


def test_the_chair_cannot_move_a_section(client, board, people):
    section, destination = board.training, board.about
    login(client, people.chair)
    client.post(f"/admin/pages/{section.pk}/move/{destination.pk}/confirm/")
    assert Page.objects.get(pk=section.pk).get_parent().pk == board.home.pk
