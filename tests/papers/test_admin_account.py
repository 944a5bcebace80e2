"""An officer cannot take the Chair's name or email in their own account settings, and
history shows each account's username beside its name (issue 15, finding 3)."""

import pytest
from django.test import Client
from wagtail.models import PageLogEntry

from tests.factories import ChairUserFactory, OfficerFactory, SuperuserFactory, home_page

pytestmark = pytest.mark.django_db


def account_form(first_name, last_name, email):
    """What the account settings form posts, as the admin renders it (every panel's fields)."""
    return {
        "name_email-first_name": first_name,
        "name_email-last_name": last_name,
        "name_email-email": email,
        "locale-preferred_language": "en",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
        "password-old_password": "",
        "password-new_password1": "",
        "password-new_password2": "",
    }


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)  # with the second factor (tests/conftest.py)
    return client


def test_an_officer_cannot_take_the_chairs_name_or_email():
    chair = ChairUserFactory(first_name="Margaret", last_name="Oyelaran")
    officer = OfficerFactory(first_name="Tom", last_name="Baines")
    client = signed_in(officer)
    page = client.get("/admin/account/").content.decode()
    assert 'name="name_email-first_name"' not in page and 'name="name_email-email"' not in page
    response = client.post("/admin/account/", account_form("Margaret", "Oyelaran", chair.email))
    assert response.status_code == 302  # the rest of the settings still save
    officer.refresh_from_db()
    assert (officer.first_name, officer.last_name) == ("Tom", "Baines")
    assert officer.email != chair.email


def test_an_administrator_still_sets_their_own_name_in_the_same_form():
    """The control: the same POST does change a name where the panel is offered."""
    admin = SuperuserFactory(first_name="Ada", last_name="Admin")
    client = signed_in(admin)
    assert 'name="name_email-first_name"' in client.get("/admin/account/").content.decode()
    response = client.post("/admin/account/", account_form("Adaline", "Admin", "ada@example.org"))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.first_name, admin.email) == ("Adaline", "ada@example.org")


def test_history_shows_the_username_beside_the_name():
    officer = OfficerFactory(username="tbaines", first_name="Margaret", last_name="Oyelaran")
    page = home_page()
    PageLogEntry.objects.log_action(page, "wagtail.edit", user=officer)
    client = signed_in(SuperuserFactory())
    for url in ["/admin/reports/site-history/", f"/admin/pages/{page.pk}/history/"]:
        html = " ".join(client.get(url).content.decode().split())
        assert "Margaret Oyelaran (tbaines)" in html, url
