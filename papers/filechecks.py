"""What an uploaded file really is, read from its content rather than its name.

Plain functions without Django, so papers.sandbox can run the PDF inspection in a child
process with limits, and papers.search.extraction can reuse the zip limits. Each check returns a
message for the officer (or findings), never raises on a bad file.
"""

import re
import zipfile

# Zip containers (.docx, .xlsx, .pptx, .odt): a small file must not expand into gigabytes.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_TOTAL = 200 * 1024 * 1024  # all parts, uncompressed
MAX_ZIP_XML_PART = 25 * 1024 * 1024  # one XML part, uncompressed (a 500-page report is ~10 MB)
MAX_ZIP_RATIO = 100  # deflated text compresses 5-20 times; bombs 1,000 times
RATIO_CHECKED_ABOVE = 1024 * 1024

OFFICE_TYPES = {
    ".docx": ("a Word document", ("wordprocessingml.document.main+xml",)),
    ".xlsx": ("an Excel workbook", ("spreadsheetml.sheet.main+xml",)),
    ".pptx": ("a PowerPoint presentation", ("presentationml.presentation.main+xml",)),
}
MACRO_MARKERS = ("macroEnabled", "vbaProject")

EXECUTABLE_MAGIC = {
    b"MZ": "a Windows program",
    b"\x7fELF": "a Linux program",
    b"\xcf\xfa\xed\xfe": "a Mac program",
    b"\xce\xfa\xed\xfe": "a Mac program",
    b"\xca\xfe\xba\xbe": "a Mac program",
    b"#!": "a script",
}
MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|svg|iframe|object|embed)\b")


def dangerous_content(head):
    """What kind of active content ``head`` (the first KB) starts, or None."""
    for magic, what in EXECUTABLE_MAGIC.items():
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    if text.startswith(b"<") and MARKUP.search(text):
        return "an SVG image" if b"<svg" in text else "a web page (HTML)"
    return None


CONTROL_BYTES = bytes([*range(1, 9), 11, *range(14, 27), *range(28, 32)])


