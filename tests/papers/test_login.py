"""Sign-in on the public site: returns to the page that asked, locks out after repeated
failures (django-axes, for real), and a refused page names nothing."""

import pytest
from django.conf import settings
from django.test import Client

from papers.models.choices import Audience
from tests.factories import (
    BoardMemberUserFactory,
    CouncillorUserFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
SECRET_TITLE = "Quillhaven bid: pricing and evaluation"


@pytest.fixture
def secret():
    return ProposalPageFactory(
        parent=ProposalIndexPageFactory(),
        title=SECRET_TITLE,
        slug="quillhaven-bid",
        audience=Audience.BOARD,
        exempt_paragraph="3",
    )


def browser():
    return Client(HTTP_HOST="localhost")


def sign_in(client, username, password, next_url=""):
    return client.post("/login/", {"username": username, "password": password, "next": next_url})


def test_anonymous_visitor_is_sent_to_sign_in_and_comes_back(secret):
    member = BoardMemberUserFactory(username="tom")
    client = browser()
    response = client.get(secret.url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={secret.url}"
    assert "no-store" in response["Cache-Control"]

    form = client.get(response["Location"])
    assert form.status_code == 200
    html = form.content.decode()
    assert "Sign in" in html and 'name="password"' in html
    assert f'value="{secret.url}"' in html  # the page that asked is carried through
    assert "govuk-header" in html or "app-header" in html  # styled like the rest of the site
    assert SECRET_TITLE not in html

    response = sign_in(client, member.username, PASSWORD, secret.url)
    assert response.status_code == 302 and response["Location"] == secret.url
    page = client.get(secret.url)
    assert page.status_code == 200 and SECRET_TITLE in page.content.decode()


def test_next_pointing_elsewhere_is_ignored(secret):
    member = BoardMemberUserFactory(username="tom")
    response = sign_in(browser(), member.username, PASSWORD, "https://evil.example/phish")
    assert response.status_code == 302 and response["Location"] == settings.LOGIN_REDIRECT_URL


def test_wrong_password_says_so_without_saying_which_part(secret):
    member = BoardMemberUserFactory(username="tom")
    response = sign_in(browser(), member.username, "wrong", secret.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "correct username and password" in html


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(secret):
    member = BoardMemberUserFactory(username="tom")
    client = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, member.username, "wrong").status_code == 200
    locked = sign_in(client, member.username, "wrong")
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    # The right password no longer helps, on the public site or in the admin.
    assert sign_in(client, member.username, PASSWORD, secret.url).status_code == 429
    admin = client.post("/admin/login/", {"username": member.username, "password": PASSWORD})
    assert admin.status_code == 429
    assert client.get(secret.url).status_code == 302  # still not signed in
    # Another account from the same address is not locked out.
    other = BoardMemberUserFactory(username="ann")
    assert sign_in(client, other.username, PASSWORD).status_code == 302


def test_signed_in_outsider_gets_a_plain_403_that_names_nothing(secret):
    client = browser()
    client.force_login(CouncillorUserFactory(username="ruth"))
    response = client.get(secret.url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access" in html
    assert SECRET_TITLE not in html and "Quillhaven" not in html
    assert secret.summary not in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_sign_out_asks_then_signs_out():
    client = browser()
    client.force_login(BoardMemberUserFactory(username="tom"))
    confirm = client.get("/logout/")
    assert confirm.status_code == 200 and 'action="/logout/"' in confirm.content.decode()
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == settings.LOGOUT_REDIRECT_URL
    assert "_auth_user_id" not in client.session
