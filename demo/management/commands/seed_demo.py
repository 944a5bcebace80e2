from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from demo.seed import run as seed_demo_content
from papers import decisions_follow

DEFAULT_PASSWORD = "changeme"


class Command(BaseCommand):
    help = (
        "Create the demo site: sections, members, meetings, minutes, proposals, providers, "
        "training and the demo accounts. Safe to run again: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=f"Password for the demo accounts (default '{DEFAULT_PASSWORD}', only with DEBUG on).",
        )
        parser.add_argument(
            "--papers",
            type=int,
            default=0,
            help="Also generate N historical proposals and minutes with decisions (deterministic).",
        )

    def handle(self, *args, password=None, papers=0, **options):
        if password is None:
            if not settings.DEBUG:
                raise CommandError(
                    "Refusing the default demo password with DEBUG off: pass --password."
                )
            password = DEFAULT_PASSWORD
        if papers < 0:
            raise CommandError("--papers must be zero or more.")
        # The demo's papers carry their own status and advice: publishing its minutes must not
        # rewrite them (papers.decisions_follow).
        with transaction.atomic(), decisions_follow.paused():
            seed_demo_content(password=password, papers=papers, stdout=self.stdout)
        if papers:
            # Thousands of rows written at once leave PostgreSQL without statistics until
            # autovacuum runs (if it runs at all): without them it planned the proposals index
            # at 10,000 papers as a 40 s query, with them 0.4 s. SQLite never gathers its own:
            # without them it sorted every decision to list the register's newest twenty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
