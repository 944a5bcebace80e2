"""Email alerts (``send_alerts``): what is new for each due saved search and subscription,
built with its recipient's access at the time of sending, and sent at most once per item.

Access: a member's saved search is read as that member (papers.visibility.group_ids, the
training gate included), a subscriber by email as the public. Every item is looked up again
through papers.visibility when its email is built, so an item restricted after it first
matched is withheld: not its title, not a count of it.

At most once: the items of an email are recorded (``AlertDelivery``, unique per recipient and
item) and committed before the email goes; a send that fails removes its records, so the next
run tries again; a run killed between the commit and the send loses those items rather than
sending them twice.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from .mail import one_click_unsubscribe, site_email
from .models import (
    AlertDelivery,
    Decision,
    EmailSubscription,
    Frequency,
    MinutesPage,
    SavedSearch,
    Topic,
)
from .search.engine import DIMENSIONS
from .search.forms import LenientDateField, choices_for
from .search.kinds import KINDS
from .search.page import saved_search_params, search_hits
from .site_address import absolute_url
from .visibility import assume_groups, readable_decisions, visible_pages

CONFIRM_SALT = "papers.alerts.confirm"
UNSUBSCRIBE_SALT = "papers.alerts.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
MAX_ITEMS = 50  # per email; the rest wait for the next run
# A day's run may start a little earlier than yesterday's: cron is not to the second.
DUE_AFTER = {
    Frequency.DAILY: datetime.timedelta(hours=23),
    Frequency.WEEKLY: datetime.timedelta(days=7) - datetime.timedelta(hours=1),
}


# Tokens -------------------------------------------------------------------------------------


def confirm_token(subscription):
    return signing.dumps([subscription.pk, subscription.email.lower()], salt=CONFIRM_SALT)


def read_confirm_token(token):
    """The unconfirmed-or-confirmed subscription a confirmation token names, or None
    (expired, altered, or the subscription is gone)."""
    try:
        pk, email = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return EmailSubscription.objects.filter(pk=pk, email__iexact=email).first()


def unsubscribe_token(alert):
    kind = "u" if isinstance(alert, SavedSearch) else "s"
    return signing.dumps([kind, alert.pk], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(whether the token is ours, the saved search or subscription it names or None: gone,
    e.g. unsubscribed already)."""
    try:
        kind, pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return False, None
    model = {"u": SavedSearch, "s": EmailSubscription}.get(kind)
    if model is None or not isinstance(pk, int):
        return False, None
    return True, model.objects.filter(pk=pk).first()


def unsubscribe(alert):
    """Stop the emails: a member's saved search is kept without email, a subscription goes
    (and with the address's last subscription, the record of what was sent to it)."""
    if isinstance(alert, SavedSearch):
        alert.frequency = Frequency.NONE
        alert.save(update_fields=["frequency"])
        return
    recipient = alert.recipient
    alert.delete()
    if not EmailSubscription.objects.filter(email__iexact=alert.email).exists():
        AlertDelivery.objects.filter(recipient=recipient).delete()


def send_confirmation(subscription):
    url = absolute_url(reverse("alerts_confirm", args=[confirm_token(subscription)]))
    context = {
        "subscription": subscription,
        "confirm_url": url,
        "description": describe(subscription),
        "days": CONFIRM_MAX_AGE.days,
    }
    site_email(
        "papers/email/confirm",
        context,
        subject="Confirm your email alerts from the Commissioning Advisory Board",
        to=[subscription.email],
    ).send()


# What an alert is about ---------------------------------------------------------------------


def search_labels():
    """{dimension: {value: label}} of the search filters (two queries: areas, committees)."""
    return {d: {c.value: c.label for c in choices_for(d)} for d in DIMENSIONS}


def _date(value):
    try:
        return LenientDateField().clean(value)
    except ValidationError:
        return None


def describe(alert, labels=None):
    """In words: "New decisions", or the search's words and filters. ``labels``
    (``search_labels()``) read once for a list of alerts."""
    if isinstance(alert, EmailSubscription) and alert.topic != Topic.SEARCH:
        return alert.get_topic_display()
    labels = labels if labels is not None else search_labels()
    data = QueryDict(alert.querystring or "")
    q = " ".join(data.get("q", "").split())[:200]
    parts = [f"“{q}”"] if q else []
    for dimension in DIMENSIONS:
        chosen = [labels[dimension][v] for v in data.getlist(dimension) if v in labels[dimension]]
        if chosen:
            parts.append(", ".join(dict.fromkeys(chosen)))
    for name in ("from", "to"):
        day = _date(data.get(name, ""))
        if day:
            parts.append(f"{name} {day:%-d %B %Y}")
    return "Search: " + ("; ".join(parts) or "everything")


