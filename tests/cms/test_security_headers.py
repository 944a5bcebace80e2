"""Issue 9: Content-Security-Policy and Permissions-Policy headers on the site, the admin, the
feeds and the calendar; documents keep their own stricter policy; previews may be framed by the
admin only. (Chromium checks the policies cause no violations: test_csp_browser.)"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from papers.confidentiality import collection_for
from papers.models import BoardDocument
from tests.factories import ProposalIndexPageFactory, ProposalPageFactory, SuperuserFactory

pytestmark = pytest.mark.django_db

STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def directives(response):
    return [d.strip() for d in response["Content-Security-Policy"].split(";")]


@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=care", "/login/", "/feeds/all/", "/calendar/meetings.ics", "/nope/"],
)
def test_public_responses_carry_the_strict_policy(path):
    response = Client(HTTP_HOST="localhost").get(path)
    got = directives(response)
    for directive in STRICT:
        assert directive in got, f"{path}: {directive} missing from {got}"
    assert "unsafe" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_the_admin_allows_inline_scripts_and_styles_and_nothing_else_more():
    client = Client(HTTP_HOST="localhost")
    client.force_login(SuperuserFactory())
    got = directives(client.get("/admin/"))
    assert "script-src 'self' 'unsafe-inline'" in got
    assert "style-src 'self' 'unsafe-inline'" in got
    for directive in STRICT:
        if not directive.startswith(("script-src", "style-src")):
            assert directive in got


def test_a_page_preview_may_be_framed_by_the_admin_only():
    client = Client(HTTP_HOST="localhost")
    client.force_login(SuperuserFactory())
    page = ProposalPageFactory(parent=ProposalIndexPageFactory())
    response = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in directives(response)


def test_documents_keep_their_own_stricter_policy():
    document = BoardDocument(title="Public report", collection=collection_for("public"))
    document.file.save("report.txt", ContentFile(b"Plain words."), save=False)
    document.save()
    response = Client(HTTP_HOST="localhost").get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