def text_problem(data):
    """Why ``data`` is not a plain text or CSV file (UTF-8 or an 8-bit encoding), or None."""
    if b"\x00" in data:
        return "it contains binary data (NUL bytes), so it is not a text file"
    # Bytes in C (fast on 20 MB); UTF-8's multi-byte sequences never fall in this range.
    controls = len(data) - len(data.translate(None, CONTROL_BYTES))
    if controls > max(10, len(data) // 100):
        return "it contains binary data, so it is not a text file"
    if MARKUP.search(data[:4096].lower()):
        return "it contains web-page or SVG markup (<script>, <svg>, <html>...)"
    return None


def zip_problem(fileobj, extension):
    """Why a zip-based office file is not what its name says, or is a zip bomb; or None."""
    try:
        archive = zipfile.ZipFile(fileobj)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "it is not a valid file of that type (its content is not a zip package)"
    if len(entries) > MAX_ZIP_ENTRIES:
        return f"it holds {len(entries)} parts (more than {MAX_ZIP_ENTRIES})"
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.flag_bits & 0x1:
            return "it is password-protected (encrypted)"
        is_xml = entry.filename.endswith((".xml", ".rels"))
        if is_xml and entry.file_size > MAX_ZIP_XML_PART:
            return (
                f"its part {entry.filename[:60]} expands to {round(entry.file_size / 1048576)} MB "
                f"(more than {MAX_ZIP_XML_PART // 1048576} MB)"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECKED_ABOVE and ratio > MAX_ZIP_RATIO:
            return (
                f"its part {entry.filename[:60]} expands {int(ratio)} times "
                f"(to {round(entry.file_size / 1048576)} MB): a compression bomb"
            )
    if total > MAX_ZIP_TOTAL:
        return (
            f"it expands to {round(total / 1048576)} MB (more than {MAX_ZIP_TOTAL // 1048576} MB)"
        )
    names = {entry.filename for entry in entries}
    if extension == ".odt":
        if "mimetype" not in names:
            return "it is not an OpenDocument text file"
        if archive.read("mimetype")[:100].strip() != b"application/vnd.oasis.opendocument.text":
            return "it is not an OpenDocument text file"
        return None
    label, main_types = OFFICE_TYPES[extension]
    if "[Content_Types].xml" not in names:
        return f"it is not {label} (it has no [Content_Types].xml)"
    content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(marker in content_types or marker in " ".join(names) for marker in MACRO_MARKERS):
        return "it contains macros; save it as a macro-free file and upload that"
    if not any(main_type in content_types for main_type in main_types):
        return f"it is not {label} (its content types say otherwise)"
    return None


# --- PDF active content -------------------------------------------------------------------

ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "launch actions (which open other programs or files)",
    "/SubmitForm": "form-submission actions (which send data to a web address)",
    "/ImportData": "import-data actions",
    "/RichMediaExecute": "rich-media (Flash or video) actions",
}
RAW_TOKENS = {
    b"JavaScript": "JavaScript",
    b"Launch": ACTIONS["/Launch"],
    b"SubmitForm": ACTIONS["/SubmitForm"],
    b"ImportData": ACTIONS["/ImportData"],
    b"RichMedia": "rich media (Flash or video that can run script)",
    b"RichMediaExecute": ACTIONS["/RichMediaExecute"],
    b"XFA": "an XFA form (which can run script)",
}
NAME_END = rb"(?=[\s/\[\]()<>{}%]|$)"
NAME_CHARS = re.compile(rb"[^\s/\[\]()<>{}%]*")
ESCAPE = re.compile(rb"#[0-9A-Fa-f]{2}")


LONG_NAMES = re.compile(
    rb"/(" + b"|".join(sorted(RAW_TOKENS, key=len, reverse=True)) + b")" + NAME_END
)


def _outside_streams(data):
    """``data`` without the bodies of its streams (found with bytes.find: fast)."""
    parts, position = [], 0
    while True:
        start = data.find(b"stream", position)
        end = data.find(b"endstream", start + 6) if start >= 0 else -1
        if end < 0:
            parts.append(data[position:])
            return b" ".join(parts)
        parts.append(data[position:start])
        position = end + len(b"endstream")


def _escaped_names(data):
    """Names written with #xx escapes (/J#61vaScript), unescaped."""
    for match in ESCAPE.finditer(data):
        start = data.rfind(b"/", max(0, match.start() - 40), match.start())
        if start < 0:
            continue
        name = NAME_CHARS.match(data, start + 1).group()
        if start + 1 + len(name) >= match.end():  # the escape is inside this name
            yield ESCAPE.sub(lambda m: bytes([int(m.group()[1:], 16)]), name)


def raw_pdf_findings(data, inside_stream=False):
    """Active-content names anywhere in the file's bytes, #xx escapes undone.

    Catches what a viewer that repairs a broken file would find but a strict parser skips.
    The short /JS key is looked for outside stream bodies only (compressed bytes match it
    by chance), unless ``data`` is itself a decoded object stream; the long names anywhere. Literal searches, so 20 MB take well under a second.
    """
    found = {RAW_TOKENS[name] for name in LONG_NAMES.findall(data)}
    plain = data if inside_stream else _outside_streams(data)
    if re.search(rb"/JS" + NAME_END, plain):
        found.add("JavaScript")
    for name in _escaped_names(data):
        if name in RAW_TOKENS:
            found.add(RAW_TOKENS[name])
        elif name == b"JS":
            found.add("JavaScript")
    return sorted(found)


def _action_findings(action, depth=0):
    """Labels of the active content in an action dictionary and its /Next chain."""
    found = set()
    if depth > 20 or not isinstance(action, dict):
        return found
    kind = action.get("/S")
    if kind in ACTIONS:
        found.add(ACTIONS[kind])
    if "/JS" in action:
        found.add("JavaScript")
    following = action.get("/Next")
    for step in following if isinstance(following, list) else [following]:
        if step is not None:
            found |= _action_findings(step.get_object(), depth + 1)
    return found


MAX_PAGES_LOCATED = 2000


def _locate(reader, note):
    """Say where viewers would run the actions: the catalog's /OpenAction, /AA and /Names
    JavaScript tree, each page's /AA and each annotation's /A and /AA."""
    catalog = reader.trailer["/Root"].get_object()
    opening = catalog.get("/OpenAction")
    if opening is not None and isinstance(opening.get_object(), dict):
        note(_action_findings(opening.get_object()), "the action run when it opens")
    for action in (catalog.get("/AA") or {}).values():
        note(_action_findings(action.get_object()), "document actions (/AA)")
    names = catalog.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        note(["JavaScript"], "document-level scripts (/Names)")
    for number, page in enumerate(reader.pages, start=1):
        if number > MAX_PAGES_LOCATED:
            break
        for action in (page.get("/AA") or {}).values():
            note(_action_findings(action.get_object()), f"page {number}")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            link = annotation.get("/A")
            labels = _action_findings(link.get_object()) if link is not None else set()
            for action in (annotation.get("/AA") or {}).values():
                labels |= _action_findings(action.get_object())
            if annotation.get("/Subtype") == "/RichMedia":
                labels.add(RAW_TOKENS[b"RichMedia"])
            note(labels, f"a link or field on page {number}")


def pdf_active_content(fileobj):
    """Find scripts and dangerous actions in a PDF: ``{"error": ..., "places": {label: [where]}}``.

    Names are read from the bytes (plain objects, #xx escapes undone) and from the decoded
    object streams, where PDF 1.5+ files keep compressed objects (pypdf decodes them): text
    searches, so a 3,000-page file takes no longer than reading it. Only when something is
    found are the catalog and pages walked to say where.
    """
    # Imported here: pypdf takes about half a second to import and only PDF uploads need it.
    from pypdf import PdfReader

    data = fileobj.getvalue()
    places = {}

    def note(labels, where):
        for label in labels:
            places.setdefault(label, [])
            if where not in places[label] and len(places[label]) < 5:
                places[label].append(where)

    found = dict.fromkeys(raw_pdf_findings(data), "the file's raw content")
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return {"error": "encrypted", "places": {}}
        for stream_number in {number for number, _ in reader.xref_objStm.values()}:
            packed = reader.get_object(stream_number).get_data()
            for label in raw_pdf_findings(packed, inside_stream=True):
                found.setdefault(label, "compressed objects")
        if found:
            _locate(reader, note)
    except MemoryError:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        places.update({label: [where] for label, where in found.items() if label not in places})
        return {"error": f"unreadable: {type(error).__name__}", "places": places}
    for label, where in found.items():
        places.setdefault(label, [where])
    return {"error": "", "places": places}
