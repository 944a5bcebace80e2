"""Issue 9, finding 5: a document moved to a stricter collection stops making the public page
that attaches it findable by its words, whichever admin route moved it."""

import pytest
from django.test import Client
from django.urls import reverse

from papers.confidentiality import collection_for
from papers.models.choices import Audience
from tests.factories import OfficerFactory

from .conftest import attach, client_for, docx_bytes, make_document
from .test_search_page import titles

pytestmark = pytest.mark.django_db

WORD = "pangolin"


def api_titles(query):
    response = Client().get("/api/v2/pages/", {"search": query})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def attached(site, users):
    document = make_document("evaluation.docx", docx_bytes(f"Evaluation of the {WORD} bid"))
    attach(site["home_care"], document)
    anonymous = client_for(users, "anonymous")
    assert titles(anonymous.get("/search/", {"q": WORD})) == ["Recommission home care"]
    assert api_titles(WORD) == ["Recommission home care"]
    officer = Client()
    officer.force_login(OfficerFactory(username="officer-moves"))
    return document, anonymous, officer


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
