"""Database sessions whose idle expiry is renewed once every few minutes, not on every request.

A session ends SESSION_COOKIE_AGE after the reader's last request. Django keeps that by writing
the session's row on every request (``SESSION_SAVE_EVERY_REQUEST``): a write, and a commit, for
each page a signed-in reader opens. Here a request renews the expiry only once the last renewal
is SESSION_RENEWAL_SECONDS old, so an idle session ends at most that much sooner than the idle
limit after the last request, never later.

``SESSION_ENGINE = "cms.sessions"`` and ``SessionRenewalMiddleware`` just inside Django's
``SessionMiddleware``, which saves what this marks.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    """Django's database session, which remembers when its stored row expires."""

    stored_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session else None
        return session

    def renewal_due(self):
        """Whether the stored expiry was set SESSION_RENEWAL_SECONDS ago or more (False for a
        session with no stored row: a new one is saved when it is given anything)."""
        if self.session_key is None:
            return False
        self._get_session()  # the row is read once a request, when the session is first used
        if self.stored_expiry is None:
            return False
        renewed_at = self.stored_expiry - timedelta(seconds=self.get_session_cookie_age())
        interval = timedelta(seconds=settings.SESSION_RENEWAL_SECONDS)
        return timezone.now() - renewed_at >= interval


class SessionRenewalMiddleware:
    """Marks a session whose renewal is due as changed, so that SessionMiddleware saves it
    (which sets its expiry SESSION_COOKIE_AGE from now)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and session.renewal_due():
            session.modified = True
        return response
