"""Two-factor sign-in for tests: a TOTP device for a user, its current code, and signing in
with it (Django test client and Playwright).

tests/conftest.py wraps ``Client.force_login`` so that a force-logged-in user who needs a
second factor is also marked verified (``mark_verified``); tests of the second step itself use
the ``password_only`` marker to keep the plain password-only session.
"""

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from papers.two_factor.policy import needs_second_factor

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def totp_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def code_for(device):
    """The code the person's app shows now. A code is accepted once per 30-second step, and
    each wrong code delays the next try, so a test that signs the same person in twice, or
    tries a wrong code first, forgets the last step used and the wait (as time passing would)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def mark_verified(client, user):
    """Make a force_login'd test client's session one that gave a code."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def sign_in_admin_with_code(client, user, password=PASSWORD):
    """Sign in through the admin's own form, then give the code at the second step."""
    device = totp_device(user)
    response = client.post("/admin/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, "password refused"
    verify = client.post("/login/verify/", {"code": code_for(device), "next": "/admin/"})
    assert verify.status_code == 302 and verify["Location"] == "/admin/", "code refused"
    return client


def give_code_in_browser(page, username):
    """In a browser that has just given a password: give the code if the site asks for one."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or "/login/verify/" not in page.url:
        return
    page.get_by_label("Code", exact=True).fill(code_for(totp_device(user)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def prepare_browser_sign_in(username):
    """Before a browser signs in: give a person who needs a second factor a device to use."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and needs_second_factor(user):
        totp_device(user)


def admin_sign_in_in_browser(page, base, username, password=PASSWORD):
    """Sign in at /admin/login/ in a browser, giving the code when the site asks for one."""
    prepare_browser_sign_in(username)
    page.goto(f"{base}/admin/login/")
    # The form is served with the page: if it is not there, say what was (a browser test once
    # waited for it in vain, and could not be reproduced).
    if page.get_by_label("Username").count() != 1:
        headings = page.locator("h1").all_text_contents()
        raise AssertionError(f"no sign-in form at {page.url}: {page.title()!r}, {headings}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    give_code_in_browser(page, username)
    assert "/admin/login/" not in page.url, f"{username} could not sign in to the admin"
