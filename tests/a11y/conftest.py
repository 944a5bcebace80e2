import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

from tests.a11y.helpers import DEMO_PASSWORD


@pytest.fixture
def _migrated_data_survives_playwright(django_db_setup):
    """Let serialized rollback restore what migrations created (root page, home page, site).

    Django keeps each database connection per thread, but per *context* once an event loop
    runs in the thread, and Playwright's sync API runs one in the main thread. After the first
    browser test the test code therefore gets a fresh connection object that lacks the snapshot
    Django took at set-up (``_test_serialized_contents``), so the flush after a browser test is
    never undone and the next test finds no home page. Hand the snapshot on.
    """
    current = connections[DEFAULT_DB_ALIAS]
    original = getattr(connections._connections._storage, DEFAULT_DB_ALIAS, None)
    snapshot = getattr(original, "_test_serialized_contents", None)
    if snapshot is not None and not hasattr(current, "_test_serialized_contents"):
        current._test_serialized_contents = snapshot


@pytest.fixture
def demo(_migrated_data_survives_playwright, django_db_serialized_rollback, transactional_db):
    """The whole seeded demo site (accounts, meetings, minutes, confidential papers)."""
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)
