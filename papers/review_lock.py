"""While the Chair reviews a page, nobody else can change it by any route; no second privacy control.

Wagtail locks a page in a workflow for everyone outside the task's group (``GroupApprovalTask``),
but only its edit view honours that lock: the admin API's ``revert_to_page_revision``, ``copy``,
``move``, ``delete`` and ``create_alias`` actions and the bulk actions ask the page's permission
tester, which knows nothing of the lock. The board's pages use the tester below, so every route
that asks "may this user delete / move / copy this page?" hears "no" while the page is locked for
that user, and ``save_revision`` refuses a revision from such a user whatever route calls it
(reverting only checks "may edit", which an officer must keep to see the locked page).

The audience field is the one control of who reads a page (``papers.confidentiality``); Wagtail's
own privacy setting would disagree with it and be undone at the next publish, so it is refused on
these pages for everyone, administrators included.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import PagePermissionTester

LOCKED_MESSAGE = (
    "“{title}” is with the Chair for approval, so it cannot be changed until the Chair "
    "approves it or requests changes."
)


class ReviewedPagePermissionTester(PagePermissionTester):
    def locked_for_user(self):
        return not self.user.is_superuser and bool(self.page_locked())

    def can_delete(self, ignore_bulk=False):
        # can_move (and so can_move_to) asks this too.
        return super().can_delete(ignore_bulk=ignore_bulk) and not self.locked_for_user()

    def can_copy(self):
        # can_copy_to (copy, create alias) asks this too.
        return super().can_copy() and not self.locked_for_user()

    def can_set_view_restrictions(self):
        return False


class ReviewLockMixin:
    """For the board's page models (``BoardPage``, ``SectionIndexPage``)."""

    def permissions_for_user(self, user):
        return ReviewedPagePermissionTester(user, self)

    def save_revision(self, user=None, *args, **kwargs):
        if user is not None and self.pk:
            lock = self.get_lock()
            if lock is not None and lock.for_user(user):
                raise PermissionDenied(LOCKED_MESSAGE.format(title=self.title))
        return super().save_revision(user, *args, **kwargs)
