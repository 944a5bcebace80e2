"""The review pack's charts, PDF (WeasyPrint) and CSV, all drawn from the figures frozen in
the page (``ReviewPackPage.figures``), never from a recount: the HTML page, the PDF and the
CSV of a revision always say the same thing.

Charts are SVG bars drawn from the same numbers as the table beside them (the table is what a
screen reader reads: the SVG is marked as an image with a text alternative).
"""

import datetime
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from wagtail.documents import get_document_model

from .conf import get_setting
from .csv_export import write_csv
from .richtext import stored_document_links
from .visibility import visible_documents

CSV_HEADER = ["section", "item", "measure", "value"]
# A rendered PDF is kept (the default cache) for this long, under a key naming the revision
# it was rendered from: a new revision is a new key, so nothing needs deleting. Change
# PDF_CACHE_VERSION when the PDF's templates change, so no PDF of the old layout is served.
PDF_CACHE_SECONDS = 7 * 24 * 60 * 60
PDF_CACHE_VERSION = 1
BAR_WIDTH = 360  # the longest bar, in SVG user units
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 22, 10, 240


def period_label(figures):
    period = figures.get("period") or {}
    if not period:
        return ""
    start, end = (datetime.date.fromisoformat(period[k]) for k in ("start", "end"))
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def bar_chart(title, rows, unit="", maximum=None):
    """An SVG bar chart's geometry: ``rows`` are (label, value) with numbers or None."""
    values = [v for _, v in rows if v is not None]
    top = maximum or max(values, default=0) or 1
    bars = []
    for n, (label, value) in enumerate(rows):
        width = round(BAR_WIDTH * (value or 0) / top, 1)
        y = n * (BAR_HEIGHT + BAR_GAP)
        shown = "no figure" if value is None else f"{value:g}{unit}"
        bars.append(
            {
                "label": label,
                "value": shown,
                "width": width,
                "y": y,
                "text_y": y + 15,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    height = max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP)
    description = "; ".join(f"{b['label']}: {b['value']}" for b in bars)
    return {
        "title": title,
        "bars": bars,
        "height": height,
        "width": LABEL_WIDTH + BAR_WIDTH + 80,
        "label_width": LABEL_WIDTH,
        "description": description,
    }


def charts(figures):
    """The charts shown on the page (each has a table with the same figures)."""
    if not figures:
        return {}
    attendance = figures["attendance"]
    followed = figures["advice_followed"]
    return {
        "groups": bar_chart(
            "Attendance by political group (%)",
            [(g["label"], g["rate"]) for g in attendance["groups"]],
            unit="%",
            maximum=100,
        ),
        "followed": bar_chart(
            "Share of the board's advice followed, by Cabinet Committee (%)",
            [(c["committee"], c["share"]) for c in followed["by_committee"]],
            unit="%",
            maximum=100,
        ),
        "stages": bar_chart(
            "Proposals considered, by commissioning stage",
            [(label, n) for label, n in figures["proposals"]["by_stage"]],
        ),
    }


def csv_rows(figures):
    """(section, item, measure, value) rows: every figure of the pack, one a row."""
    if not figures:
        return
    yield ("period", "", "from", figures["period"]["start"])
    yield ("period", "", "to", figures["period"]["end"])
    yield ("period", "", "audience counted", figures["audience"])
    yield ("meetings", "", "held", figures["meetings"]["held"])
    yield ("meetings", "", "cancelled", figures["meetings"]["cancelled"])
    for meeting in figures["meetings"]["list"]:
        yield ("meeting", meeting["date"], "status", meeting["status"])
        yield ("meeting", meeting["date"], "attended", meeting["attended"])
        yield ("meeting", meeting["date"], "expected", meeting["expected"])
    measures = ("present", "substitute", "apologies", "absent", "attended", "expected", "rate")
    total = figures["attendance"]["total"]
    for measure in measures:
        yield ("attendance", "all members", measure, total[measure])
    for section, key in (("attendance by group", "groups"), ("attendance by member", "members")):
        for row in figures["attendance"][key]:
            for measure in measures:
                yield (section, row["label"], measure, row[measure])
    proposals = figures["proposals"]
    yield ("proposals", "", "considered", proposals["considered"])
    for label, n in proposals["by_stage"]:
        yield ("proposals by stage", label, "considered", n)
    for label, n in proposals["by_service_area"]:
        yield ("proposals by service area", label, "considered", n)
    yield ("advice", "", "given", figures["advice"]["given"])
    for label, n in figures["advice"]["by_reached"]:
        yield ("advice", label, "given", n)
    followed = figures["advice_followed"]
    for row in [followed, *followed["by_committee"]]:
        for measure in ("decisions", "followed", "partly", "not_followed", "share"):
            yield ("advice followed", row["committee"], measure, row[measure])
    days = figures["days_to_decision"]
    for measure in ("median", "decisions", "shortest", "longest"):
        yield ("days from advice to Key Decision", "", measure, days[measure])
    deadlines = figures["deadlines"]
    yield ("deadlines", "", "missed", deadlines["missed"])
    for rule, n in deadlines["by_rule"].items():
        yield ("deadlines", rule, "missed", n)
    for rule, n in deadlines["unrecorded"].items():
        yield ("deadlines", rule, "not recorded", n)
    for item in deadlines["items"]:
        yield ("deadline missed", item["what"], item["rule"], item["detail"])
    providers = figures["providers"]
    yield ("providers", "", "reviews", providers["reviews"])
    yield ("providers", "", "providers reviewed", providers["providers"])
    for label, n in providers["by_rag"]:
        yield ("providers", label, "reviews", n)
    training = figures["training"]
    yield ("training", "", "members", training["members"])
    for module in training["modules"]:
        yield ("training", module["title"], "completed", module["done"])
    if training["completed_required"] is not None:
        yield ("training", "all required modules", "completed", training["completed_required"])


def _filename(page, extension):
    return f"{page.slug}.{extension}"


def csv_response(page):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, "csv")}"'
    write_csv(response, CSV_HEADER, csv_rows(page.figures))
    return response


