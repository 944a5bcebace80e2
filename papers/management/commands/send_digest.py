"""Email each member the backbench digest of a week (for cron, weekly: see the README).

By default the week just ended (run it on Monday morning); ``--week 2026-W49`` for another.
``--dry-run`` builds every digest and prints what would be sent, sending and recording nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from ...digest import Week
from ...digest_email import send_digests


class Command(BaseCommand):
    help = "Email the weekly backbench digest to every member not yet sent it."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="The ISO week, as YYYY-Www (default: last week).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the counts per recipient; send nothing."
        )

    def handle(self, *args, week=None, dry_run=False, **options):
        current = Week.current()
        if week:
            try:
                week = Week.parse(week)
            except ValueError as error:
                raise CommandError(str(error)) from error
            if week.monday > current.monday:
                raise CommandError(f"{week} has not started yet.")
        else:
            week = current.previous()
        outcomes = send_digests(week, dry_run=dry_run)
        for outcome in outcomes:
            counts = ", ".join(f"{n} {what}" for what, n in outcome.counts.items())
            self.stdout.write(
                f"{outcome.user.get_username()}: {outcome.result}"
                + (f" ({counts})" if counts else "")
            )
        tally = {}
        for outcome in outcomes:
            tally[outcome.result] = tally.get(outcome.result, 0) + 1
        summary = (
            ", ".join(f"{n} {result}" for result, n in sorted(tally.items())) or "no recipients"
        )
        self.stdout.write(f"Digest of {week}{' (dry run)' if dry_run else ''}: {summary}.")
        if tally.get("failed"):
            raise CommandError(
                f"{tally['failed']} digest(s) could not be sent; run again to retry."
            )
