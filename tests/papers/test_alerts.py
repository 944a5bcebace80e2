"""Saved searches and email alerts (issue 13, item 4): subscription with double opt-in,
one-click unsubscribe (RFC 8058), alerts built with each recipient's access at the time of
sending (anonymous subscriber, councillor, board member, trainee), never sending an item twice,
and a member's saved searches on /account/."""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from papers import alert_mail
from papers.confidentiality import apply_audience
from papers.models import (
    AlertDelivery,
    EmailSubscription,
    Frequency,
    SavedSearch,
    Topic,
    TrainingCompletion,
    TrainingModulePage,
)
from papers.models.choices import Audience
from papers.roles import ensure_roles
from tests.factories import (
    BoardMemberUserFactory,
    CouncillorUserFactory,
    DecisionFactory,
    MinutesPageFactory,
    ProposalIndexPageFactory,
    ProposalPageFactory,
    TrainingIndexPageFactory,
    TrainingModulePageFactory,
)

pytestmark = pytest.mark.django_db

WORD = "Zephyrine"
LONG_AGO = timezone.now() - datetime.timedelta(days=30)
PUBLIC, BRIEFING, SECRET = (
    f"{WORD} home care recommissioning",
    f"{WORD} transformation briefing",
    f"{WORD} bidder shortlist",
)
PUBLIC_DECISION, EXEMPT_DECISION = "Advice on Zephyrine day centres", "Zephyrine bidder chosen"
RESTRICTED = (BRIEFING, SECRET, EXEMPT_DECISION)


def published(*pages):
    """Pages made by factories are live without a first publication date: give them one."""
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(first_published_at=timezone.now())


@pytest.fixture
def site(settings):
    settings.BOARD_PAPERS = {
        **django_settings.BOARD_PAPERS,
        "REQUIRE_TRAINING_FOR_BOARD_PAPERS": True,
    }
    ensure_roles()
    TrainingModulePageFactory(
        parent=TrainingIndexPageFactory(), title="Handling exempt information",
        required_for_board_papers=True,
    )  # fmt: skip
    index = ProposalIndexPageFactory()
    pages = {
        "public": ProposalPageFactory(parent=index, title=PUBLIC),
        "briefing": ProposalPageFactory(parent=index, title=BRIEFING, audience=Audience.MEMBERS),
        "secret": ProposalPageFactory(
            parent=index, title=SECRET, audience=Audience.BOARD, exempt_paragraph="3"
        ),
    }
    minutes = MinutesPageFactory(title=f"Minutes: {WORD} meeting")
    DecisionFactory(minutes=minutes, title=PUBLIC_DECISION)
    DecisionFactory(
        minutes=minutes, title=EXEMPT_DECISION, is_exempt=True, exempt_paragraph="3",
        public_summary="A provider was chosen.",
    )  # fmt: skip
    published(*pages.values(), minutes)
    pages["minutes"] = minutes
    return pages


def trained(member):
    """``member`` has completed the required module (the site fixture's only one)."""
    TrainingCompletion.objects.create(
        module=TrainingModulePage.objects.get(), user=member, completed_on=datetime.date(2025, 1, 6)
    )
    return member


def users():
    return {
        "board member": trained(BoardMemberUserFactory()),
        "councillor": CouncillorUserFactory(),
        "trainee": BoardMemberUserFactory(),  # has not done the required module
    }


def confirmed(topic, querystring="", email="resident@example.org"):
    return EmailSubscription.objects.create(
        email=email, topic=topic, querystring=querystring, created_at=LONG_AGO,
        confirmed_at=LONG_AGO,
    )  # fmt: skip


def saved(user, querystring=f"q={WORD}"):
    return SavedSearch.objects.create(
        user=user, name="Mine", querystring=querystring, created_at=LONG_AGO
    )


def whole(message):
    """Subject, plain text and HTML of one email, as one string."""
    parts = [message.subject, message.body] + [content for content, _ in message.alternatives]
    return "\n".join(parts)


def mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


# Subscribing ---------------------------------------------------------------------------------


def subscribe(client, email="resident@example.org", topic="decisions", **extra):
    return client.post(
        "/alerts/subscribe/", {"email": email, "topic": topic, "frequency": "daily", **extra}
    )


