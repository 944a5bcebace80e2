"""Issue 9: Content-Security-Policy and Permissions-Policy hold in Chromium, with 0 violations,
on every public page type and on the admin pages the officer and the Chair use. The site's
policy allows nothing inline; the admin's allows inline scripts and styles only (Wagtail 8
needs them: see papers.security_headers).

Violations are collected from the browser itself: a ``securitypolicyviolation`` listener on
every document (an init script reporting to Python) and Chromium's console messages.
"""

import os

import pytest
from django.urls import reverse
from wagtail.models import Page

from papers.models import ProposalPage
from tests.a11y.helpers import DEMO_PASSWORD
from tests.a11y.test_axe import public_urls
from tests.two_factor import give_code_in_browser, prepare_browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.same_on_any_database]

LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


class ViolationLog:
    """Every CSP violation the browser reports, with the page it happened on."""

    def __init__(self, page):
        self.page, self.found, self.visited = page, [], []
        page.context.expose_function("reportCspViolation", self.add)
        page.context.add_init_script(LISTENER)
        page.on("console", self.console)

    def add(self, text):
        self.found.append(f"{self.page.url}: {text}")

    def console(self, message):
        if "Content Security Policy" in message.text or "Permissions policy" in message.text:
            self.found.append(f"{self.page.url}: {message.text}")

    def write(self):
        os.makedirs("test-artifacts", exist_ok=True)
        with open("test-artifacts/csp-violations.txt", "w") as out:
            out.write("\n".join(self.found))

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status < 500, f"{url} answered {response.status}"
        csp = response.headers["content-security-policy"]
        assert "object-src 'none'" in csp and "default-src 'self'" in csp, url
        if "/admin/" not in url:
            assert "unsafe-inline" not in csp, url
        self.page.wait_for_load_state("networkidle")
        self.visited.append(url)
        self.write()
        return response


def admin_sign_in(page, base, username):
    page.context.clear_cookies()
    prepare_browser_sign_in(username)
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    give_code_in_browser(page, username)
    assert "/admin/login/" not in page.url, "could not sign in to the admin"


def edit_urls(base):
    """The edit view of one page of each type the officer works on."""
    pages = Page.objects.filter(depth__gt=1).order_by("path").specific()
    one_each = {}
    for page in pages:
        one_each.setdefault(type(page), page)
    return [f"{base}/admin/pages/{page.pk}/edit/" for page in one_each.values()]


def open_a_chooser(log, base, page):
    """On a proposal's edit form, open the service area chooser (a modal loaded by fetch)."""
    proposal = ProposalPage.objects.live().order_by("path").first()
    log.visit(f"{base}/admin/pages/{proposal.pk}/edit/")
    # The area is already chosen, so "Change" sits in the widget's menu: press it directly.
    page.locator("[data-chooser-action-choose]").first.dispatch_event("click")
    page.get_by_role("dialog").first.wait_for()
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_site_and_admin_pages_have_no_csp_violations(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    log = ViolationLog(page)

    # The policy is there on the site, the admin and the feeds; documents keep their own.
    response = log.visit(base + "/")
    csp = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response.headers["permissions-policy"]

    # Every public page type, search with results, decisions, sign-in, a 404.
    for path in public_urls():
        log.visit(base + path)

    # The officer: dashboard, explorer, each page type's edit form, a chooser, documents, history.
    admin_sign_in(page, base, "officer")
    log.visit(f"{base}/admin/")
    log.visit(f"{base}/admin/pages/")
    home = Page.objects.get(depth=2)
    log.visit(f"{base}/admin/pages/{home.pk}/")
    for url in edit_urls(base):
        log.visit(url)
    open_a_chooser(log, base, page)
    log.visit(f"{base}/admin/documents/")
    log.visit(f"{base}/admin/documents/multiple/add/")
    log.visit(f"{base}/admin/reports/site-history/")

    # The Chair: the approval queue, the submitted page with its approve dialog, history.
    admin_sign_in(page, base, "chair")
    log.visit(f"{base}/admin/")
    submitted = ProposalPage.objects.get(slug="carers-support-services")
    log.visit(f"{base}/admin/pages/{submitted.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve with comment").click()
    page.get_by_role("dialog").first.wait_for()
    page.wait_for_load_state("networkidle")
    log.visit(f"{base}/admin/pages/{submitted.pk}/history/")
    log.visit(f"{base}/admin/reports/site-history/")
    log.visit(base + reverse("access_log:index"))

    assert len(log.visited) > 30
    assert log.found == [], "\n".join(log.found)