def search_url(alert):
    return absolute_url(reverse("search") + "?" + alert.querystring)


# Items --------------------------------------------------------------------------------------


@dataclass
class Item:
    kind: str
    id: int
    title: str
    url: str
    date: datetime.date | None
    note: str = ""

    @property
    def kind_label(self):
        kind = KINDS.get(self.kind)
        return kind.singular if kind else self.kind.title()


def reader_for(alert):
    """Who the alert is read as: the member (fresh, so their groups and training are read now)
    or, for a subscriber by email, the public."""
    if isinstance(alert, SavedSearch):
        return get_user_model().objects.get(pk=alert.user_id)
    return AnonymousUser()


def everyone_reader():
    """A stand-in who may see everything, used only to count what a recipient is not sent
    (``withheld``); nothing read as it is ever sent."""
    reader = get_user_model()(is_superuser=True, is_active=True)
    return assume_groups(reader, Group.objects.values_list("pk", flat=True))


def _delivered(alert):
    return set(
        AlertDelivery.objects.filter(recipient=alert.recipient).values_list("kind", "object_id")
    )


def _decision_items(reader, since, delivered):
    decisions = Decision.objects.filter(
        minutes__live=True, minutes__first_published_at__gt=since
    ).select_related("minutes")
    readable = readable_decisions(reader, decisions).order_by("-minutes__first_published_at", "pk")
    items = []
    for decision in readable:
        if ("decision", decision.pk) in delivered:
            continue
        url = absolute_url(f"{decision.minutes.url}#{decision.anchor}")
        outcome = decision.get_outcome_display()
        items.append(
            Item(
                "decision",
                decision.pk,
                f"{decision.reference}: {decision.title}",
                url,
                decision.minutes.paper_date,
                note=outcome,
            )  # fmt: skip
        )
    return items


def _minutes_items(reader, since, delivered):
    minutes = MinutesPage.objects.live().filter(first_published_at__gt=since)
    readable = visible_pages(reader, minutes).order_by("-first_published_at", "pk")
    return [
        Item("minutes", page.pk, page.title, absolute_url(page.url), page.paper_date)
        for page in readable.specific()
        if ("minutes", page.pk) not in delivered
    ]


def _search_items(reader, alert, since, delivered):
    hits = search_hits(reader, alert.querystring) or []
    hits = [hit for hit in hits if (hit.kind, hit.id) not in delivered]
    page_ids = [hit.id for hit in hits if hit.kind != "decision"]
    decision_ids = [hit.id for hit in hits if hit.kind == "decision"]
    # Both looked up again through papers.visibility: the hits are the engine's, the email
    # is built from what the reader may open.
    pages = {
        page.pk: page
        for page in visible_pages(reader, Page.objects.filter(pk__in=page_ids)).filter(
            first_published_at__gt=since
        )
    }
    decisions = {
        d.pk: d
        for d in readable_decisions(
            reader, Decision.objects.filter(pk__in=decision_ids, minutes__live=True)
        )
        .filter(minutes__first_published_at__gt=since)
        .select_related("minutes")
    }
    items = []
    for hit in hits:
        if hit.kind == "decision" and hit.id in decisions:
            decision = decisions[hit.id]
            url = absolute_url(f"{decision.minutes.url}#{decision.anchor}")
            title = f"{decision.reference}: {decision.title}"
            items.append(Item("decision", hit.id, title, url, hit.date))
        elif hit.kind != "decision" and hit.id in pages:
            page = pages[hit.id]
            items.append(Item(hit.kind, hit.id, page.title, absolute_url(page.url), hit.date))
    return items


def new_items(alert, reader, also_sent=frozenset()):
    """What is new for ``alert`` that ``reader`` may open now, newest first (``also_sent``:
    (kind, id) pairs a dry run counted as sent to this recipient already)."""
    delivered = _delivered(alert) | also_sent
    # Nothing published before the alert began is "new" to it (no archive in the first email).
    since = getattr(alert, "confirmed_at", None) or alert.created_at
    topic = getattr(alert, "topic", Topic.SEARCH)
    if topic == Topic.DECISIONS:
        return _decision_items(reader, since, delivered)
    if topic == Topic.MINUTES:
        return _minutes_items(reader, since, delivered)
    return _search_items(reader, alert, since, delivered)


# Sending ------------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    recipient: str
    sent: int = 0
    withheld: int = 0
    error: str = ""