def confirm_link(message):
    return re.search(r"http://[^/\s]+(/alerts/confirm/[^\s/]+/)", message.body).group(1)


def test_double_opt_in_then_alerts_then_one_click_unsubscribe(site):
    client = Client(HTTP_HOST="localhost")
    form = client.get("/alerts/subscribe/")
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"] and "private" in form["Cache-Control"]
    assert 'name="email"' in form.content.decode()
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/alerts/subscribe/check-email/"
    subscription = EmailSubscription.objects.get()
    assert subscription.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["resident@example.org"]
    link = confirm_link(message)

    # Nothing is sent before confirmation, even with a new decision published.
    subscription.created_at = timezone.now() - datetime.timedelta(days=1)
    subscription.save()
    call_command("send_alerts", stdout=StringIO())
    assert len(mail.outbox) == 1

    # The link shows a button (mail scanners follow links); pressing it confirms.
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Confirm and start my alerts" in page.content.decode()
    assert EmailSubscription.objects.get().confirmed_at is None
    client.post(link)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    EmailSubscription.objects.filter(pk=subscription.pk).update(confirmed_at=LONG_AGO)

    call_command("send_alerts", stdout=StringIO())
    [alert] = mail.outbox[1:]
    text = whole(alert)
    assert PUBLIC_DECISION in text and EXEMPT_DECISION not in text
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.fullmatch(r"<(http://[^>]+)>", alert.extra_headers["List-Unsubscribe"])
    path = "/" + unsubscribe_url.group(1).split("/", 3)[3]
    assert unsubscribe_url.group(1) in alert.body  # a link in the email itself too
    html = alert.alternatives[0][0]
    assert 'lang="en-GB"' in html and "<h1" in html and "Unsubscribe from these emails</a>" in html

    # The GET page asks; a mail client's one-click POST carries no CSRF token and needs none.
    assert "Unsubscribe" in client.get(path).content.decode()
    assert EmailSubscription.objects.exists()
    one_click = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    response = one_click.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert not EmailSubscription.objects.exists()
    assert not AlertDelivery.objects.exists()  # the address is forgotten
    # Again (a second click, a retry): the same page, not an error.
    assert one_click.post(path).status_code == 200


