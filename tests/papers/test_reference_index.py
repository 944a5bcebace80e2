"""Wagtail's reference index ("Used in", and the warnings before a page or document is
deleted) covers the add-on's records in every process, not only once the admin has loaded."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh process: in the test run the admin's URLs, which register a viewset's model
# for the reference index as a side effect, are long loaded.
CHECK = """
import sys
import django
django.setup()
from wagtail.models import ReferenceIndex
from papers.models import Interest, TrainingCompletion
assert "cms.urls" not in sys.modules and "wagtail.admin.urls" not in sys.modules
print(sorted(m.__name__ for m in (Interest, TrainingCompletion)
             if m in ReferenceIndex.tracked_models))
"""


def test_records_the_admin_edits_are_indexed_before_any_url_loads():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['Interest', 'TrainingCompletion']"
