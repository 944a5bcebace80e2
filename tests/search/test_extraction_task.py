"""Text extraction runs as a background task (django-tasks), never in the upload request.

With the production set-up (django-tasks-db's DatabaseBackend), the upload returns at once
with a "pending" note; `manage.py db_worker --backend extraction` then reads the text in a
limited child process, notes any failure, and reindexes the document and the pages
attaching it. A bomb costs the worker only its time limit: the next task still runs.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from papers import sandbox
from papers.confidentiality import collection_for
from papers.models import BoardDocument
from papers.models.choices import Audience
from papers.search.tasks import sandbox_note
from tests.factories import OfficerFactory
from tests.papers import hostile_files as hostile

from .conftest import attach, build_site, build_users, client_for
from .test_search_page import titles

pytestmark = pytest.mark.django_db

QUEUED = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "extraction": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def upload(name, data):
    client = Client()
    client.force_login(OfficerFactory())
    started = time.perf_counter()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": collection_for(Audience.PUBLIC).pk,
        },
    )
    assert response.status_code == 302
    return BoardDocument.objects.get(title=name), time.perf_counter() - started


# The worker closes the connection between tasks, as in production: these tests commit for
# real (a transactional test) and restore the migrated data afterwards.
commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# Built for each test and committed: the search tests' shared, rolled-back site
# (tests/search/conftest.py) is invisible to the worker's own connection.
@pytest.fixture
def users():
    return build_users()


@pytest.fixture
def site(users):
    return build_site()


def run_worker():
    call_command("db_worker", "--backend", "extraction", "--batch", "--no-startup-delay")


@commits
@override_settings(TASKS=QUEUED)
def test_upload_returns_at_once_and_the_worker_fills_the_text_and_reindexes(site, users):
    document, _ = upload("appendix.pdf", hostile.text_pdf("Appendix on dromedary logistics"))
    assert document.extracted_text == ""
    assert document.extraction_note.startswith("Text extraction pending")
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    attach(site["transport"], document)
    anonymous = client_for(users, "anonymous")
    assert titles(anonymous.get("/search/", {"q": "dromedary"})) == []

    run_worker()
    document.refresh_from_db()
    assert "dromedary logistics" in document.extracted_text
    assert document.extraction_note == ""
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert titles(anonymous.get("/search/", {"q": "dromedary"})) == ["Home to school transport"]


@commits
@override_settings(TASKS=QUEUED, EXTRACTION_TIMEOUT=3)
def test_a_pdf_bomb_costs_the_worker_its_time_limit_and_the_next_task_still_runs():
    bomb, bomb_request = upload("bomb.pdf", hostile.pdf_bomb())
    clean, _ = upload("minutes.docx", hostile.docx_bytes("Minutes about the pangolin bid"))
    assert bomb_request < 5  # only the quick upload checks run in the request
    assert bomb.extraction_note.startswith("Text extraction pending")

    started = time.perf_counter()
    run_worker()
    assert time.perf_counter() - started < 20
    bomb.refresh_from_db()
    clean.refresh_from_db()
    # The time limit stops it, or pypdf's own guard first on a fast machine: at most 3 s either
    # way, and the note says the file may be built to overload readers.
    assert "built to overload readers" in bomb.extraction_note
    assert "The file itself is kept" in bomb.extraction_note
    assert "pangolin bid" in clean.extracted_text
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_parser_over_the_memory_limit_is_stopped_and_noted():
    # Within the limit it runs; over it the child fails alone and the worker gets a note.
    assert sandbox.run("tests.papers.hostile_files:allocate", b"", 16, memory_mb=256) == 16 << 20
    with pytest.raises(sandbox.SandboxError) as stopped:
        sandbox.run("tests.papers.hostile_files:allocate", b"", 2048, memory_mb=256)
    assert stopped.value.kind == "memory"
    with override_settings(EXTRACTION_MEMORY_MB=256):
        assert "needed more than 256 MB of memory" in sandbox_note(stopped.value)
