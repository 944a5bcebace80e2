"""Data built once for all the tests of a module, rolled back after its last test.

Building a board (sections, roles, published pages) costs about half a second a test, and a
module of a hundred tests that each build the same scene spends most of its time there. A
module-scoped fixture builds it inside ``kept_for_the_module()``: a transaction left open for
the module's tests, each of which runs in a savepoint inside it (pytest-django's ``db``) and so
still starts from exactly the scene, whatever the test before it changed in the database.

What does not roll back is the tests' business: Python objects built with the scene are shared,
so a test reads its own copies (``reread``); files are kept in a directory of the module's own.
Two limits:
- a transactional test (``transaction=True``, the live server, a task worker's connection) sees
  nothing of the uncommitted scene, and may find the database flushed when it is built: give it
  its own, per-test fixture (tests/search/test_extraction_task.py);
- ``-n 2`` may hand a module's tests to both workers, and each builds the scene again for each
  run of the module's tests it gets (never more often than once a test, as before). Where the
  scene is expensive and the module large, list it in ``ONE_WORKER_MODULES``
  (tests/conftest.py).
"""

from contextlib import contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.test import override_settings


@contextmanager
def kept_for_the_module(django_db_blocker, tmp_path_factory):
    """Open the module's transaction; documents' files go to a directory of the module's own
    (every test points MEDIA_ROOT at its own directory, tests/conftest.py ``_media_root``)."""
    files = override_settings(
        BOARD_PAPERS={
            **settings.BOARD_PAPERS,
            "PRIVATE_MEDIA_ROOT": tmp_path_factory.mktemp("private-documents"),
        }
    )
    with files, django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def reread(scene):
    """A copy of ``scene`` (model instances in namespaces, dicts, lists or tuples, nested)
    whose instances are read afresh from the database, so no test sees another's changes to
    the shared objects."""
    if isinstance(scene, Model):
        return type(scene)._default_manager.get(pk=scene.pk)
    if isinstance(scene, SimpleNamespace):
        return SimpleNamespace(**reread(vars(scene)))
    if isinstance(scene, dict):
        return {name: reread(value) for name, value in scene.items()}
    if isinstance(scene, list | tuple):
        return type(scene)(reread(value) for value in scene)
    return scene
