"""Hostile parameters on every API endpoint: a 200 or a clear 4xx, never a server error.

Table-driven, as thorough as the search page's bad-input tests: every endpoint (pages, each
page type through ``?type=``, decisions, documents, images, the ``find`` views) times every
field it can be filtered by (read from the endpoint itself, so a field added later is tried
too) times hostile values; then every operation parameter (offset, limit, order, fields, type,
search, child_of, ...) with the same values. The request count is printed.
"""

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import get_page_models

from cms.urls import api_router
from papers.confidentiality import collection_for
from papers.models import Decision
from papers.models.choices import Audience
from tests.factories import BoardDocumentFactory
from tests.public.helpers import board_member, build_content

pytestmark = pytest.mark.django_db

HOSTILE = [
    "abc", "-1", str(2**64), "1e309", "NaN", "\x00", "x" * 10_000, "😀",
    "'; DROP TABLE x; --", '"', "'", " ", "", "2025-02-30", "2025-03-12", "true", "1,2",
]  # fmt: skip

OPERATIONS = [
    "offset", "limit", "order", "fields", "type", "search", "search_operator", "child_of",
    "descendant_of", "ancestor_of", "translation_of", "locale", "site", "rich_text_format",
    "format", "unknown_field", "id", "html_path",
]  # fmt: skip

EXTRA_VALUES = {
    "order": ["unknown", "-unknown", "title,unknown", "random", "random,title", "-id", "--id"],
    "fields": ["unknown", "*,unknown", "-unknown", "_,id", "body(unknown)", "*", "-title"],
    "type": ["unknown.Model", "papers.Nope", "wagtailcore.Page", "papers.Decision", "a.b.c"],
    "limit": [str(10**30), "101", "1e3"],
    "offset": [str(2**63), str(2**63 - 1), "1e3"],
}


def endpoints():
    """(base URL, extra parameters, viewset, model) for every listing the API offers."""
    found = []
    for name, viewset in sorted(api_router._endpoints.items()):
        model = viewset.model
        found.append((f"/api/v2/{name}/", {}, viewset, model))
        if name == "pages":
            for page_model in get_page_models():
                if page_model._meta.abstract or not getattr(page_model, "api_fields", None):
                    continue
                label = f"{page_model._meta.app_label}.{page_model.__name__}"
                found.append((f"/api/v2/{name}/", {"type": label}, viewset, page_model))
    return found


def filterable_fields(viewset, model):
    view = viewset()
    return sorted(view.get_available_fields(model, db_fields_only=True))


@pytest.fixture
def content():
    items = build_content()
    BoardDocumentFactory(title="Market position", collection=collection_for(Audience.PUBLIC))
    call_command("update_index", verbosity=0)
    return items


def check(client, url, params, tally, failures):
    response = client.get(url, params, HTTP_HOST="localhost")
    tally["requests"] += 1
    status = response.status_code
    if status >= 500:
        failures.append((url, params, status))
    elif status == 400:
        # A clear message, as JSON, saying what was wrong.
        body = response.json()
        if not body.get("message"):
            failures.append((url, params, "400 without a message"))
    elif status not in (200, 301, 302, 404):
        failures.append((url, params, status))
    return status


@pytest.mark.slow  # thousands of requests
@pytest.mark.parametrize("who", ["anonymous", "board"])
def test_hostile_api_parameters_never_cause_a_server_error(content, who, capsys):
    client = Client(raise_request_exception=False)
    if who == "board":
        client.force_login(board_member())
    tally, failures = {"requests": 0}, []
    tried = set()
    for url, extra, viewset, model in endpoints():
        if extra and who != "anonymous":
            continue  # signed in: the plain endpoints (the page types are tried anonymously)
        # Every field the endpoint filters on, with every hostile value (a field shared by
        # every page type is tried once, on the plain listing).
        for field in filterable_fields(viewset, model):
            if (url, field) in tried:
                continue
            tried.add((url, field))
            for value in HOSTILE:
                check(client, url, {**extra, field: value}, tally, failures)
        if extra:
            for value in HOSTILE:  # operations that change with the type
                for operation in ("order", "fields", "search"):
                    check(client, url, {**extra, operation: value}, tally, failures)
            continue
        # Every operation parameter, on the listing and on the find view.
        for operation in OPERATIONS:
            for value in HOSTILE + EXTRA_VALUES.get(operation, []):
                check(client, url, {operation: value}, tally, failures)
                check(client, f"{url}find/", {operation: value}, tally, failures)
        # Details: impossible ids.
        for pk in ["0", "-1", str(2**63), str(2**64), "99999999999999999999", "abc", "1e3"]:
            check(client, f"{url}{pk}/", {}, tally, failures)
    assert not failures, failures[:20]
    with capsys.disabled():
        print(f"\nhostile API parameters ({who}): {tally['requests']} requests, 0 server errors")


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/api/v2/pages/find/", {"id": "abc"}, "id must be"),
        ("/api/v2/pages/", {"offset": str(2**64)}, "offset must be"),
        ("/api/v2/decisions/", {"offset": str(2**64)}, "offset must be"),
        ("/api/v2/documents/", {"offset": str(2**64)}, "offset must be"),
        ("/api/v2/images/", {"offset": str(2**64)}, "offset must be"),
        ("/api/v2/pages/", {"search": " "}, "search"),
        ("/api/v2/pages/", {"search": '"'}, "search"),
        ("/api/v2/documents/", {"search": " "}, "search"),
        ("/api/v2/images/", {"search": '"'}, "search"),
        (
            "/api/v2/pages/",
            {"type": "papers.ProposalPage", "estimated_value": "abc"},
            "estimated_value",
        ),
        (
            "/api/v2/pages/",
            {"type": "papers.ProposalPage", "paper_date": "2025-02-30"},
            "paper_date",
        ),
        ("/api/v2/pages/", {"type": "papers.MeetingPage", "start": "abc"}, "start"),
        ("/api/v2/pages/", {"first_published_at": "abc"}, "first_published_at"),
        (
            "/api/v2/pages/",
            {"type": "papers.ProposalPage", "related_providers": "abc"},
            "related_providers",
        ),
    ],
)
def test_the_reported_bad_inputs_get_a_clear_message(client, content, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    assert message in response.json()["message"]


def test_an_impossible_meeting_id_in_the_calendar_is_not_found(client, content):
    assert client.get("/calendar/meetings/99999999999999999999.ics").status_code == 404


def test_decisions_field_filters_work_for_good_values(client, content):
    """The validation does not turn good filters away."""
    decision = Decision.objects.get(reference="CAB/25/031")
    response = client.get(
        "/api/v2/decisions/", {"outcome": "agreed", "minutes": decision.minutes_id}
    )
    assert response.status_code == 200
    assert decision.pk in {item["id"] for item in response.json()["items"]}
    proposals = client.get(
        "/api/v2/pages/", {"type": "papers.ProposalPage", "paper_date": "2025-03-12"}
    )
    assert proposals.status_code == 200 and proposals.json()["items"]
