"""The Chair's review: a confirmation after approving.

Wagtail approves from the dashboard (the workflow action view) without any message, and from
the edit form with "Page ... has been updated". ``ApprovalConfirmationMiddleware`` adds, after
either, a message naming the page and saying it is now live (or when it will be).
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import Page, TaskState

APPROVING_ATTR = "_board_approving"


def _approving(request, match):
    """The id of the page whose current task the request approves, or None."""
    if request.method != "POST" or match is None:
        return None
    kwargs = match.kwargs
    if match.view_name == "wagtailadmin_pages:workflow_action":
        return kwargs.get("page_id") if kwargs.get("action_name") == "approve" else None
    if match.view_name == "wagtailadmin_pages:edit":
        wanted = request.POST.get("workflow-action-name") == "approve"
        return kwargs.get("page_id") if wanted else None
    return None


def approval_message(page):
    title = page.get_admin_display_title()
    page = page.specific
    if page.live and not page.has_unpublished_changes:
        return f"You approved “{title}”: it is now live on the site."
    if page.go_live_at and page.go_live_at > timezone.now():
        when = date_format(timezone.localtime(page.go_live_at), "j F Y, H:i")
        return f"You approved “{title}”: it will go live on {when}."
    return f"You approved “{title}”."


class ApprovalConfirmationMiddleware:
    """After the Chair approves a page, say so: place after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        page_id = _approving(request, request.resolver_match)
        if page_id is not None:
            state = TaskState.objects.filter(
                workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
                workflow_state__object_id=str(page_id),
                status=TaskState.STATUS_IN_PROGRESS,
            ).first()
            if state is not None:
                setattr(request, APPROVING_ATTR, (page_id, state.pk))
        return None

    def __call__(self, request):
        response = self.get_response(request)
        approving = getattr(request, APPROVING_ATTR, None)
        if approving is not None:
            page_id, state_id = approving
            state = TaskState.objects.filter(pk=state_id).first()
            if state is not None and state.status == TaskState.STATUS_APPROVED:
                page = Page.objects.filter(pk=page_id).first()
                if page is not None:
                    messages.success(request, approval_message(page))
        return response
