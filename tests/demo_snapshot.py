"""The seeded demo, kept once a worker and put back for each browser test that asks for it.

A browser test runs against the live server, so its data must be committed, and each such
test ends with the database flushed (pytest-django's ``transactional_db``). Seeding the demo
again for each of them cost 20-25 s a test on PostgreSQL, seven times a run. Instead the first
seed is copied, table by table, into a schema of its own (``demo_snapshot``, which Django's
flush does not see: it is not on the search path), with the seed's files; later tests get the
same rows back, with the same ids, in well under a second. SQLite (no schemas) seeds each time.
"""

import shutil

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from papers.storage import private_media_root

SCHEMA = "demo_snapshot"


class DemoSnapshot:
    def __init__(self, files_dir):
        self.files_dir = files_dir
        self.tables = None  # none taken yet

    @staticmethod
    def supported():
        return connection.vendor == "postgresql"

    def seed(self, password, media_root):
        """The demo in the database and under ``media_root``: seeded the first time, put
        back from the snapshot after that."""
        if not self.supported():
            call_command("seed_demo", password=password, verbosity=0)
        elif self.tables is None:
            call_command("seed_demo", password=password, verbosity=0)
            self._take(media_root)
        else:
            self._restore(media_root)

    def _file_roots(self, media_root):
        return {"media": media_root, "private": private_media_root()}

    def _take(self, media_root):
        tables = connection.introspection.django_table_names(only_existing=True)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table in tables:
                cursor.execute(f'CREATE TABLE {SCHEMA}."{table}" AS TABLE public."{table}"')
        for name, root in self._file_roots(media_root).items():
            if root.exists():
                shutil.copytree(root, self.files_dir / name, dirs_exist_ok=True)
        # Only a complete copy is restored from: if any step above failed, the next test seeds.
        self.tables = tables

    def _restore(self, media_root):
        quoted = ", ".join(f'public."{table}"' for table in self.tables)
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            # What the test's set-up put there (the migrations' rows) is in the snapshot too.
            cursor.execute(f"TRUNCATE {quoted}")
            # The rows go in table by table, so foreign keys are checked by none of them.
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in self.tables:
                cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {SCHEMA}."{table}"')
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        for name, root in self._file_roots(media_root).items():
            kept = self.files_dir / name
            if kept.exists():
                shutil.copytree(kept, root, dirs_exist_ok=True)
