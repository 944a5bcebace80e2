"""Sessions end when idle, on browser close and on sign-out; a GET cannot sign anyone out;
failed sign-ins are counted against the visitor's address as the proxies report it, so an
attacker's failures do not lock the real person out (issue 9, findings 10 and 11)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import BoardMemberUserFactory, ChairUserFactory, OfficerFactory
from tests.query_plans import statements_run_by
from tests.two_factor import sign_in_admin_with_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
PROXY = "10.0.0.2"  # the reverse proxy's own address: REMOTE_ADDR of every request
ATTACKER = "203.0.113.66"
CHAIR_HOME = "198.51.100.7"


def signed_in(username):
    client = Client(HTTP_HOST="localhost")
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def is_signed_in(client):
    return client.get("/logout/").context["user"].is_authenticated


# -- sessions ---------------------------------------------------------------------------------


def test_session_cookie_ends_with_the_browser_and_expires_when_idle():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 4 * 3600
    member = BoardMemberUserFactory()
    client = Client(HTTP_HOST="localhost")
    response = client.post("/login/", {"username": member.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie


def test_a_request_after_a_pause_renews_the_idle_timeout_and_an_idle_session_ends():
    client = signed_in(BoardMemberUserFactory().username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Pretend the last renewal was 3 hours ago (past SESSION_RENEWAL_SECONDS): the next
    # request pushes the expiry 4 hours ahead.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(hours=1))
    assert is_signed_in(client)
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry > timezone.now() + timedelta(hours=3, minutes=59)
    # Idle past the limit: signed out.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not is_signed_in(client)


def session_writes(client):
    """The statements writing the session's row while ``client`` opens a page."""
    still_signed_in = []
    statements = statements_run_by(lambda: still_signed_in.append(is_signed_in(client)))
    assert still_signed_in == [True]
    return [sql for sql, _ in statements if sql.startswith(("UPDATE", "INSERT"))
            and "django_session" in sql]  # fmt: skip


def test_the_idle_timeout_is_renewed_once_every_few_minutes_not_on_every_request():
    """Renewing the expiry on every request wrote the session's row for each page a signed-in
    reader opened; it is renewed once the last renewal is SESSION_RENEWAL_SECONDS old, so an
    idle session ends up to that much sooner than the idle limit, never later."""
    client = signed_in(BoardMemberUserFactory().username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    idle_limit = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    interval = timedelta(seconds=settings.SESSION_RENEWAL_SECONDS)
    assert interval <= timedelta(minutes=5)  # what README and the settings promise at most
    # Renewed a minute short of the interval ago: nothing is written, the expiry stands.
    expiry = timezone.now() + idle_limit - (interval - timedelta(minutes=1))
    Session.objects.filter(pk=key).update(expire_date=expiry)
    assert session_writes(client) == []
    assert Session.objects.get(pk=key).expire_date == expiry
    # Renewed a minute past the interval ago: this request renews it.
    expiry = timezone.now() + idle_limit - (interval + timedelta(minutes=1))
    Session.objects.filter(pk=key).update(expire_date=expiry)
    assert len(session_writes(client)) == 1
    assert Session.objects.get(pk=key).expire_date > timezone.now() + idle_limit - timedelta(
        minutes=1
    )


@pytest.mark.parametrize("logout_url", ["/logout/", "/admin/logout/"])
def test_signing_out_ends_the_session_on_the_server(logout_url):
    if logout_url.startswith("/admin/"):
        client = sign_in_admin_with_code(Client(HTTP_HOST="localhost"), OfficerFactory())
    else:
        client = signed_in(BoardMemberUserFactory().username)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(logout_url).status_code == 302
    # Someone who kept a copy of the old cookie gets nothing with it.
    replay = Client(HTTP_HOST="localhost")
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert not is_signed_in(replay)
    assert replay.get("/admin/").status_code == 302
    assert not Session.objects.filter(pk=old_cookie).exists()


# -- finding 11: GET /admin/logout/ ---------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_get_to_admin_logout_leaves_the_officer_signed_in(method):
    client = sign_in_admin_with_code(Client(HTTP_HOST="localhost"), OfficerFactory())
    response = getattr(client, method)("/admin/logout/")
    assert response.status_code == 405
    # The cookie is not deleted (renewed at most) and the session still works.
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is None or cookie.value
    assert client.get("/admin/").status_code == 200


# -- finding 10: lock-out behind a proxy ----------------------------------------------------


def attempt(client, username, password, address):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_attackers_failures_do_not_lock_the_chair_out_from_her_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    chair = ChairUserFactory()
    attacker = Client(HTTP_HOST="localhost")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, chair.username, "guess", ATTACKER)
    # The attacker's address is refused, even with the right password.
    assert attempt(attacker, chair.username, PASSWORD, ATTACKER).status_code == 429
    # The Chair, through the same proxy from her own address, signs in.
    own = Client(HTTP_HOST="localhost")
    response = attempt(own, chair.username, PASSWORD, CHAIR_HOME)
    assert response.status_code == 302
    assert "_auth_user_id" in own.session


def test_failures_are_recorded_against_the_forwarded_address_not_the_proxy(settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    chair = ChairUserFactory()
    # A visitor-supplied entry on the left is not trusted: the proxy appended ATTACKER.
    Client(HTTP_HOST="localhost").post(
        "/admin/login/",
        {"username": chair.username, "password": "guess"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{CHAIR_HOME}, {ATTACKER}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 0
    attempt(Client(HTTP_HOST="localhost"), ChairUserFactory().username, "guess", ATTACKER)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
