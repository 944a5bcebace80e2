"""Refuse hostile uploads with a message the officer can act on.

Called from BoardDocument.clean(), which every Wagtail upload route runs (the add form,
multiple upload, the chooser's upload, replacing a file on the edit form): errors are keyed
on the file field, so multiple upload rejects the file at once instead of keeping it.

The checks read the content, never trusting the name: a ``.pdf`` must start with ``%PDF-``
and carry no scripts or launch/submit actions; a ``.docx``/``.xlsx``/``.pptx`` must be a zip
package with the right main content type, no macros and no part that expands into a bomb;
``.txt``/``.csv`` must be text; HTML, SVG and programs are refused whatever their name.
A board paper is a record, so a file with active content is refused, never altered.
"""

import io
import logging
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from . import filechecks, sandbox

logger = logging.getLogger(__name__)

# The PDF inspection parses the file: in a child process, so a bomb costs only these.
PDF_CHECK_TIMEOUT = 10
PDF_CHECK_MEMORY_MB = 512


def refuse(name, reason, advice=""):
    message = f"“{name}” cannot be uploaded: {reason}."
    raise ValidationError({"file": (message + (" " + advice if advice else "")).strip()})


def read_upload(file):
    file.open("rb")
    file.seek(0)
    try:
        return file.read()
    finally:
        file.seek(0)


def validate_upload(file):
    """Raise ValidationError({"file": ...}) if ``file`` (a new upload) is not safe to keep."""
    name = os.path.basename(file.name or "")
    extension = os.path.splitext(name)[1].lower()
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    # The form field checks this too; this covers any other form or code path.
    if limit is not None and file.size > limit:
        refuse(
            name, f"it is {filesizeformat(file.size)}, over the limit of {filesizeformat(limit)}"
        )
    data = read_upload(file)
    danger = filechecks.dangerous_content(data[:1024])
    if danger:
        refuse(
            name,
            f"its content is {danger}, whatever its name says",
            "Only PDF, Word, Excel, PowerPoint, OpenDocument, RTF, text and CSV files are accepted.",
        )
    if extension == ".pdf":
        check_pdf(name, data)
    elif extension in filechecks.OFFICE_TYPES or extension == ".odt":
        problem = filechecks.zip_problem(io.BytesIO(data), extension)
        if problem:
            refuse(name, problem, "Save it again from its program and upload that.")
    elif extension in (".txt", ".csv"):
        problem = filechecks.text_problem(data)
        if problem:
            refuse(name, problem)
    elif extension == ".rtf" and not data.startswith(b"{\\rtf"):
        refuse(name, "it is not an RTF document (its content does not start with {\\rtf)")


def check_pdf(name, data):
    if not data.startswith(b"%PDF-"):
        refuse(
            name,
            "it is not a PDF (its content does not start with %PDF-)",
            "Upload the PDF itself, or give the file the extension of what it really is.",
        )
    try:
        result = sandbox.run(
            "papers.filechecks:pdf_active_content",
            data,
            timeout=PDF_CHECK_TIMEOUT,
            memory_mb=PDF_CHECK_MEMORY_MB,
        )
    except sandbox.SandboxError as error:
        logger.warning("PDF check of %s did not finish: %s", name, error)
        refuse(
            name,
            "it could not be checked for scripts within "
            f"{PDF_CHECK_TIMEOUT} seconds and {PDF_CHECK_MEMORY_MB} MB (it may be built to "
            "overload PDF readers)",
            "Print it to a new PDF and upload that.",
        )
    places = result["places"]
    if not places and result["error"] == "encrypted":
        refuse(
            name,
            "it is password-protected, so it cannot be checked for scripts or searched",
            "Save a copy without the password and upload that.",
        )
    if not places and result["error"]:
        refuse(
            name,
            "it could not be read to check it for scripts (it may be damaged)",
            "Print it to a new PDF and upload that.",
        )
    if places:
        found = "; ".join(f"{label} (in {', '.join(where)})" for label, where in places.items())
        refuse(
            name,
            f"the PDF carries active content that a PDF viewer would run for the reader: {found}",
            "Remove the scripts and actions (in Acrobat: Tools, JavaScript, Document "
            "JavaScripts, and the page and link actions), or print it to a new PDF, and upload "
            "that. The file was not changed or stored.",
        )
