# The seeded demo fixture, shared with the accessibility tests.
from tests.a11y.conftest import _migrated_data_survives_playwright, demo  # noqa: F401
