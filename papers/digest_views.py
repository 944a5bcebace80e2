"""The backbench digest's archive (``/digest/``, ``/digest/<yyyy>-W<ww>/``) and the member's
choice about the weekly email (on ``/account/``).

Members only, each page built for the reader (``papers.digest``): marked private before
anything else, so neither a browser, a shared cache nor the page cache keeps it
(``papers.caching``); an anonymous visitor is sent to sign in, a signed-in account that is no
member's gets the 403 that names nothing.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .caching import mark_private
from .digest import Week, archive_weeks, build_digest, is_member
from .models import DigestDelivery, DigestPreference

NO_ACCESS = "You do not have access to this page."


def members_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_private(request)
        if not request.user.is_authenticated:
            login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or settings.LOGIN_URL
            return redirect_to_login(request.get_full_path(), login_url)
        if not is_member(request.user):
            raise PermissionDenied(NO_ACCESS)
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@members_only
def digest_archive(request):
    weeks = archive_weeks()
    emailed = set(
        DigestDelivery.objects.filter(user=request.user, week__gte=weeks[-1].monday).values_list(
            "week", flat=True
        )
    )
    context = {
        "weeks": [(week, week.monday in emailed) for week in weeks],
        "current": weeks[0],
        "wants_email": DigestPreference.wants_email(request.user),
    }
    return render(request, "papers/digest_archive.html", context)


@require_GET
@members_only
def digest_week(request, week):
    try:
        week = Week.parse(week)
    except ValueError as error:
        raise Http404(str(error)) from error
    current = Week.current()
    if week.monday > current.monday:
        raise Http404("That week has not started yet.")
    context = {
        "digest": build_digest(request.user, week),
        "current": week == current,
        "previous": week.previous(),
        "next": week.next() if week != current else None,
        "link_base": "",
    }
    return render(request, "papers/digest_week.html", context)


@login_required
@require_POST
def digest_preference(request):
    """Keep the member's choice: the weekly email, or not."""
    choice = request.POST.get("weekly_email")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest("Choose yes or no for the weekly digest email.")
    wanted = choice == "yes"
    DigestPreference.objects.update_or_create(user=request.user, defaults={"weekly_email": wanted})
    return HttpResponseRedirect(reverse("account") + "#digest")
