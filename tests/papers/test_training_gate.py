"""Training before board papers (issue 13, item 2): with REQUIRE_TRAINING_FOR_BOARD_PAPERS on, a
board member who has not completed the modules marked "required before board papers" reads the
site as a councillor does, on every surface; opening a board paper or document shows the
modules to complete and is logged as refused. Officers and the Chair are never held back."""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

from papers.confidentiality import collection_for
from papers.models import AccessLogEntry, BoardDocument, TrainingCompletion
from papers.models.choices import Audience
from papers.roles import ensure_roles
from papers.visibility import can_view, can_view_document, missing_training, visible_pages
from tests.factories import (
    BoardMemberUserFactory,
    ChairUserFactory,
    CouncillorUserFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    SuperuserFactory,
    TrainingIndexPageFactory,
    TrainingModulePageFactory,
    paragraphs,
)

pytestmark = pytest.mark.django_db

SECRET_WORD = "Quillhavenshire"
MEMBERS_WORD = "Wendlebury"
DOCUMENT_WORD = "Marrowdene"
HOW = "Book a session with Democratic Services."


def gating(on):
    return {**settings.BOARD_PAPERS, "REQUIRE_TRAINING_FOR_BOARD_PAPERS": on}


@pytest.fixture
def site(settings):
    settings.BOARD_PAPERS = gating(True)
    ensure_roles()
    training = TrainingIndexPageFactory()
    required = TrainingModulePageFactory(
        parent=training,
        title="Handling exempt information",
        required_for_board_papers=True,
        how_to_complete=HOW,
    )
    optional = TrainingModulePageFactory(parent=training, title="Social value in procurement")
    index = ProposalIndexPageFactory()
    secret = ProposalPageFactory(
        parent=index,
        title="Bidder shortlist for home care",
        audience=Audience.BOARD,
        exempt_paragraph="3",
        body=paragraphs(f"The {SECRET_WORD} consortium's bid is the lowest."),
    )
    briefing = ProposalPageFactory(
        parent=index,
        title="Transformation programme briefing",
        audience=Audience.MEMBERS,
        body=paragraphs(f"Phase two starts in {MEMBERS_WORD}."),
    )
    document = BoardDocument(title="Bidder pricing schedule", collection=collection_for("board"))
    document.file.save("pricing.txt", ContentFile(f"{DOCUMENT_WORD} 3.12m".encode()), save=False)
    document.save()
    trained = BoardMemberUserFactory()
    TrainingCompletion.objects.create(
        module=required, user=trained, completed_on=datetime.date(2025, 3, 12)
    )
    return {
        "required": required,
        "optional": optional,
        "secret": secret,
        "briefing": briefing,
        "document": document,
        "trained": trained,
        "untrained": BoardMemberUserFactory(),
    }


