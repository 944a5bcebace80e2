"""Spreadsheet-safe CSV: a cell a spreadsheet would read as a formula is written as text.

The OWASP rule for CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``, so Excel, LibreOffice and Google Sheets show it as text
instead of running it (``=HYPERLINK(...)`` in a document title would otherwise send other cells
of the access log away). The file stays ordinary CSV: the csv module still quotes and parses it.

Every CSV the site produces is written by Wagtail's ``SpreadsheetExportMixin`` (the access log's
export and the admin reports: site history, workflows, aging and locked pages, page types), whose
documented per-row hook is ``write_csv_row``. Wagtail's own report views are routed inside
``wagtail.admin.urls`` and cannot be swapped for subclasses by a hook, so ``install()`` (called
once from ``PapersConfig.ready``) replaces that one method on the mixin for every view at once.
XLSX exports need nothing: Wagtail already stores formula-like cells as strings there.
"""

import csv

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a spreadsheet shows it as text: a leading ``'`` if it could start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row):
    """A CSV row (a dict of cell values) with every cell neutralised."""
    return {field: neutralise(value) for field, value in row.items()}


def write_csv_row(view, writer, row_dict):
    """``SpreadsheetExportMixin.write_csv_row``, with each cell neutralised after Wagtail's own
    preprocessing (dates, lists and the like have become strings by then)."""
    return writer.writerow(
        safe_row(
            {
                field: view.preprocess_field_value(field, value, view.FORMAT_CSV)
                for field, value in row_dict.items()
            }
        )
    )


def install():
    SpreadsheetExportMixin.write_csv_row = write_csv_row


def write_csv(response, header, rows):
    """Write ``header`` and ``rows`` (sequences of cells) to ``response`` (any file-like
    object) as CSV, every cell neutralised: for the add-on's own downloads (the contracts
    register's Transparency Code CSV), which are not Wagtail report views."""
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
