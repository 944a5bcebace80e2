"""Two-factor sign-in in Chromium: an officer signs in to the admin with a password and then a
TOTP code; a new officer enrols from the QR page's key and is shown recovery codes."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.a11y.helpers import axe_violations
from tests.factories import OfficerFactory
from tests.two_factor import PASSWORD, code_for, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.same_on_any_database]


@pytest.fixture
def db_for_browser(chromium, django_db_serialized_rollback, transactional_db):
    """A transactional database restored after each test, as tests/conftest.py's ``demo``
    fixture does, so the next browser test finds the home page."""


def password_step(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_officer_signs_in_with_a_totp_code(db_for_browser, live_server, browser_page):
    page, base = browser_page, live_server.url
    officer = OfficerFactory(username="officer-b")
    device = totp_device(officer)
    password_step(page, base, officer.username)
    assert "/login/verify/" in page.url
    assert axe_violations(page) == []
    # Straight to an admin address: still held at the code step.
    page.goto(f"{base}/admin/account/")
    assert "/login/verify/" in page.url
    page.get_by_label("Code", exact=True).fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/admin/account/"  # back where they were going
    assert page.get_by_role("heading", name="Account", exact=True).count() >= 1


def test_new_officer_enrols_from_the_key_and_sees_recovery_codes(
    db_for_browser, live_server, browser_page
):
    page, base = browser_page, live_server.url
    officer = OfficerFactory(username="officer-new")
    password_step(page, base, officer.username)
    assert "/account/two-factor/" in page.url
    assert page.locator(".app-qr-code svg").count() == 1
    assert axe_violations(page) == []
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    # What the person's app would do with the key it was given.
    key = b32decode(secret)
    page.get_by_label("Code", exact=True).fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_load_state()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    assert axe_violations(page) == []
    assert TOTPDevice.objects.get(user=officer).confirmed
    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/admin/"