def test_bad_and_expired_tokens_get_a_clear_page(site, monkeypatch):
    client = Client(HTTP_HOST="localhost")
    for path in ("/alerts/confirm/not-a-token/", "/alerts/unsubscribe/not-a-token/"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "This link does not work" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    assert client.post("/alerts/unsubscribe/not-a-token/").status_code == 400
    subscribe(client)
    link = confirm_link(mail.outbox[0])
    monkeypatch.setattr(alert_mail, "CONFIRM_MAX_AGE", datetime.timedelta(seconds=-1))
    response = client.post(link)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    assert EmailSubscription.objects.get().confirmed_at is None


def test_the_form_does_not_say_who_is_subscribed_and_limits_floods(site):
    client = Client(HTTP_HOST="localhost")
    confirmed(Topic.DECISIONS)
    already = subscribe(client)
    fresh = subscribe(client, email="someone.else@example.org")
    assert already.status_code == fresh.status_code == 302
    assert already["Location"] == fresh["Location"]
    assert [m.to for m in mail.outbox] == [["someone.else@example.org"]]  # none to the subscriber
    # At most three confirmation emails a day to one mailbox, whoever asks.
    for _ in range(5):
        assert subscribe(client, email="target@example.org", topic="minutes").status_code == 302
    assert len(mail_to("target@example.org")) == 3
    bad = subscribe(client, email="not an address", topic="")
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Enter an email address in the correct format" in body
    assert "Choose what you want to hear about" in body


def test_a_search_subscription_from_the_search_page(site):
    client = Client(HTTP_HOST="localhost")
    results = client.get(f"/search/?q={WORD}&type=proposal")
    assert f"/alerts/subscribe/?q={WORD}&amp;type=proposal" in results.content.decode()
    form = client.get(f"/alerts/subscribe/?q={WORD}&type=proposal&page=3&sort=newest")
    body = form.content.decode()
    assert f"“{WORD}”; Proposals" in body
    assert f'value="q={WORD}&amp;type=proposal"' in body
    subscribe(client, topic="search", search=f"q={WORD}&type=proposal")
    assert EmailSubscription.objects.get().querystring == f"q={WORD}&type=proposal"
    # "A search" with no search is refused with a message, not stored.
    EmailSubscription.objects.all().delete()
    assert "search first" in subscribe(client, topic="search").content.decode()
    assert not EmailSubscription.objects.exists()


# Each recipient's access ---------------------------------------------------------------------


def test_alerts_for_each_role_hold_only_what_the_recipient_may_open(site):
    readers = users()
    for user in readers.values():
        saved(user)
    confirmed(Topic.SEARCH, f"q={WORD}")
    confirmed(Topic.DECISIONS, email="decisions@example.org")
    confirmed(Topic.MINUTES, email="minutes@example.org")
    dry = StringIO()
    call_command("send_alerts", "--dry-run", stdout=dry)
    assert not mail.outbox and not AlertDelivery.objects.exists()
    out = StringIO()
    call_command("send_alerts", stdout=out)
    assert dry.getvalue().replace("would send", "sent") == out.getvalue()

    expected = {
        # who: (titles in their email, titles never in it)
        "board member": ((PUBLIC, BRIEFING, SECRET, EXEMPT_DECISION), ()),
        "councillor": ((PUBLIC, BRIEFING, PUBLIC_DECISION), (SECRET, EXEMPT_DECISION)),
        "trainee": ((PUBLIC, BRIEFING, PUBLIC_DECISION), (SECRET, EXEMPT_DECISION)),
    }
    for who, (present, absent) in expected.items():
        [message] = mail_to(readers[who].email)
        text = whole(message)
        assert all(title in text for title in present), (who, text)
        assert not any(title in text for title in absent), (who, text)
    [public] = mail_to("resident@example.org")
    text = whole(public)
    assert PUBLIC in text and PUBLIC_DECISION in text
    assert not any(title in text for title in RESTRICTED)
    [decisions] = mail_to("decisions@example.org")
    assert PUBLIC_DECISION in whole(decisions) and EXEMPT_DECISION not in whole(decisions)
    [minutes] = mail_to("minutes@example.org")
    assert site["minutes"].title in whole(minutes)
    lines = out.getvalue()
    # The withheld counts: what each may not open among what is new.
    assert f"of {readers['board member'].username}: sent 6 items, withheld 0" in lines
    assert f"of {readers['councillor'].username}: sent 4 items, withheld 2" in lines
    assert f"of {readers['trainee'].username}: sent 4 items, withheld 2" in lines
    assert "(a search): sent 3 items, withheld 3" in lines
    assert "(new decisions): sent 2 items, withheld 1" in lines, lines  # and the factory's own


def test_an_item_restricted_after_it_matched_is_not_sent(site):
    councillor = CouncillorUserFactory()
    saved(councillor)
    confirmed(Topic.SEARCH, f"q={WORD}")
    before = alert_mail.send_due(dry_run=True)
    assert [run.sent for run in before] == [4, 3]  # the public paper is among them
    apply_audience(site["public"], Audience.BOARD)  # the Chair tightens it before the run
    runs = alert_mail.send_due()
    assert [(run.sent, run.withheld) for run in runs] == [(3, 3), (2, 4)]
    assert not any(PUBLIC in whole(message) for message in mail.outbox)
    # Withheld items are not recorded as sent: should access return, they can still come.
    assert not AlertDelivery.objects.filter(object_id=site["public"].pk).exists()


def test_a_rerun_sends_nothing_twice_and_a_failed_send_is_retried(site, monkeypatch):
    member = trained(BoardMemberUserFactory())
    search = saved(member)
    assert [run.sent for run in alert_mail.send_due()] == [6]
    later = timezone.now() + datetime.timedelta(days=8)
    # A week later: nothing new, nothing sent; then only the one new paper.
    assert [run.sent for run in alert_mail.send_due(now=later)] == [0]
    fresh = ProposalPageFactory(parent=site["public"].get_parent(), title=f"{WORD} new paper")
    published(fresh)
    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=None)
    assert [run.sent for run in alert_mail.send_due(now=later)] == [1]
    assert len(mail.outbox) == 2 and fresh.title in mail.outbox[1].body
    # Not yet due (sent just now): a run right after sends nothing, whatever is new.
    newer = ProposalPageFactory(parent=site["public"].get_parent(), title=f"{WORD} newer paper")
    published(newer)
    assert alert_mail.send_due(now=later) == []

    # A send that fails releases its items; the next run sends them, once.
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError

    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=None)
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    [failed] = alert_mail.send_due(now=later)
    assert failed.sent == 0 and "not sent" in failed.error
    assert not AlertDelivery.objects.filter(object_id=newer.pk).exists()
    monkeypatch.undo()
    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=None)
    assert [run.sent for run in alert_mail.send_due(now=later)] == [1]
    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=None)
    assert [run.sent for run in alert_mail.send_due(now=later)] == [0]
    assert sum(newer.title in m.body for m in mail.outbox) == 1


