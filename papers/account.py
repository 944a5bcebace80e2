"""A signed-in member's own page (``/account/``): their training record, saved searches,
private notes and their choice about the backbench digest email, and the views that keep and
export those notes (saved searches are changed by papers.alert_views).

Notes are their author's alone: every view here reads ``request.user``'s notes only, and a note
shows only while its author may open the paper (``papers.visibility``); one on a paper they can
no longer open is kept, unlisted and unexported, until access returns. Every response here is
for a signed-in user, so ``papers.caching`` keeps no copy of it.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .alert_mail import describe, search_labels
from .csv_export import write_csv
from .digest import is_member
from .models import DigestPreference, Frequency, PrivateNote, TrainingModulePage
from .models.notes import NOTE_MAX_LENGTH
from .visibility import can_view, missing_training, visible_pages


def readable_notes(user):
    """``user``'s notes on live papers they may open now, newest first."""
    notes = PrivateNote.objects.filter(user=user).select_related("page")
    pages = visible_pages(user, Page.objects.filter(pk__in=notes.values("page_id")))
    return notes.filter(page__in=pages.values("pk"))


def training_record(user):
    """Every live module with the user's completion of it (or None), required ones marked."""
    modules = TrainingModulePage.objects.live().order_by("path")
    done = {c.module_id: c for c in user.training_completions.select_related("recorded_by")}
    return [(module, done.get(module.pk)) for module in modules]


@login_required
def account(request):
    notes = readable_notes(request.user)
    saved_searches = list(request.user.saved_searches.all())
    labels = search_labels() if saved_searches else {}
    context = {
        "record": training_record(request.user),
        "missing": missing_training(request.user),
        "notes": notes,
        "saved_searches": [(saved, describe(saved, labels)) for saved in saved_searches],
        "frequencies": Frequency.choices,
        "hidden_notes": PrivateNote.objects.filter(user=request.user).count() - notes.count(),
        # The backbench digest (papers.digest_views): members only, emailed unless declined.
        "digest_reader": is_member(request.user),
        "wants_digest": DigestPreference.wants_email(request.user),
    }
    return render(request, "papers/account.html", context)


@login_required
@require_POST
def save_note(request, page_id):
    """Keep, change or (when emptied) delete the reader's note on a paper they may open."""
    page = get_object_or_404(Page, pk=page_id, live=True)
    if not can_view(request.user, page):
        raise Http404  # names nothing: the same answer as for a paper that does not exist
    # A browser sends each line break as two characters; its maxlength counted one.
    text = request.POST.get("text", "").replace("\r\n", "\n").strip()
    if len(text) > NOTE_MAX_LENGTH:
        # Refused, never cut short: the reader gets every character they typed back to trim.
        error = (
            f"Your note is {len(text):,} characters long. A note can be at most "
            f"{NOTE_MAX_LENGTH:,} characters: shorten it by {len(text) - NOTE_MAX_LENGTH:,} and "
            "save again. Nothing has been saved yet."
        )
        context = {
            "show": True,
            "page": page,
            "note": PrivateNote.objects.filter(user=request.user, page=page).first(),
            "typed": True,
            "text": text,
            "error": error,
            "max_length": NOTE_MAX_LENGTH,
        }
        return render(request, "papers/note_too_long.html", context, status=400)
    if text:
        PrivateNote.objects.update_or_create(user=request.user, page=page, defaults={"text": text})
    else:
        PrivateNote.objects.filter(user=request.user, page=page).delete()
    return HttpResponseRedirect(f"{page.url}#private-note")


@login_required
def export_notes(request):
    """The reader's notes on papers they may open, as spreadsheet-safe CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-notes-{stamp}.csv"'
    rows = (
        (
            note.page.title,
            request.build_absolute_uri(note.page.url) if note.page.url else "",
            timezone.localtime(note.updated_at).strftime("%Y-%m-%d %H:%M"),
            note.text,
        )
        for note in readable_notes(request.user)
    )
    write_csv(response, ["Paper", "Address", "Note updated", "Note"], rows)
    return response
