"""seed_demo: idempotent demo content, the password rule, and generated historical papers."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.html import escape
from modelsearch.conf import get_app_config
from modelsearch.index import insert_or_update_object
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from demo import bulk, history
from home.models import HomePage
from papers.management.commands.search_index_check import database_entries, expected_entries
from papers.models import (
    AgendaItem,
    CabinetCommittee,
    Contract,
    ContractReview,
    Decision,
    Declaration,
    MeetingAttendance,
    MeetingPage,
    Member,
    MinuteItem,
    MinutesPage,
    ProposalPage,
    ProviderProfilePage,
    ServiceArea,
    TrailStep,
    TrainingModulePage,
)
from papers.models.choices import Stage, TrailStepKind
from papers.visibility import missing_training

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-for-tests"


def seed(papers=0, **options):
    call_command("seed_demo", password=PASSWORD, papers=papers, stdout=io.StringIO())


def snapshot():
    """Everything a second run could change: counts, and each page's stored fields."""
    pages = [
        (
            p.url_path,
            p.title,
            p.live,
            p.latest_revision_id,
            p.live_revision_id,
            str(p.last_published_at),
        )
        for p in Page.objects.order_by("path")
    ]
    specific = [
        json.dumps(p.specific.serializable_data(), sort_keys=True, default=str)
        for p in Page.objects.filter(depth__gt=2).order_by("path")
    ]
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            PageLogEntry,
            Member,
            CabinetCommittee,
            ServiceArea,
            Decision,
            Declaration,
            MinuteItem,
            AgendaItem,
            MeetingAttendance,
            Contract,
            ContractReview,
            Tag,
            get_user_model(),
        )
    }
    members = list(Member.objects.values_list("name", "political_group", "board_role", "user_id"))
    return pages, specific, counts, members


def references():
    return sorted(
        ReferenceIndex.objects.values_list(
            "content_type_id", "object_id", "to_content_type_id", "to_object_id", "content_path"
        )
    )


def search_entries():
    index_entry = get_app_config().get_model("IndexEntry")
    return sorted(index_entry.objects.values_list("content_type_id", "object_id", "title", "body"))


def test_second_run_changes_nothing():
    seed(papers=20)
    first = snapshot()
    seed(papers=20)
    assert snapshot() == first
    for username in ("admin", "officer", "chair", "member", "councillor"):
        assert get_user_model().objects.get(username=username).check_password(PASSWORD)


def test_demo_content_covers_the_brief(settings):
    settings.DEBUG = True  # the default password is accepted only with DEBUG on
    call_command("seed_demo", stdout=io.StringIO())
    # The seed indexes references once per object at its end (demo.seed): the same index as
    # Wagtail's own rebuild, so an editor's "Used in" lists are right on the demo.
    seeded = references()
    call_command("rebuild_references_index", stdout=io.StringIO())
    assert seeded and references() == seeded
    # Likewise the search index, added to once per object at the seed's end: it holds every
    # page, document and decision, each as indexing it on its own save writes it.
    call_command("search_index_check", stdout=io.StringIO())
    indexed = search_entries()
    for content_type_id, object_id, *_ in indexed:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        insert_or_update_object(model.objects.get(pk=object_id))
    assert len(indexed) > 50 and search_entries() == indexed
    assert get_user_model().objects.get(username="member").check_password("changeme")
    assert Member.objects.filter(is_current=True).exclude(board_role="substitute").count() == 13
    assert {"Conservative", "Labour", "Liberal Democrat", "Green", "Independent"} <= set(
        Member.objects.values_list("political_group", flat=True)
    )
    chair = Member.objects.get(board_role="chair")
    assert chair.user.username == "chair"
    assert Member.objects.filter(user__username="member", board_role="member").exists()
    # Training before board papers (issue 13): the usual board member has done the required
    # module, so the journeys read board papers; "trainee" has not.
    users = get_user_model().objects
    assert not missing_training(users.get(username="member"))
    assert [m.slug for m in missing_training(users.get(username="trainee"))] == [
        "confidential-information"
    ]
    assert MeetingPage.objects.live().count() >= 4
    assert MeetingPage.objects.filter(start__year=2027).count() >= 2  # upcoming
    with_decisions = [m for m in MinutesPage.objects.live() if m.decisions.exists()]
    assert len(with_decisions) >= 4
    assert all(m.signed_on for m in with_decisions)
    assert Declaration.objects.exists()
    assert {d.outcome for d in Decision.objects.all()} == {
        "agreed",
        "not_agreed",
        "deferred",
        "noted",
    }
    proposals = ProposalPage.objects.all()
    assert proposals.count() >= 8
    assert {p.stage for p in proposals} == set(Stage.values)
    assert proposals.filter(programme__startswith="Transformation").exists()
    weighted = proposals.exclude(price_weighting=None)
    assert weighted.exists()
    for p in weighted:
        assert p.price_weighting + p.quality_weighting + p.social_value_weighting == 100
    assert any(len(p.options_appraisal) >= 2 for p in proposals)
    # Advice trails (issue 12): full ones, advice followed, partly and not followed, on a
    # public and on a board-only proposal.
    decided = TrailStep.objects.filter(kind=TrailStepKind.KEY_DECISION)
    assert set(decided.values_list("advice_followed", flat=True)) == {
        "followed",
        "partly",
        "not_followed",
    }
    for audience in ("public", "board"):
        assert decided.filter(advice_followed="not_followed", proposal__audience=audience).exists()
    full = [p for p in proposals.live() if {s.kind for s in p.trail.all()} == set(TrailStepKind)]
    assert len(full) >= 4
    providers = ProviderProfilePage.objects.all()
    assert len({p.sector for p in providers}) == 5
    assert ContractReview.objects.filter(
        title__icontains="six-month", provider__title__icontains="facilities"
    ).exists()
    assert TrainingModulePage.objects.count() >= 4
    about = Page.objects.get(slug="about")
    assert {"membership", "12-month-review", "12-month-review-pack"} <= set(
        about.get_children().values_list("slug", flat=True)
    )
    # Published through revisions, so each page has a history.
    for page in Page.objects.filter(depth__gt=2, live=True):
        assert page.live_revision_id is not None, page.title