def client_for(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def text(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def test_a_board_member_without_the_required_module_reads_as_a_councillor(site):
    untrained, trained = site["untrained"], site["trained"]
    assert missing_training(untrained) == [site["required"]]
    assert missing_training(trained) == []
    assert not can_view(untrained, site["secret"]) and can_view(trained, site["secret"])
    assert can_view(untrained, site["briefing"])  # members' papers stay open, as a councillor's
    assert not can_view_document(untrained, site["document"])
    assert can_view_document(trained, site["document"])
    councillor = CouncillorUserFactory()
    for user in (untrained, councillor):
        assert set(visible_pages(user).values_list("pk", flat=True)) == set(
            visible_pages(councillor).values_list("pk", flat=True)
        )


def test_opening_a_board_paper_names_the_modules_and_is_logged(site):
    client = client_for(site["untrained"])
    for obj, url, kind in [
        (site["secret"], site["secret"].url, "page"),
        (site["document"], site["document"].url, "document"),
    ]:
        response = client.get(url)
        body = text(response)
        assert response.status_code == 403
        assert "no-store" in response["Cache-Control"]
        assert "Handling exempt information" in body and HOW in body
        assert site["required"].url in body
        assert "Social value in procurement" not in body  # not required
        assert obj.title not in body and SECRET_WORD not in body
        entry = AccessLogEntry.objects.get(object_type=kind, object_id=obj.pk)
        assert entry.outcome == "training required"
        assert entry.username == site["untrained"].username
    # A trained board member reads both, logged as views.
    trained = client_for(site["trained"])
    assert trained.get(site["secret"].url).status_code == 200
    assert trained.get(site["document"].url).status_code == 200
    viewed = AccessLogEntry.objects.filter(username=site["trained"].username)
    assert set(viewed.values_list("outcome", flat=True)) == {"viewed"}


def test_completing_the_module_opens_the_papers_at_once(site):
    client = client_for(site["untrained"])
    assert client.get(site["secret"].url).status_code == 403
    TrainingCompletion.objects.create(
        module=site["required"], user=site["untrained"], completed_on=datetime.date.today()
    )
    assert client.get(site["secret"].url).status_code == 200


def test_an_unpublished_required_module_holds_no_one_back(site):
    site["required"].unpublish()
    assert missing_training(site["untrained"]) == []
    assert client_for(site["untrained"]).get(site["secret"].url).status_code == 200


def test_officers_the_chair_and_administrators_are_not_held_back(site):
    for user in (OfficerFactory(), ChairUserFactory(), SuperuserFactory()):
        assert missing_training(user) == []
        assert client_for(user).get(site["secret"].url).status_code == 200, user.username
    # A board member who is also the Chair is not held back either.
    both = ChairUserFactory()
    both.groups.add(*site["untrained"].groups.all())
    assert client_for(both).get(site["secret"].url).status_code == 200


def test_with_the_setting_off_no_one_is_held_back(site, settings):
    settings.BOARD_PAPERS = gating(False)
    assert missing_training(site["untrained"]) == []
    assert client_for(site["untrained"]).get(site["secret"].url).status_code == 200


def test_the_default_is_off_and_this_site_turns_it_on():
    from papers.conf import DEFAULTS

    assert DEFAULTS["REQUIRE_TRAINING_FOR_BOARD_PAPERS"] is False
    assert settings.BOARD_PAPERS["REQUIRE_TRAINING_FOR_BOARD_PAPERS"] is True


SURFACES = [
    "/search/?q={word}",
    "/api/v2/pages/?search={word}",
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/{id}/",
    "/api/v2/documents/",
    "/api/v2/documents/?search={doc_word}",
    "/api/v2/documents/{doc_id}/",
    "/proposals/",
    "/feeds/all/",
    "/feeds/proposals/",
    "/sitemap.xml",
]


def surfaces(site):
    values = {
        "word": SECRET_WORD,
        "doc_word": DOCUMENT_WORD,
        "id": site["secret"].pk,
        "doc_id": site["document"].pk,
    }
    return [s.format(**values) for s in SURFACES]


def test_every_surface_hides_board_papers_from_an_untrained_board_member(site):
    """What the trained member finds, the untrained one does not: search, API, listings,
    feeds, sitemap; members' papers they still find."""
    untrained, trained = client_for(site["untrained"]), client_for(site["trained"])
    secret, document = site["secret"], site["document"]
    found_by_trained = 0
    for url in surfaces(site):
        seen = text(trained.get(url))
        if secret.title in seen or document.title in seen:
            found_by_trained += 1
        response = untrained.get(url)
        assert response.status_code < 500, url
        body = text(response)
        for term in (secret.title, SECRET_WORD, document.title, DOCUMENT_WORD):
            if term in url:
                continue  # a search echoes its own words: the paper's title must not show
            assert term not in body, f"{term!r} at {url} for an untrained board member"
    assert found_by_trained >= 6, found_by_trained
    search = text(untrained.get(f"/search/?q={MEMBERS_WORD}"))
    assert site["briefing"].title in search


def test_exempt_business_in_public_minutes_stays_a_notice(site):
    """Reading exempt minutes in full follows the same rule (papers.visibility.reads_exempt)."""
    from papers.visibility import reads_exempt

    assert reads_exempt(site["trained"]) and not reads_exempt(site["untrained"])
