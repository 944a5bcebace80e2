"""Issue 9, finding 5: a document moved to a stricter collection stops making the public page
that attaches it findable by its words, whichever admin route moved it."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import CollectionViewRestriction

from papers.confidentiality import collection_for, groups_for
from papers.models.choices import Audience
from tests.factories import OfficerFactory, SuperuserFactory

from .conftest import attach, client_for, docx_bytes, make_document
from .test_search_page import titles

pytestmark = pytest.mark.django_db

WORD = "pangolin"


def api_titles(query):
    response = Client().get("/api/v2/pages/", {"search": query})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


def found_by_the_public(site, users, document):
    """``document`` attached to a public paper, which the public then finds by its words."""
    attach(site["home_care"], document)
    anonymous = client_for(users, "anonymous")
    assert titles(anonymous.get("/search/", {"q": WORD})) == ["Recommission home care"]
    assert api_titles(WORD) == ["Recommission home care"]
    return anonymous


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def attached(site, users):
    document = make_document("evaluation.docx", docx_bytes(f"Evaluation of the {WORD} bid"))
    anonymous = found_by_the_public(site, users, document)
    return document, anonymous, signed_in(OfficerFactory(username="officer-moves"))


def test_moving_by_the_edit_form_reindexes_the_attaching_page(attached):
    document, anonymous, officer = attached
    response = officer.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": document.title,
            "collection": str(collection_for(Audience.BOARD).pk),
            "tags": "",
        },
    )
    assert response.status_code == 302
    assert titles(anonymous.get("/search/", {"q": WORD})) == []
    assert api_titles(WORD) == []


def test_moving_by_the_bulk_action_reindexes_the_attaching_page(attached):
    document, anonymous, officer = attached
    url = reverse("wagtail_bulk_action", args=["papers", "boarddocument", "add_to_collection"])
    response = officer.post(
        f"{url}?id={document.pk}&next=/admin/documents/",
        {"collection": collection_for(Audience.MEMBERS).pk},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.collection == collection_for(Audience.MEMBERS)
    assert titles(anonymous.get("/search/", {"q": WORD})) == []
    assert api_titles(WORD) == []


@pytest.fixture
def in_a_sub_collection(site, users):
    """A public document in a collection of its own under the public one, attached to a
    public paper that is found by the document's words."""
    consultation = collection_for(Audience.PUBLIC).add_child(name="Consultation responses")
    document = make_document("responses.docx", docx_bytes(f"The {WORD} consultation responses"))
    document.collection = consultation
    document.save()
    anonymous = found_by_the_public(site, users, document)
    return consultation, anonymous, signed_in(SuperuserFactory(username="admin-moves"))


def test_moving_the_collection_under_the_board_s_reindexes_the_attaching_page(
    in_a_sub_collection, django_capture_on_commit_callbacks
):
    """The admin's collection form moves a collection with its documents (a tree move that
    saves no document): a public paper is no longer found by their words."""
    consultation, anonymous, admin = in_a_sub_collection
    board = collection_for(Audience.BOARD)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("wagtailadmin_collections:edit", args=[consultation.pk]),
            {"name": consultation.name, "parent": str(board.pk)},
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.get_parent() == board
    assert titles(anonymous.get("/search/", {"q": WORD})) == []
    assert api_titles(WORD) == []


def test_restricting_the_collection_reindexes_the_attaching_page(
    in_a_sub_collection, users, django_capture_on_commit_callbacks
):
    """The collection's privacy set to the board's groups by the admin's privacy dialog."""
    consultation, anonymous, admin = in_a_sub_collection
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("wagtailadmin_collections:set_privacy", args=[consultation.pk]),
            {
                "restriction_type": CollectionViewRestriction.GROUPS,
                "groups": [group.pk for group in groups_for(Audience.BOARD)],
            },
        )
    assert response.status_code == 200
    assert CollectionViewRestriction.objects.filter(collection=consultation).exists()
    assert titles(anonymous.get("/search/", {"q": WORD})) == []
    assert api_titles(WORD) == []
    assert titles(client_for(users, "councillor").get("/search/", {"q": WORD})) == []
