"""Two-factor sign-in: required for every admin role on every admin address (the API and the
edit forms included), enrolment with a QR code and recovery codes, opt-in for board members,
and an administrator's reset of a lost device."""

import re
from base64 import b32encode
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from papers.models.choices import Audience
from tests.admin_forms import board_page_data, edit_url, post_edit
from tests.factories import (
    BoardMemberUserFactory,
    ChairUserFactory,
    OfficerFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    SuperuserFactory,
)
from tests.two_factor import PASSWORD, code_for, totp_device

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]
ADMIN_ROLES = {"officer": OfficerFactory, "chair": ChairUserFactory, "admin": SuperuserFactory}


def browser():
    return Client(HTTP_HOST="localhost")


def password_only(user, url="/admin/login/"):
    client = browser()
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def give_code(client, code, next_url="/admin/"):
    return client.post("/login/verify/", {"code": code, "next": next_url})


@pytest.fixture
def proposal(db):
    return ProposalPageFactory(
        parent=ProposalIndexPageFactory(),
        title="Recommission home care",
        audience=Audience.BOARD,
        exempt_paragraph="3",
    )


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("enrolled", [True, False], ids=["has-device", "no-device"])
def test_a_password_alone_opens_no_admin_address(role, enrolled, proposal):
    user = ADMIN_ROLES[role]()
    if enrolled:
        totp_device(user)
    client = password_only(user)
    step = "/login/verify/" if enrolled else "/account/two-factor/"
    for url in ["/admin/", edit_url(proposal), "/admin/pages/", "/admin/documents/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(step), url
    # The admin API answers 403, not a redirect.
    for url in ["/admin/api/main/pages/", f"/admin/api/main/pages/{proposal.pk}/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Two-factor" in response.json()["message"]
    # The edit form refuses a write: nothing is saved.
    revisions = proposal.revisions.count()
    response = post_edit(client, proposal, board_page_data("Taken over", audience="public"))
    assert response.status_code == 302 and response["Location"].startswith(step)
    assert proposal.revisions.count() == revisions
    proposal.refresh_from_db()
    assert proposal.title == "Recommission home care"
    # The public site's restricted pages wait for the code too.
    assert client.get(proposal.url).status_code == 302


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_code_opens_the_admin_and_its_api(role, proposal):
    user = ADMIN_ROLES[role]()
    device = totp_device(user)
    client = password_only(user)
    wrong = give_code(client, "000000" if code_for(device) != "000000" else "111111")
    assert wrong.status_code == 200 and "That code did not work" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    response = give_code(client, code_for(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/api/main/pages/").status_code == 200
    assert client.get(edit_url(proposal)).status_code == 200


def test_public_sign_in_of_an_officer_asks_for_the_code_then_returns_to_the_page(proposal):
    officer = OfficerFactory()
    device = totp_device(officer)
    client = browser()
    response = client.post(
        "/login/", {"username": officer.username, "password": PASSWORD, "next": proposal.url}
    )
    held = client.get(response["Location"])
    assert held.status_code == 302
    assert held["Location"] == f"/login/verify/?next={proposal.url.replace('/', '%2F')}"
    page = client.get(held["Location"])
    assert page.status_code == 200 and "Enter your code" in page.content.decode()
    done = give_code(client, code_for(device), proposal.url)
    assert done["Location"] == proposal.url
    assert client.get(proposal.url).status_code == 200


def test_enrolment_shows_a_qr_code_and_key_then_ten_recovery_codes_once():
    officer = OfficerFactory()
    client = password_only(officer)
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/")
    page = client.get("/account/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200 and "Set up two-factor sign-in" in html
    assert "<svg" in html and "<?xml" not in html  # the QR code, inline, made on the server
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert " style=" not in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert secret == b32encode(device.bin_key).decode()
    # The same key is shown until it is confirmed.
    assert secret.encode() in client.get("/account/two-factor/").content.replace(b" ", b"")

    wrong = client.post("/account/two-factor/", {"action": "enrol", "code": "12345x"})
    assert "That code did not work" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    done = client.post("/account/two-factor/", {"action": "enrol", "code": code_for(device)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200  # this session gave a code
    # Shown once: the page now only counts them.
    again = client.get("/account/two-factor/").content.decode()
    assert "10 unused recovery codes" in again and codes[0] not in again

    # A recovery code signs in once, in place of the app's code.
    client = password_only(officer)
    assert give_code(client, codes[0])["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client = password_only(officer)
    assert give_code(client, codes[0]).status_code == 200  # used up
    assert StaticToken.objects.filter(device__user=officer).count() == 9


def test_a_board_member_may_opt_in_and_is_then_asked_for_a_code_at_login(proposal):
    member = BoardMemberUserFactory()
    client = password_only(member, "/login/")
    assert client.get(proposal.url).status_code == 200  # no second factor yet
    page = client.get("/account/two-factor/").content.decode()
    assert "Protect your account" in page
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    client.post("/account/two-factor/", {"action": "enrol", "code": code_for(device)})

    client = password_only(member, "/login/")
    response = client.get(proposal.url)
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")
    assert give_code(client, code_for(device), proposal.url)["Location"] == proposal.url
    assert client.get(proposal.url).status_code == 200
    # And may turn it off again (after giving a code in this session).
    off = client.post("/account/two-factor/", {"action": "turn-off"})
    assert "Two-factor sign-in is off" in off.content.decode()
    assert password_only(member, "/login/").get(proposal.url).status_code == 200


def test_an_officer_cannot_turn_it_off():
    officer = OfficerFactory()
    client = password_only(officer)
    give_code(client, code_for(totp_device(officer)))
    page = client.post("/account/two-factor/", {"action": "turn-off"}).content.decode()
    assert "required for accounts that can edit" in page
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_an_administrator_resets_a_lost_device_in_the_admin():
    officer = OfficerFactory()
    totp_device(officer)
    admin = SuperuserFactory()
    client = password_only(admin)
    give_code(client, code_for(totp_device(admin)))
    listing = client.get("/admin/users/").content.decode()
    reset_url = f"/admin/two-factor/reset/{officer.pk}/"
    assert reset_url in listing and "Reset two-factor sign-in" in listing
    confirm = client.get(reset_url)
    assert confirm.status_code == 200 and "Test phone" in confirm.content.decode()
    assert client.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # The officer's next sign-in starts enrolment again.
    assert password_only(officer).get("/admin/")["Location"].startswith("/account/two-factor/")


def test_an_officer_cannot_reset_anyones_device():
    chair = ChairUserFactory()
    totp_device(chair)
    officer = OfficerFactory()
    client = password_only(officer)
    give_code(client, code_for(totp_device(officer)))
    # Wagtail's answer to a refused admin view: back to the dashboard with a message.
    for method in (client.get, client.post):
        response = method(f"/admin/two-factor/reset/{chair.pk}/")
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert TOTPDevice.objects.filter(user=chair).exists()


def test_reset_2fa_command():
    chair = ChairUserFactory(username="chair-x")
    totp_device(chair)
    out = StringIO()
    call_command("reset_2fa", "chair-x", stdout=out)
    assert "Removed 1 two-factor device" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=chair).exists()
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_2fa", "nobody")


def test_force_login_wrapper_is_off_here_and_on_elsewhere():
    """The password_only marker keeps force_login a password-only session (tests/conftest.py)."""
    client = browser()
    client.force_login(get_user_model().objects.get(pk=OfficerFactory().pk))
    assert client.get("/admin/").status_code == 302
