"""Issue 9, finding 2, and issue 16: a document becomes less restricted only through the Chair,
and every upload route starts a new document in "Board papers", never the root collection.
Each case goes through the admin URL an officer would use."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from papers.confidentiality import collection_for
from papers.models import BoardDocument
from papers.models.choices import Audience
from tests.factories import BoardDocumentFactory, ProposalPageFactory
from tests.papers.workflow_support import board_fixture, login, people_fixture  # noqa: F401

SECRET = b"Board only: the okapi consortium bid 14.20 an hour."


def make_document(audience, title="Appendix B: bid prices", data=SECRET):
    return BoardDocumentFactory(
        title=title,
        file=ContentFile(data, name="bids.txt"),
        collection=collection_for(audience),
    )


def attach(page, document, audience=None):
    page.attachments = [{"type": "attachment", "value": {"document": document.pk, "title": ""}}]
    if audience:
        page.audience = audience
        page.exempt_paragraph = "3" if audience == Audience.BOARD else ""
    page.save_revision().publish()
    return page


def edit_document(client, document, **changes):
    data = {
        "title": document.title,
        "collection": str(document.collection_id),
        "tags": "",
    }
    data.update(changes)
    return client.post(reverse("wagtaildocs:edit", args=[document.pk]), data)


def served_anonymously(document):
    response = Client().get(document.url)
    return response.status_code == 200


def listed_by_api(document):
    response = Client().get("/api/v2/documents/", {"search": "okapi"})
    return response.status_code == 200 and any(
        item["id"] == document.pk for item in response.json()["items"]
    )


@pytest.fixture
def secret(db):
    return make_document(Audience.BOARD)


# -- finding 2: moving to a less restricted collection ---------------------------------------


def test_officer_cannot_make_a_board_document_public_through_the_edit_form(client, people, secret):
    login(client, people.officer)
    response = edit_document(client, secret, collection=str(collection_for(Audience.PUBLIC).pk))

    assert response.status_code == 200
    assert "Only the Chair can make a document less restricted" in response.content.decode()
    secret.refresh_from_db()
    assert secret.collection == collection_for(Audience.BOARD)
    assert not served_anonymously(secret)
    assert not listed_by_api(secret)


def test_chair_may_make_a_board_document_public(client, people, secret):
    login(client, people.chair)
    response = edit_document(client, secret, collection=str(collection_for(Audience.PUBLIC).pk))
    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.collection == collection_for(Audience.PUBLIC)
    assert served_anonymously(secret)


def test_officer_may_make_a_document_more_restricted(client, people):
    document = make_document(Audience.PUBLIC, data=b"A public note")
    login(client, people.officer)
    response = edit_document(client, document, collection=str(collection_for(Audience.BOARD).pk))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.collection == collection_for(Audience.BOARD)
    assert not served_anonymously(document)


def test_officer_cannot_loosen_through_the_multiple_upload_edit_form(client, people, secret):
    login(client, people.officer)
    url = reverse("wagtaildocs:edit_multiple", args=[secret.pk])
    response = client.post(
        url,
        {
            f"doc-{secret.pk}-title": secret.title,
            f"doc-{secret.pk}-collection": str(collection_for(Audience.MEMBERS).pk),
            f"doc-{secret.pk}-tags": "",
        },
    )
    assert response.json()["success"] is False
    assert "Only the Chair" in response.json()["form"]
    secret.refresh_from_db()
    assert secret.collection == collection_for(Audience.BOARD)


def bulk_add_to_collection(client, documents, collection):
    url = reverse("wagtail_bulk_action", args=["papers", "boarddocument", "add_to_collection"])
    query = "&".join(f"id={d.pk}" for d in documents)
    return client.post(f"{url}?{query}&next=/admin/documents/", {"collection": collection.pk})


def test_officer_cannot_loosen_with_the_add_to_collection_bulk_action(client, people, secret):
    login(client, people.officer)
    response = bulk_add_to_collection(client, [secret], collection_for(Audience.PUBLIC))
    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.collection == collection_for(Audience.BOARD)
    assert not served_anonymously(secret)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Only the Chair" in m for m in messages)


def test_chair_may_loosen_with_the_bulk_action(client, people, secret):
    login(client, people.chair)
    bulk_add_to_collection(client, [secret], collection_for(Audience.PUBLIC))
    secret.refresh_from_db()
    assert secret.collection == collection_for(Audience.PUBLIC)


# -- finding 2: replacing the file of a document a restricted page attaches -----------------


@pytest.fixture
def attached(board, secret):
    page = ProposalPageFactory(parent=board.proposals, title="Home care bids", slug="bids")
    attach(page, secret, Audience.BOARD)
    return page


def replace_file(client, document, data):
    return edit_document(client, document, file=SimpleUploadedFile("v2.txt", data))


def test_officer_cannot_replace_the_file_of_a_document_a_restricted_page_attaches(
    client, people, secret, attached
):
    login(client, people.officer)
    response = replace_file(client, secret, b"Replaced without the Chair.")
    assert response.status_code == 200
    assert "only the Chair can replace its file" in response.content.decode()
    secret.refresh_from_db()
    secret.file.open("rb")
    assert secret.file.read() == SECRET


def test_chair_may_replace_that_file(client, people, secret, attached):
    login(client, people.chair)
    assert replace_file(client, secret, b"Replaced by the Chair.").status_code == 302
    secret.refresh_from_db()
    secret.file.open("rb")
    assert secret.file.read() == b"Replaced by the Chair."


def test_officer_may_replace_a_file_no_restricted_page_attaches(client, people, secret):
    login(client, people.officer)
    assert replace_file(client, secret, b"Corrected typo.").status_code == 302


# -- issue 16: every upload route starts in "Board papers"; no root ---------------------------


def selected_collection(html, select_name="collection"):
    select = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {select_name} select"
    options = re.findall(r'<option value="(\d+)"([^>]*)>', select.group(1))
    chosen = [value for value, attrs in options if "selected" in attrs] or [options[0][0]]
    return int(chosen[0]), {int(value) for value, _ in options}


def upload_form_html(client, route):
    response = client.get(reverse(route))
    if route == "wagtaildocs_chooser:choose":  # the chooser's "Upload" tab, in its JSON
        return response.json()["html"]
    return response.content.decode()


@pytest.mark.parametrize(
    ("route", "select_name"),
    [
        ("wagtaildocs:add", "collection"),
        ("wagtaildocs:add_multiple", "collection"),
        ("wagtaildocs_chooser:choose", "document-chooser-upload-collection"),
    ],
)
def test_every_upload_form_defaults_to_board_papers_without_the_root(
    client, people, route, select_name
):
    root = Collection.get_first_root_node()
    login(client, people.officer)
    chosen, offered = selected_collection(upload_form_html(client, route), select_name)
    assert chosen == collection_for(Audience.BOARD).pk
    assert root.pk not in offered
    assert collection_for(Audience.PUBLIC).pk in offered  # a deliberate choice stays possible


def test_an_upload_into_the_root_collection_is_refused(client, people):
    root = Collection.get_first_root_node()
    login(client, people.officer)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Sneaked into the root",
            "file": SimpleUploadedFile("root.txt", b"Would be public at once."),
            "collection": str(root.pk),
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert not BoardDocument.objects.filter(title="Sneaked into the root").exists()


def test_an_upload_with_no_choice_lands_in_board_papers_and_is_not_public(client, people):
    """The form as the browser posts it untouched (the collection select left as it is)."""
    login(client, people.officer)
    html = client.get(reverse("wagtaildocs:add")).content.decode()
    chosen, _ = selected_collection(html)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Untouched upload",
            "file": SimpleUploadedFile("new.txt", b"Draft appendix."),
            "collection": str(chosen),
            "tags": "",
        },
    )
    assert response.status_code == 302
    document = BoardDocument.objects.get(title="Untouched upload")
    assert document.collection == collection_for(Audience.BOARD)
    assert not served_anonymously(document)


# -- collections themselves: officers change neither collections nor their privacy ----------


def test_officer_cannot_change_collection_privacy_or_collections(client, people):
    public = collection_for(Audience.PUBLIC)
    board_papers = collection_for(Audience.BOARD)
    login(client, people.officer)
    client.post(
        reverse("wagtailadmin_collections:set_privacy", args=[board_papers.pk]),
        {"restriction_type": "none"},
    )
    assert CollectionViewRestriction.objects.filter(collection=board_papers).exists()
    client.post(
        reverse("wagtailadmin_collections:edit", args=[public.pk]),
        {"name": "Renamed", "parent": str(board_papers.pk)},
    )
    public.refresh_from_db()
    assert public.name == "Public papers" and public.get_parent().depth == 1