def due_alerts(now):
    """Saved searches and confirmed subscriptions whose daily or weekly time has come."""
    due = Q()
    for frequency, interval in DUE_AFTER.items():
        due |= Q(frequency=frequency) & (
            Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - interval)
        )
    searches = SavedSearch.objects.filter(due, user__is_active=True).select_related("user")
    subscriptions = EmailSubscription.objects.filter(due, confirmed_at__isnull=False)
    return list(searches.order_by("pk")) + list(subscriptions.order_by("pk"))


def label_for(alert):
    if isinstance(alert, SavedSearch):
        return f"saved search {alert.pk} of {alert.user.get_username()}"
    return f"subscription {alert.pk} ({alert.get_topic_display().lower()})"


def address_of(alert):
    return alert.user.email if isinstance(alert, SavedSearch) else alert.email


def _message(alert, items, now):
    unsubscribe_url = absolute_url(reverse("alerts_unsubscribe", args=[unsubscribe_token(alert)]))
    context = {
        "alert": alert,
        "description": describe(alert),
        "items": items,
        "more": len(items) > MAX_ITEMS,
        "is_member": isinstance(alert, SavedSearch),
        "search_url": search_url(alert) if alert.querystring else "",
        "account_url": absolute_url(reverse("account")),
        "unsubscribe_url": unsubscribe_url,
        "sent_on": now,
    }
    context["items"] = items[:MAX_ITEMS]
    count = len(context["items"])
    subject = f"{count} new item{'s' if count != 1 else ''}: {context['description']}"
    return site_email(
        "papers/email/alert",
        context,
        subject=subject[:200],
        to=[address_of(alert)],
        headers=one_click_unsubscribe(unsubscribe_url),
    )


def _claim(alert, now):
    """Lock the alert, work out its new items as its reader now may see them, and record them
    as sent (committed before the email goes). Returns (items, withheld)."""
    with transaction.atomic():
        model = type(alert)
        locked = model.objects.select_for_update().filter(pk=alert.pk).first()
        if locked is None:  # deleted since the run started
            return [], 0
        visible = new_items(alert, reader_for(alert))
        withheld = len(new_items(alert, everyone_reader())) - len(visible)
        items = visible[:MAX_ITEMS]
        user_id = alert.user_id if isinstance(alert, SavedSearch) else None
        AlertDelivery.objects.bulk_create(
            [
                AlertDelivery(
                    recipient=alert.recipient,
                    user_id=user_id,
                    kind=i.kind,
                    object_id=i.id,
                    sent_at=now,
                )  # fmt: skip
                for i in items
            ]
        )
        model.objects.filter(pk=alert.pk).update(last_sent_at=now)
    return items, max(withheld, 0)


def count(alert, counted):
    """(items that would be sent, items withheld) for ``alert``, changing nothing; ``counted``
    ({recipient: {(kind, id)}}) is what this dry run has counted for earlier alerts."""
    also_sent = counted.setdefault(alert.recipient, set())
    visible = new_items(alert, reader_for(alert), frozenset(also_sent))[:MAX_ITEMS]
    everything = new_items(alert, everyone_reader(), frozenset(also_sent))
    also_sent.update((item.kind, item.id) for item in visible)
    return len(visible), max(len(everything) - len(visible), 0)


def send_alert(alert, now):
    run = Run(label_for(alert), alert.recipient)
    if not address_of(alert):
        run.error = "no email address"
        return run
    items, run.withheld = _claim(alert, now)
    if not items:
        return run
    try:
        _message(alert, items, now).send()
    except Exception as error:
        # Not sent: release the items so the next run sends them.
        AlertDelivery.objects.filter(
            recipient=alert.recipient, sent_at=now, kind__in={i.kind for i in items},
            object_id__in=[i.id for i in items],
        ).delete()  # fmt: skip
        run.error = f"not sent: {error.__class__.__name__}"
        return run
    run.sent = len(items)
    return run


def send_due(now=None, dry_run=False):
    """Send (or, with ``dry_run``, count) every due alert; one Run per alert."""
    now = now or timezone.now()
    runs = []
    counted = {}
    for alert in due_alerts(now):
        if dry_run:
            run = Run(label_for(alert), alert.recipient)
            run.sent, run.withheld = count(alert, counted)
            runs.append(run)
        else:
            runs.append(send_alert(alert, now))
    return runs


def drop_unconfirmed(now=None):
    """Forget subscriptions never confirmed within the confirmation link's lifetime."""
    now = now or timezone.now()
    stale = EmailSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE
    )
    return stale.delete()[0]


def search_querystring(querydict):
    """A search page query string kept for an alert: the words and filters only."""
    params = saved_search_params(urlencode(list(querydict.lists()), doseq=True))
    return params.querystring(page=None, sort="")
