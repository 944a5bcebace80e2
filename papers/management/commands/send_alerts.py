"""Send due saved-search and subscription alerts (for cron, or the task queue)::

    python manage.py send_alerts            # send what is due
    python manage.py send_alerts --dry-run  # print what would be sent and withheld; send nothing

Safe to run as often as you like: an item is sent at most once to each recipient
(papers.alert_mail), and an alert is due only once a day or a week.
"""

from django.core.management.base import BaseCommand

from papers.alert_mail import drop_unconfirmed, send_due


class Command(BaseCommand):
    help = "Send due email alerts (saved searches and subscriptions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print, per recipient, the items that would be sent and those withheld.",
        )

    def handle(self, *args, dry_run=False, **options):
        if not dry_run:
            dropped = drop_unconfirmed()
            if dropped:
                self.stdout.write(f"Forgot {dropped} subscriptions never confirmed.")
        runs = send_due(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for run in runs:
            line = f"{run.label}: {verb} {run.sent} items, withheld {run.withheld}"
            self.stdout.write(line + (f" ({run.error})" if run.error else ""))
        total = sum(run.sent for run in runs)
        withheld = sum(run.withheld for run in runs)
        self.stdout.write(
            f"{len(runs)} due alerts: {verb} {total} items, withheld {withheld} "
            "(items the recipient may not open)."
        )
