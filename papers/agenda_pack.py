"""The agenda pack: one accessible PDF of a meeting's agenda and its papers (WeasyPrint).

Two packs per meeting, both served from the meeting's own URL (MeetingPage routes):

- ``agenda-pack/``, the public pack: the whole agenda (an exempt item shows only its public
  title and Schedule 12A notice) and every paper the public may read. It is built as an
  anonymous visitor sees the site, whoever asks, so it never holds anything else.
- ``agenda-pack/exempt/``: the papers the public pack leaves out (exempt items and papers
  not public), limited to those the reader may open (papers.visibility). Anonymous visitors are
  sent to sign in; a signed-in reader who may open none of them gets a 403; every response is
  ``private, no-store`` and each paper read is logged like a page view.

Versions: the pack as first published on the agenda's publication date is version 1; each later
day on which the meeting is published with a changed agenda issues a supplement, version 2, 3...
worked out from the meeting's publication history, so officers have nothing to keep up to date.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from .caching import mark_private
from .choices import Audience
from .conf import get_setting
from .visibility import visible_page_ids

AGENDA_FIELDS = (
    "number",
    "public_title",
    "description",
    "proposal",
    "is_exempt",
    "exempt_paragraph",
)


def _signature(items):
    return [tuple(item.get(name) for name in AGENDA_FIELDS) for item in items]


def pack_version(meeting):
    """(version number, date issued) of the meeting's current agenda pack."""
    published_on = meeting.agenda_published_on
    entries = (
        PageLogEntry.objects.filter(page=meeting, action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    version, issued, previous = 1, published_on, None
    for entry in entries:
        agenda = _signature(entry.revision.content.get("agenda_items", []))
        day = timezone.localtime(entry.timestamp).date()
        if published_on and day > published_on and previous is not None and agenda != previous:
            version, issued = version + 1, day
        previous = agenda
    if issued is None and meeting.last_published_at:
        issued = timezone.localtime(meeting.last_published_at).date()
    return version, issued


def _is_exempt(item, paper):
    return item.is_exempt or getattr(paper, "audience", Audience.PUBLIC) == Audience.BOARD


def _agenda_papers(meeting, user):
    """(item, paper) for each agenda item whose paper ``user`` may open (a live page they may
    see: never linked or named otherwise), in agenda order: a few queries for the agenda."""
    items = [item for item in meeting.agenda_items.all() if item.proposal_id]
    openable = visible_page_ids(user, {item.proposal_id for item in items})
    papers = {page.pk: page for page in Page.objects.filter(pk__in=openable).specific()}
    return [(item, papers[item.proposal_id]) for item in items if item.proposal_id in papers]


def public_papers(meeting):
    """(item, paper) for each item whose paper the public may read, in agenda order."""
    papers = _agenda_papers(meeting, AnonymousUser())
    return [(item, paper) for item, paper in papers if not _is_exempt(item, paper)]


def restricted_papers(meeting, user):
    """(item, paper) for each paper left out of the public pack that ``user`` may open."""
    public = {item.pk for item, _ in public_papers(meeting)}
    return [(item, paper) for item, paper in _agenda_papers(meeting, user) if item.pk not in public]


def has_restricted_papers(meeting):
    public = {item.pk for item, _ in public_papers(meeting)}
    return any(item.proposal_id and item.pk not in public for item in meeting.agenda_items.all())


def render_pack(meeting, papers, request, restricted=False):
    """The PDF bytes of a pack of ``papers`` for ``meeting`` (tagged PDF/UA-1)."""
    version, issued = pack_version(meeting)
    title = f"Agenda pack: {meeting.title}" + (
        " (papers not for publication)" if restricted else ""
    )
    html = render_to_string(
        "papers/agenda_pack.html",
        {
            "meeting": meeting,
            "items": meeting.agenda_items.all(),
            "papers": papers,
            "restricted": restricted,
            "has_exempt": any(_is_exempt(item, paper) for item, paper in papers),
            "version": version,
            "issued": issued,
            "pack_title": title,
            "council_name": get_setting("COUNCIL_NAME"),
        },
    )
    # Imported here: WeasyPrint takes over a second to import and only the PDF needs it; the
    # models (whose routes serve the pack) import this module.
    from weasyprint import CSS, HTML

    css = CSS(string=render_to_string("papers/agenda_pack.css"))
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    return document.write_pdf(stylesheets=[css], pdf_variant="pdf/ua-1")


def _pdf_response(meeting, pdf, suffix=""):
    version, _ = pack_version(meeting)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"agenda-pack-{meeting.slug}{suffix}-v{version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def public_pack_response(meeting, request):
    if not meeting.agenda_items.exists():
        raise Http404("This meeting has no agenda yet.")
    return _pdf_response(meeting, render_pack(meeting, public_papers(meeting), request))


def exempt_pack_response(meeting, request, record_read):
    """The pack of papers not for publication; ``record_read(request, kind, obj, title,
    audience)`` logs each paper read (the models pass ``AccessLogEntry.record``)."""
    if not has_restricted_papers(meeting):
        raise Http404("This meeting has no papers that are not for publication.")
    mark_private(request)
    if not request.user.is_authenticated:
        return redirect_to_login(
            request.get_full_path(),
            getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or settings.LOGIN_URL,
        )
    papers = restricted_papers(meeting, request.user)
    if not papers:
        raise PermissionDenied("You do not have access to this page.")
    for _item, paper in papers:
        record_read(request, "page", paper, paper.title, paper.audience)
    pdf = render_pack(meeting, papers, request, restricted=True)
    return _pdf_response(meeting, pdf, suffix="-exempt")
