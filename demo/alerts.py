"""Saved searches and email alerts (issue 13): one saved search each for the board member, the
councillor and the trainee (the same words, so ``send_alerts --dry-run`` shows what each may
be sent and what is withheld), and a confirmed subscriber from the public (an invented address
at example.org). They began before the demo's papers were published, so the first run has
something to send."""

import datetime

from django.utils import timezone

from papers.models import EmailSubscription, Frequency, SavedSearch, Topic

SEARCHES = [
    # username, name, query string, frequency
    ("member", "Home care and care contracts", "q=care", Frequency.WEEKLY),
    ("councillor", "Care in my area", "q=care", Frequency.DAILY),
    ("trainee", "Care papers", "q=care", Frequency.WEEKLY),
]
SUBSCRIBER = "resident@example.org"
SUBSCRIPTIONS = [(Topic.DECISIONS, ""), (Topic.MINUTES, ""), (Topic.SEARCH, "q=care")]


def seed(ctx):
    began = timezone.now() - datetime.timedelta(days=400)
    for username, name, querystring, frequency in SEARCHES:
        SavedSearch.objects.get_or_create(
            user=ctx.users[username],
            name=name,
            defaults={"querystring": querystring, "frequency": frequency, "created_at": began},
        )
    for topic, querystring in SUBSCRIPTIONS:
        EmailSubscription.objects.get_or_create(
            email=SUBSCRIBER,
            topic=topic,
            querystring=querystring,
            defaults={"created_at": began, "confirmed_at": began},
        )
    ctx.say(f"Alerts: {len(SEARCHES)} saved searches and {len(SUBSCRIPTIONS)} subscriptions.")
