"""WCAG 2.2 AA with axe-core in Chromium: every page type, search with and without results, the
decisions register, sign-in and its errors, 403 and 404, as the public, a councillor and a board
member. And keyboard-only use: the skip link first, focus always visible, no traps."""

import datetime
import json
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from home.models import HomePage, StandardPage
from papers.alert_mail import Item
from papers.digest import Week, build_digest
from papers.digest_email import digest_message
from papers.models import (
    MeetingIndexPage,
    MeetingPage,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
    ProviderIndexPage,
    ProviderProfilePage,
    ReviewPackPage,
    TrainingIndexPage,
    TrainingModulePage,
)
from papers.models.choices import Audience, MeetingStatus
from papers.reminders import build_message
from tests.a11y.helpers import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.same_on_any_database]

PAGE_MODELS = [
    HomePage,
    StandardPage,
    MeetingIndexPage,
    MeetingPage,
    MinutesPage,
    ProposalIndexPage,
    ProposalPage,
    ProviderIndexPage,
    ProviderProfilePage,
    TrainingIndexPage,
    TrainingModulePage,
    ReviewPackPage,
]


def public(model):
    page = model.objects.live().filter(**_public_filter(model)).order_by("path").first()
    assert page is not None, f"the demo has no public {model.__name__}"
    return page.url


def _public_filter(model):
    return {"audience": Audience.PUBLIC} if hasattr(model, "audience") else {}


def public_urls():
    """One public page of every page type, plus the variants that render differently."""
    urls = [public(model) for model in PAGE_MODELS]
    urls += [
        "/accessibility/",
        MeetingPage.objects.live().filter(status=MeetingStatus.SCHEDULED).first().url,
        "/decisions/",
        "/decisions/?outcome=agreed",
        "/decisions/?advice=not_followed",
        "/forward-plan/",
        "/follow/",  # the plain-English page behind the feed links
        "/attendance/",
        "/attendance/?from=2025-03-12&to=2026-03-11",
        "/attendance/?from=31-02-2025&to=nonsense",  # bad dates, with the error summary
        "/contracts/",
        "/open-data/",
        "/contracts/?attention=yes&sector=nonsense",  # filtered, with a notice
        "/members/interests/",  # the register of interests, a sensitive one withheld
        "/social-value/",
        "/meetings/2026-09-16/",  # providers who attended
        "/providers/weald-home-care-partnership/",  # social value delivered at its review
        "/search/",
        "/search/?q=home+care",  # results, with highlighted snippets and facets
        "/search/?q=qwxyzzyplugh",  # no results
        "/search/?q=care&type=nonsense&date_from=31-02-2025&page=abc&sort=%3Cscript%3E",  # bad input
        "/login/",
        "/follow/",
        "/alerts/subscribe/",  # email alerts (issue 13): the form, for a search, and sent
        "/alerts/subscribe/?q=home+care&type=proposal",
        "/alerts/subscribe/check-email/",
        "/no-such-page/",  # 404
    ]
    cancelled = MeetingPage.objects.live().filter(status=MeetingStatus.CANCELLED).first()
    if cancelled is not None:
        urls.append(cancelled.url)
    return list(dict.fromkeys(urls))


class Scanner:
    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url
        self.results = {}

    def visit(self, path, label=None, expect_status=None):
        response = self.page.goto(self.base_url + path)
        if expect_status is not None:
            assert response.status == expect_status, f"{path} answered {response.status}"
        else:
            assert response.status < 400, f"{path} answered {response.status}"
        self.scan(label or path)

    def scan(self, label):
        self.page.wait_for_load_state("networkidle")
        self.results[label] = axe_violations(self.page)

    def report(self):
        os.makedirs("test-artifacts", exist_ok=True)
        with open("test-artifacts/axe-report.json", "w") as out:
            json.dump(self.results, out, indent=2)
        failures = {label: v for label, v in self.results.items() if v}
        return failures


def test_axe_finds_violations_when_there_are_some(browser_page):
    """The scanner itself works (offline, with the WCAG 2.2 rules): a bad page fails."""
    browser_page.set_content(
        '<html><body><img src="x.png"><a href="/"></a>'
        '<input type="text"><p style="color:#bbb;background:#fff">Low contrast</p></body></html>'
    )
    found = " ".join(axe_violations(browser_page))
    for rule in ("image-alt", "link-name", "label", "html-has-lang", "color-contrast"):
        assert rule in found


