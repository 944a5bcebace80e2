"""Private documents: restricted collections, files outside MEDIA_ROOT, attachment rules,
and no images on board content."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import CollectionViewRestriction

from papers.confidentiality import COLLECTIONS, collection_for, ensure_collections
from papers.models import BoardDocument, BoardPage, MinutesPage
from papers.models.choices import Audience
from papers.models.documents import EXTRACTION_PENDING
from papers.visibility import visible_documents
from tests.admin_forms import (
    assert_saved,
    board_page_data,
    inline_formset,
    post_add,
    streamfield,
)
from tests.factories import (
    BoardMemberUserFactory,
    CouncillorUserFactory,
    MeetingPageFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
)

pytestmark = pytest.mark.django_db


def document(audience, title="Appendix", text=b"Quillhaven pricing"):
    doc = BoardDocument(title=title, collection=collection_for(audience))
    doc.file.save(f"{audience}.txt", ContentFile(text), save=False)
    doc.save()
    return doc


def attach(*docs):
    return [{"type": "attachment", "value": {"document": d.pk, "title": ""}} for d in docs]


def test_a_file_replaced_in_code_is_read_again_and_other_saves_keep_the_text():
    doc = document(Audience.PUBLIC, text=b"Quillhaven pricing")
    assert "Quillhaven" in doc.extracted_text
    doc.file.save("replaced.txt", ContentFile(b"Marrowdene tariff"), save=False)
    doc.save()
    doc.refresh_from_db()
    assert "Marrowdene" in doc.extracted_text and "Quillhaven" not in doc.extracted_text
    doc.title = "Renamed appendix"
    doc.save()
    doc.refresh_from_db()
    assert "Marrowdene" in doc.extracted_text and doc.extraction_note != EXTRACTION_PENDING


def test_collections_match_the_audiences_and_set_up_is_idempotent():
    ensure_collections()
    ensure_collections()
    groups = {
        r.collection.name: {g.name for g in r.groups.all()}
        for r in CollectionViewRestriction.objects.all()
    }
    assert groups == {
        COLLECTIONS["members"]: {"Members", "Board members", "Chair", "Officers"},
        COLLECTIONS["board"]: {"Board members", "Chair", "Officers"},
    }


def test_files_live_outside_media_root_and_no_media_url_serves_them():
    doc = document(Audience.BOARD)
    path = Path(doc.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert path.exists()
    client = Client(HTTP_HOST="localhost")
    assert client.get(f"/media/{doc.file.name}").status_code == 404
    assert client.get(doc.file.url).status_code == 404
    assert client.get(doc.url).status_code == 302  # the serve view: sign in first
    client.force_login(BoardMemberUserFactory())
    response = client.get(doc.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Quillhaven pricing"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_visible_documents_follows_collection_restrictions():
    public, members, board = (document(a, a) for a in ("public", "members", "board"))
    assert set(visible_documents(AnonymousUser())) == {public}
    assert set(visible_documents(CouncillorUserFactory())) == {public, members}
    assert set(visible_documents(BoardMemberUserFactory())) == {public, members, board}


def test_a_board_page_cannot_attach_a_public_document():
    page = ProposalPageFactory(parent=ProposalIndexPageFactory())
    page.audience, page.exempt_paragraph = Audience.BOARD, "3"
    page.attachments = attach(document(Audience.PUBLIC, "Pricing schedule"))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    message = " ".join(error.value.message_dict["attachments"])
    assert "“Pricing schedule” is in the “Public papers” collection" in message
    assert "this page is for the board only" in message and "Board papers" in message


def test_a_document_link_in_rich_text_is_checked_too():
    page = ProposalPageFactory(parent=ProposalIndexPageFactory())
    page.audience = Audience.MEMBERS
    doc = document(Audience.PUBLIC, "Briefing annex")
    page.body = [
        {"type": "paragraph", "value": f'<p>See <a linktype="document" id="{doc.pk}">it</a></p>'}
    ]
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "“Briefing annex”" in " ".join(error.value.message_dict["body"])


def test_a_document_link_inside_a_nested_block_and_in_a_rich_text_field_is_checked():
    """Found by Wagtail's own reference extraction wherever the link sits: in an option's rich
    text inside the options appraisal (a StructBlock in a StreamField) and in a plain
    RichTextField; a page link that happens to carry the same id is not a document."""
    page = ProposalPageFactory(parent=ProposalIndexPageFactory())
    page.audience, page.exempt_paragraph = Audience.BOARD, "3"
    in_block = document(Audience.PUBLIC, "Lot pricing model")
    in_field = document(Audience.MEMBERS, "Members' cost note")
    page.options_appraisal = [
        {
            "type": "option",
            "value": {
                "name": "Option 2: re-tender in three lots",
                "description": f'<p>See <a linktype="document" id="{in_block.pk}">the model</a></p>',
            },
        }
    ]
    page.recommendation = (
        f'<p>As <a linktype="document" id="{in_field.pk}">the note</a> and '
        f'<a linktype="page" id="{in_block.pk}">this page</a> say.</p>'
    )
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    errors = error.value.message_dict
    assert "“Lot pricing model” is in the “Public papers” collection" in " ".join(
        errors["options_appraisal"]
    )
    recommendation = " ".join(errors["recommendation"])
    assert "“Members' cost note”" in recommendation
    assert "Lot pricing model" not in recommendation


def test_more_restricted_documents_are_fine_but_their_text_stays_out_of_the_page_index():
    page = ProposalPageFactory(parent=ProposalIndexPageFactory(), audience=Audience.MEMBERS)
    board_doc = document(Audience.BOARD, "Board annex", b"Marrowdene depot")
    members_doc = document(Audience.MEMBERS, "Members annex", b"Larkspurne hub")
    page.attachments = attach(board_doc, members_doc)
    page.full_clean()
    # Councillors read this page: the board document's words must not make it findable.
    assert "Marrowdene" not in page.attachment_text()
    assert "Larkspurne" in page.attachment_text()


def test_a_public_page_added_inside_a_restricted_section_counts_as_restricted(admin_client):
    """The admin's add form knows the section a new page will sit in (the page is not in the
    tree yet): public minutes under a board-only meeting may not attach a public document."""
    meeting = MeetingPageFactory(audience=Audience.BOARD, exempt_paragraph="3", agenda=[])
    doc = document(Audience.PUBLIC, "Pricing schedule")
    data = board_page_data(
        "Minutes",
        slug="minutes",
        signed_on="2025-04-09",
        attachments=streamfield([("attachment", {"document": doc.pk, "title": ""})]),
        minute_items=inline_formset([]),
        decisions=inline_formset([]),
        declarations=inline_formset([]),
        recorded_votes=inline_formset([]),
    )
    response = post_add(admin_client, MinutesPage, meeting, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "“Pricing schedule” is in the “Public papers” collection" in errors
    assert "this page is for the board only" in errors
    assert not MinutesPage.objects.exists()
    # Where it is allowed, the same form saves (the refusal was the section's doing).
    data["attachments"] = streamfield([])
    assert_saved(post_add(admin_client, MinutesPage, meeting, data))


def test_no_board_page_can_embed_an_image():
    """Images have no privacy in Wagtail, so board content has no way to embed one: no image
    block in any StreamField and no image or embed feature in any rich text."""

    def image_blocks(block):
        if isinstance(block, ImageChooserBlock):
            yield block
        rich = isinstance(block, blocks.RichTextBlock)
        if rich and {"image", "embed"} & set(block.features or ["image"]):
            yield block
        for child in getattr(block, "child_blocks", {}).values():
            yield from image_blocks(child)
        if hasattr(block, "child_block"):
            yield from image_blocks(block.child_block)

    models = [m for m in apps.get_models() if issubclass(m, BoardPage)]
    assert len(models) >= 5
    for model in models:
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                assert not list(image_blocks(field.stream_block)), f"{model.__name__}.{field.name}"
            if isinstance(field, RichTextField):
                features = field.features or ["image"]
                assert not {"image", "embed"} & set(features), f"{model.__name__}.{field.name}"
            assert "image" not in type(field).__name__.lower()