def test_default_password_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--password"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def generated_proposals():
    return ProposalPage.objects.filter(reference__contains="/H").order_by("path")


def test_generated_papers_are_deterministic_valid_and_searchable(monkeypatch):
    """Paper i depends only on i: another Python process (another hash seed) generates the
    same titles, and the database holds exactly what the generator describes."""
    monkeypatch.setattr(bulk, "CHUNK", 20)  # inserted in three chunks, as 100,000 would be
    seed(papers=50)
    code = (
        "import django, json; django.setup(); from demo import history; "
        "print(json.dumps([history.paper(i)['title'] for i in range(50)]))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    ).stdout
    other_process = json.loads(out)
    assert other_process == [history.paper(i)["title"] for i in range(50)]
    assert list(generated_proposals().values_list("title", flat=True)) == other_process
    assert len(set(other_process)) > 40  # varied text, not one title repeated

    assert Page.find_problems() == ([], [], [], [], [])
    home = HomePage.objects.get()
    for page in Page.objects.descendant_of(home):
        assert page.url_path == page.get_parent().url_path + page.slug + "/"
    # No update_index run: seed_demo indexes what it generates.
    spec = history.paper(7)
    results = ProposalPage.objects.live().search(spec["district"])
    assert spec["title"] in [p.title for p in results]
    assert MinutesPage.objects.live().search(history.paper(3)["title"]).count() >= 1
    if connection.vendor == "sqlite":  # statistics for its planner, which gathers none itself
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'papers_decision'")
            assert cursor.fetchone()[0] > 0


def test_generated_minutes_carry_decisions_and_a_smaller_run_after_a_bigger_adds_nothing():
    seed(papers=25)
    seed(papers=50)  # completes the half-filled third meeting, adds two more
    assert generated_proposals().count() == 50
    decisions = Decision.objects.filter(reference__contains="/H")
    assert decisions.count() == 50
    assert set(decisions.values_list("proposal__reference", flat=True)) == set(
        generated_proposals().values_list("reference", flat=True)
    )
    generated_minutes = MinutesPage.objects.filter(
        reference__contains="/M/20", paper_date__year__lt=2025
    )
    assert generated_minutes.count() == 5
    for minutes in generated_minutes:
        assert minutes.live and minutes.decisions.count() == 10
        assert minutes.minute_items.count() == 10
        # The revision is what an editor opens: it holds every decision too.
        assert len(minutes.get_latest_revision_as_object().decisions.all()) == 10
    # Decisions and minute items are searched on their own: all of them are in the index,
    # those of new meetings and those added to the half-filled one.
    expected = expected_entries()
    held = database_entries({ct for entries in expected.values() for ct, _ in entries})
    assert set().union(*expected.values()) - held == set()
    before = snapshot()
    seed(papers=10)
    assert snapshot() == before


SECTIONS = [
    "/",
    "/about/",
    "/about/membership/",
    "/meetings/",
    "/proposals/",
    "/providers/",
    "/training/",
]


def test_seeded_site_answers_with_demo_content(client):
    seed(papers=10)
    pages = {url: client.get(url) for url in SECTIONS}
    for url, response in pages.items():
        assert response.status_code == 200, url
    assert "Cllr Helen Marsh" in pages["/about/membership/"].content.decode()
    assert "Recommission home care" in pages["/proposals/"].content.decode()
    assert "Meridian Facilities Services plc" in pages["/providers/"].content.decode()
    assert "The commissioning cycle" in pages["/training/"].content.decode()
    for page in (
        MeetingPage.objects.get(slug="2025-03-12"),
        MinutesPage.objects.get(reference="CAB/M/2025-03-12"),
        ProposalPage.objects.get(slug="recommission-home-care"),
        generated_proposals().first(),
        MinutesPage.objects.filter(reference__contains="/M/2015").first(),
    ):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode()

    # Generated pages are ordinary Wagtail pages: they open in the editor with their history.
    client.force_login(get_user_model().objects.get(username="admin"))
    proposal = generated_proposals().first()
    minutes = MinutesPage.objects.filter(reference__contains="/M/2015").first()
    for page in (proposal, minutes):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        assert escape(page.title) in response.content.decode()
        assert client.get(f"/admin/pages/{page.pk}/history/").status_code == 200