def test_every_page_passes_axe(demo, live_server, browser_page):
    base = live_server.url
    scanner = Scanner(browser_page, base)

    # The public.
    for path in public_urls():
        scanner.visit(path, expect_status=404 if path == "/no-such-page/" else None)
    for path in ("/alerts/confirm/not-a-token/", "/alerts/unsubscribe/not-a-token/"):
        scanner.visit(path, "alerts: a link that does not work", expect_status=400)
    browser_page.goto(base + "/alerts/subscribe/")
    browser_page.get_by_role("button", name="Subscribe").click()
    browser_page.wait_for_load_state()
    assert browser_page.get_by_text("There is a problem").first.is_visible()
    scanner.scan("alerts: subscribe form with errors")
    restricted = ProposalPage.objects.live().filter(audience=Audience.BOARD).first()
    response = browser_page.goto(base + restricted.url)
    assert "/login/" in browser_page.url, "an anonymous visitor is sent to sign in"
    scanner.scan("sign-in, sent from a confidential paper")

    # Sign-in with its errors: empty, wrong password, then locked out.
    browser_page.goto(base + "/login/")
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.wait_for_load_state()
    scanner.scan("sign-in with nothing entered")
    sign_in(browser_page, base, "member", "not-the-password")
    assert browser_page.get_by_text("There is a problem").is_visible()
    scanner.scan("sign-in with a wrong password")
    for _ in range(6):
        sign_in(browser_page, base, "nobody-in-particular", "wrong")
    assert browser_page.get_by_role("heading", name="Signing in is paused").is_visible()
    scanner.scan("sign-in locked out after repeated failures")

    # A councillor: members' briefing readable, board paper refused (403).
    sign_in(browser_page, base, "councillor")
    members_page = (
        StandardPage.objects.live().filter(audience=Audience.MEMBERS).first()
        or ProposalPage.objects.live().filter(audience=Audience.MEMBERS).first()
    )
    scanner.visit(members_page.url, "members-only briefing, as a councillor")
    scanner.visit("/digest/", "backbench digest archive, as a councillor")
    week = Week.current()  # the demo's changes are the week it is seeded (demo.digest)
    scanner.visit(f"/digest/{week.label}/", "backbench digest of this week, as a councillor")
    response = browser_page.goto(base + restricted.url)
    assert response.status == 403
    assert restricted.title not in browser_page.content()
    scanner.scan("403: a councillor opening a board paper")
    browser_page.get_by_role("button", name="Sign out").click()
    browser_page.wait_for_load_state()

    # A board member: confidential paper with attachments, search and register signed in.
    sign_in(browser_page, base, "member")
    scanner.visit(restricted.url, "confidential paper, as a board member")
    scanner.visit("/search/?q=contract", "search results, as a board member")
    scanner.visit("/decisions/", "decisions register, as a board member")
    scanner.visit("/social-value/", "social value page, as a board member")
    scanner.visit(
        "/providers/meridian-facilities-services/",
        "provider with social value delivered, as a board member",
    )
    scanner.visit(
        "/account/", "account page (training record, saved searches, notes), as a board member"
    )
    scanner.visit("/search/?q=care", "search results with 'Save this search', as a board member")
    # The demo's March 2027 meeting prompts him about his interest in a home care provider.
    meeting = MeetingPage.objects.live().get(slug="2027-03-17")
    scanner.visit(meeting.url, "meeting page with a conflict prompt, as a board member")
    assert browser_page.get_by_text("Your interests and this agenda").is_visible()
    # And the meeting reminder email's HTML, as he would receive it.
    member = get_user_model().objects.get(username="member")
    message = build_message(member, meeting)
    browser_page.set_content(message.alternatives[0][0])
    assert "consider declaring it for item 3" in browser_page.content()
    scanner.scan("meeting reminder email (HTML), as a board member")
    browser_page.goto(base + "/account/")
    # The digest's email as sent (papers.digest_email), in the same browser and rules.
    member = get_user_model().objects.get(username="member")
    email = digest_message(member, build_digest(member, week))
    browser_page.set_content(email.alternatives[0][0])
    scanner.scan("backbench digest email (HTML), as a board member")
    browser_page.goto(base + "/account/")  # back on the site, to sign out
    browser_page.get_by_role("button", name="Sign out").click()
    browser_page.wait_for_load_state()

    # A board member without the required training (issue 13): the page naming the modules.
    sign_in(browser_page, base, "trainee")
    response = browser_page.goto(base + restricted.url)
    assert response.status == 403
    assert restricted.title not in browser_page.content()
    scanner.scan("training required: a board member without the training opening a board paper")

    failures = scanner.report()
    scanned = len(scanner.results)
    assert scanned >= 25, f"only {scanned} pages scanned"
    assert not failures, f"{len(failures)} of {scanned} pages fail axe:\n" + "\n".join(
        f"{label}:\n  " + "\n  ".join(v) for label, v in failures.items()
    )
    print(f"\naxe-core: {scanned} pages scanned, 0 violations (test-artifacts/axe-report.json)")


