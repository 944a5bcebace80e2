"""Shared by the accessibility and journey tests: signing in and axe-core."""

from axe_playwright_python.sync_playwright import Axe

from tests.two_factor import give_code_in_browser, prepare_browser_sign_in

DEMO_PASSWORD = "journeys-and-axe-2026"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()  # axe-core as shipped inside axe-playwright-python: no network needed


def sign_in(page, base_url, username, password=DEMO_PASSWORD, next_path=None):
    """Password, then (for those who need one) the code from a device made for the test."""
    prepare_browser_sign_in(username)
    url = f"{base_url}/login/" + (f"?next={next_path}" if next_path else "")
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    give_code_in_browser(page, username)


def axe_violations(page):
    """Violations of WCAG 2.0/2.1/2.2 A and AA on the page as it stands, one line each."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    assert results.get("testEngine", {}).get("name") == "axe-core"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
    ]