def test_no_email_and_inactive_members_get_nothing(site):
    member = CouncillorUserFactory()
    SavedSearch.objects.create(
        user=member, name="Quiet", querystring=f"q={WORD}", created_at=LONG_AGO,
        frequency=Frequency.NONE,
    )  # fmt: skip
    gone = CouncillorUserFactory(is_active=False)
    saved(gone)
    assert alert_mail.send_due() == []
    assert not mail.outbox


# A member's saved searches -------------------------------------------------------------------


def signed_in(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_a_member_saves_renames_retimes_and_deletes_a_search(site):
    member = CouncillorUserFactory()
    client = signed_in(member)
    page = client.get(f"/search/?q={WORD}&type=proposal")
    assert "Save this search" in page.content.decode()
    response = client.post(
        "/account/searches/",
        {"search": f"q={WORD}&type=proposal&page=2", "name": "Day centres", "frequency": "daily"},
    )
    assert response["Location"] == "/account/#saved-searches"
    search = SavedSearch.objects.get(user=member)
    assert (search.querystring, search.frequency) == (f"q={WORD}&type=proposal", "daily")
    account = client.get("/account/")
    assert "no-store" in account["Cache-Control"] and "private" in account["Cache-Control"]
    assert "Day centres" in account.content.decode()
    assert f"“{WORD}”; Proposals" in account.content.decode()
    client.post(f"/account/searches/{search.pk}/", {"name": "Renamed", "frequency": "weekly"})
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("Renamed", "weekly")
    # Nobody else's: another member cannot change or delete it.
    other = signed_in(CouncillorUserFactory())
    assert other.post(f"/account/searches/{search.pk}/", {"delete": "1"}).status_code == 404
    client.post(f"/account/searches/{search.pk}/", {"delete": "1"})
    assert not SavedSearch.objects.exists()
    # Bad input: a message, nothing stored.
    response = client.post("/account/searches/", {"search": "", "name": "x", "frequency": "daily"})
    assert response.status_code == 302 and not SavedSearch.objects.exists()
    assert client.post("/account/searches/", {"search": "q=x"}).status_code == 302
    assert not SavedSearch.objects.exists()
    assert Client().post("/account/searches/", {"search": "q=x"}).status_code == 302  # sign in


def test_a_member_s_searches_and_what_was_sent_go_with_the_account(site):
    member = CouncillorUserFactory()
    saved(member)
    alert_mail.send_due()
    assert AlertDelivery.objects.filter(user=member).exists()
    member.delete()
    assert not SavedSearch.objects.exists() and not AlertDelivery.objects.exists()


def test_unsubscribing_from_a_saved_search_keeps_it_without_email(site):
    member = CouncillorUserFactory()
    search = saved(member)
    alert_mail.send_due()
    path = re.search(r"http://[^/\s]+(/alerts/unsubscribe/[^\s/]+/)", mail.outbox[0].body)[1]
    Client(enforce_csrf_checks=True).post(path, "List-Unsubscribe=One-Click",
                                          content_type="application/x-www-form-urlencoded")  # fmt: skip
    search.refresh_from_db()
    assert search.frequency == Frequency.NONE


def test_the_account_page_lists_saved_searches_in_a_fixed_number_of_queries(site):
    member = CouncillorUserFactory()
    client = signed_in(member)
    saved(member, f"q={WORD}&type=proposal&from=2025-01-02")
    client.get("/account/")  # warm Django's per-process caches (content types, site)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/account/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(9):
        saved(member, f"q=word{n}&type=decision")
    assert queries() == one
    body = client.get("/account/").content.decode()
    assert f"“{WORD}”; Proposals; from 2 January 2025" in body and "“word8”; Decisions" in body