def focus_style(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {
                tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 60),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                    && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(s.outlineColor),
                shadow: s.boxShadow !== 'none',
                inFooter: !!el.closest('footer'), inMain: !!el.closest('main'),
                visible: el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0,
            };
        }"""
    )


def test_keyboard_only_skip_link_visible_focus_no_traps_and_sign_in(
    demo, live_server, browser_page
):
    page = browser_page
    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")

    page.keyboard.press("Tab")
    first = focus_style(page)
    assert first["text"] == "Skip to main content", first
    assert first["visible"] and (first["outline"] or first["shadow"]), first
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focus_style(page)["inMain"], "after the skip link, the next Tab is inside <main>"

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    seen, unfocused = [], []
    for _ in range(250):
        page.keyboard.press("Tab")
        state = focus_style(page)
        if state["tag"] == "BODY":
            break  # tabbed past the last control: focus left the document, nothing trapped it
        if not (state["outline"] or state["shadow"]):
            unfocused.append(state)
        seen.append(state)
        if state["inFooter"] and len([s for s in seen if s["inFooter"]]) >= 2:
            break
    assert any(s["inFooter"] for s in seen), "Tab never reached the footer: a keyboard trap"
    assert not unfocused, f"focus not visible on: {unfocused}"
    assert len(seen) < 250

    # And back again with Shift+Tab from the footer to the top.
    for _ in range(250):
        page.keyboard.press("Shift+Tab")
        state = focus_style(page)
        if state["text"] == "Skip to main content":
            break
    assert state["text"] == "Skip to main content", "Shift+Tab could not get back to the top"

    # Signing in with the keyboard alone, errors included.
    page.goto(live_server.url + "/login/")
    page.wait_for_load_state("networkidle")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    page.keyboard.type("member")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("wrong password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # The error summary links to the field, so a keyboard user can go straight to it.
    assert re.search(r"#id_(username|password)", summary.inner_html())


def test_alert_emails_pass_axe(browser_page):
    """The HTML part of an alert and of a confirmation email, opened as a page."""
    items = [
        Item("proposal", 1, "Recommission home care", "http://127.0.0.1:8000/proposals/a/",
             datetime.date(2025, 3, 12)),
        Item("decision", 2, "CAB/25/002: Recommission home care",
             "http://127.0.0.1:8000/meetings/m/minutes/#decision-2", datetime.date(2025, 3, 12),
             note="Agreed"),
    ]  # fmt: skip
    context = {
        "description": "Search: “care”",
        "items": items,
        "is_member": True,
        "search_url": "http://127.0.0.1:8000/search/?q=care",
        "account_url": "http://127.0.0.1:8000/account/",
        "unsubscribe_url": "http://127.0.0.1:8000/alerts/unsubscribe/x/",
        "confirm_url": "http://127.0.0.1:8000/alerts/confirm/x/",
        "days": 7,
    }
    for template in ("papers/email/alert.html", "papers/email/confirm.html"):
        browser_page.set_content(render_to_string(template, context))
        assert not axe_violations(browser_page), template
