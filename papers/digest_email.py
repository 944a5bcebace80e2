"""The weekly digest by email (``python manage.py send_digest``, for cron).

Each recipient's digest is built with their access at the moment of sending
(``papers.digest``), in HTML and plain text, with links from the configured site address
(``papers.site_address``), never the host of a request. A week is recorded for a recipient
before their email goes (``DigestDelivery``, unique per member and week), so a re-run, or two
runs at once, never send it twice; if sending fails the record is removed and the next run
tries again. An empty digest is not sent.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from .conf import get_setting
from .digest import build_digest
from .mail import site_email
from .models import DigestDelivery, DigestPreference
from .roles import ROLE_GROUPS
from .site_address import absolute_url

logger = logging.getLogger(__name__)


def recipients():
    """Active members (councillors and above, and superusers) with an email address who have
    not opted out, in a stable order."""
    opted_out = DigestPreference.objects.filter(weekly_email=False).values("user_id")
    members = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=ROLE_GROUPS), is_active=True
    )
    return members.exclude(email="").exclude(pk__in=opted_out).distinct().order_by("username")


def digest_message(user, digest):
    """The email of ``digest`` (already built for ``user``)."""
    context = {
        "digest": digest,
        "user": user,
        "week_url": absolute_url(reverse("digest_week", args=[digest.week.label])),
        "account_url": absolute_url(reverse("account") + "#digest"),
        "council_name": get_setting("COUNCIL_NAME"),
    }
    return site_email(
        "papers/email/digest",
        context,
        subject=f"Backbench digest: week of {digest.week.monday:%-d %B %Y}",
        to=[user.email],
    )


@dataclass
class Outcome:
    user: object
    counts: dict
    result: str  # "sent", "would send", "already sent", "nothing to send", "failed"


def send_digests(week, dry_run=False):
    """Send ``week``'s digest to every recipient not yet sent it; one Outcome each."""
    already = set(DigestDelivery.objects.filter(week=week.monday).values_list("user_id", flat=True))
    outcomes = []
    for user in recipients():
        if user.pk in already:
            outcomes.append(Outcome(user, {}, "already sent"))
            continue
        digest = build_digest(user, week)
        counts = digest.counts()
        if not digest.total:
            outcomes.append(Outcome(user, counts, "nothing to send"))
            continue
        if dry_run:
            outcomes.append(Outcome(user, counts, "would send"))
            continue
        try:
            with transaction.atomic():
                delivery = DigestDelivery.objects.create(
                    user=user, week=week.monday, items=digest.total
                )
        except IntegrityError:  # another run has just sent it
            outcomes.append(Outcome(user, counts, "already sent"))
            continue
        try:
            digest_message(user, digest).send()
        except Exception:
            logger.exception("The digest of %s to user %s could not be sent", week, user.pk)
            delivery.delete()
            outcomes.append(Outcome(user, counts, "failed"))
            continue
        outcomes.append(Outcome(user, counts, "sent"))
    return outcomes
