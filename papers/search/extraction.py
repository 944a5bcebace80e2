"""Text extraction from uploaded documents, so search can find words inside them.

Extraction never raises: a file we cannot read (corrupt, encrypted, scanned images only,
a type we do not read) is stored with a note saying why, and simply has no searchable text.
"""

import contextlib
import logging
import os
import re
import zipfile

from ..filechecks import zip_problem

logger = logging.getLogger(__name__)

# Enough for any board paper; a runaway file must not bloat the index.
MAX_CHARS = 500_000
MAX_PDF_PAGES = 500
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text):
    text = CONTROL_CHARS.sub(" ", text or "")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_CHARS]


OVERLOAD_NOTE = (
    "Text could not be read: the file goes past the text reader's limits (it may be built to "
    "overload readers), so it cannot be searched. The file itself is kept."
)


def _pdf_text(fileobj):
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    reader = PdfReader(fileobj)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:  # any failure means we cannot read it
            return "", "The PDF is password-protected, so its text could not be read."
    parts = []
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            break
        try:
            parts.append(page.extract_text() or "")
        except LimitReachedError:
            # pypdf's own guard against decompression bombs: on a fast machine it stops the
            # bomb before the sandbox's time or memory limit does.
            return "", OVERLOAD_NOTE
    text = clean("\n".join(parts))
    if not text:
        return "", "The PDF has no text layer (perhaps scanned images), so it cannot be searched."
    return text, ""


def _docx_text(fileobj):
    import docx

    # Uploads are checked at the form; this covers files that arrived any other way.
    problem = zip_problem(fileobj, ".docx")
    if problem:
        return "", f"The file could not be read: {problem}."[:255]
    fileobj.seek(0)
    document = docx.Document(fileobj)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    text = clean("\n".join(parts))
    if not text:
        return "", "The Word document has no text to search."
    return text, ""


def _txt_text(fileobj):
    raw = fileobj.read(MAX_CHARS * 4)
    return clean(raw.decode("utf-8", errors="replace")), ""


READERS = {".pdf": _pdf_text, ".docx": _docx_text, ".txt": _txt_text, ".csv": _txt_text}


def extract_text(fileobj, filename):
    """Return ``(text, note)`` for an uploaded file; ``note`` says why text is missing."""
    extension = os.path.splitext(filename or "")[1].lower()
    reader = READERS.get(extension)
    if reader is None:
        return "", f"Text is not read from {extension or 'files without an extension'} files."
    try:
        fileobj.seek(0)
        return reader(fileobj)
    except MemoryError:  # papers.sandbox turns it into a note about the memory limit
        raise
    except (zipfile.BadZipFile, KeyError) as error:
        logger.info("Could not read %s: %s", filename, error)
        return "", "The file could not be read (it may be damaged), so it cannot be searched."
    except Exception as error:  # a bad upload must never be an error page
        logger.info("Could not read %s: %r", filename, error)
        return "", "The file could not be read (it may be damaged), so it cannot be searched."
    finally:
        with contextlib.suppress(Exception):
            fileobj.seek(0)
