from datetime import date

from django.core.management.base import BaseCommand, CommandError

from papers.conf import get_setting
from papers.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email each board member a reminder of every scheduled meeting in the next few days "
        "(BOARD_PAPERS['MEETING_REMINDER_DAYS']), with the agenda they may see and their "
        "conflict prompts. For cron, daily: a reminder already sent is never sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help=f"Days ahead to look (default {get_setting('MEETING_REMINDER_DAYS')}).",
        )
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args, days=None, today=None, dry_run=False, **options):
        if days is not None and not 0 <= days <= 366:
            raise CommandError("--days must be between 0 and 366.")
        if today is not None:
            try:
                today = date.fromisoformat(today)
            except ValueError as error:
                raise CommandError("--today must be a date in the form YYYY-MM-DD.") from error
        outcome = send_reminders(today=today, days=days, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for meeting, user, prompts in outcome.sent:
            self.stdout.write(
                f"{verb} the reminder of {meeting.title} to {user.get_username()} "
                f"({prompts} conflict prompt{'s' if prompts != 1 else ''})"
            )
        for meeting, user, error in outcome.failed:
            self.stderr.write(
                f"Could not send the reminder of {meeting.title} to {user.pk}: {error}"
            )
        self.stdout.write(
            f"{verb} {len(outcome.sent)}, already sent before {outcome.already}, "
            f"failed {len(outcome.failed)}."
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} reminders could not be sent.")