def render_pdf(page, request):
    """The PDF bytes of the pack (tagged PDF/UA-1), from the page's frozen figures."""
    context = {
        "page": page,
        "figures": page.figures,
        "period": period_label(page.figures),
        "council_name": get_setting("COUNCIL_NAME"),
    }
    html = render_to_string("papers/review_pack_pdf.html", context)
    # Imported here, as papers.agenda_pack does: WeasyPrint takes over a second to import and
    # only the PDF needs it.
    from weasyprint import CSS, HTML

    css = CSS(string=render_to_string("papers/review_pack.css"))
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    return document.write_pdf(stylesheets=[css], pdf_variant="pdf/ua-1")


def pdf_cache_key(page, request):
    """The key of ``page``'s PDF as rendered for this request's reader, or None when it must
    not be kept (a preview, or a page with no live revision).

    The PDF is drawn from the live revision (its figures, audience, title and introduction),
    the council's name and the site's address; the one part that depends on the reader is the
    introduction's document links, shown only to a reader who may open the document
    (papers.richtext). So the key names the revision, the page's audience and which of the
    linked documents this reader may open: a reader is only ever given a PDF rendered for
    readers who see exactly what they may.
    """
    if getattr(request, "is_preview", False) or not page.live or not page.live_revision_id:
        return None
    linked = set(stored_document_links(page.introduction).values())
    readable = ""
    if linked:
        documents = get_document_model().objects.filter(pk__in=linked)
        ids = visible_documents(request.user, documents).values_list("pk", flat=True)
        readable = ",".join(str(pk) for pk in sorted(ids))
    reader_part = f"{sorted(linked)}:{readable}"
    site = f"{request.build_absolute_uri('/')}:{get_setting('COUNCIL_NAME')}:{reader_part}"
    digest = hashlib.sha256(site.encode()).hexdigest()[:32]
    return (
        f"review-pack-pdf:v{PDF_CACHE_VERSION}:{page.pk}:{page.live_revision_id}:"
        f"{page.audience}:{digest}"
    )


def cached_pdf(page, request):
    """The PDF bytes, rendered once per revision and reader's view (``pdf_cache_key``)."""
    key = pdf_cache_key(page, request)
    if key is None:
        return render_pdf(page, request)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(page, request)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def pdf_response(page, request):
    response = HttpResponse(cached_pdf(page, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(page, "pdf")}"'
    return response
