"""Hostile files an officer might upload, built in memory (nothing is downloaded)."""

import io
import zipfile
import zlib

import docx
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _write(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(text, pages=1):
    """A real PDF whose pages' text layer says ``text``."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    contents = writer._add_object(stream)
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = contents
    return _write(writer)


def scanned_pdf(pages=300):
    """Pages with an image and no text layer, like a scanner's output."""
    writer = PdfWriter()
    image = StreamObject()
    image._data = zlib.compress(bytes(range(256)) * 64)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(128),
            NameObject("/Height"): NumberObject(128),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    image_ref = writer._add_object(image)
    draw = DecodedStreamObject()
    draw.set_data(b"q 400 0 0 400 100 300 cm /Im0 Do Q")
    draw_ref = writer._add_object(draw)
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): image_ref})}
        )
        page[NameObject("/Contents")] = draw_ref
    return _write(writer)


def _js_action(script):
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def pdf_with_open_action_script():
    """Shows a dialog in the reader's viewer as soon as the paper is opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        _js_action("app.alert('This board paper runs script');")
    )
    return _write(writer)


def pdf_with_launch_link():
    """A link annotation on page 1 that launches a program."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]
            ),
            NameObject("/A"): launch,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _write(writer)


def pdf_with_hidden_escaped_script():
    """A clean PDF plus a script object no cross-reference table points at, its name escaped
    (/J#61vaScript): a strict parser never sees it, a viewer repairing the file may."""
    clean = text_pdf("Quarterly performance report")
    return clean + b"\n99 0 obj\n<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>\nendobj\n%%EOF\n"


def pdf_bomb(pages=20, megabytes=40):
    """Each page's text inflates from about 40 KB to ``megabytes`` of text operators."""
    compressor = zlib.compressobj(9)
    chunk = b"BT /F1 1 Tf (bomb) Tj ET\n" * 40_000
    parts = [compressor.compress(chunk) for _ in range(megabytes * 1024 * 1024 // len(chunk))]
    parts.append(compressor.flush())
    data = b"".join(parts)
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for _ in range(pages):
        stream = StreamObject()
        stream._data = data
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
    return _write(writer)


def docx_bytes(text):
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb(megabytes=50):
    """A valid .docx package whose document.xml inflates to ``megabytes`` of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>Board paper</w:t></w:r></w:p>"
    block = paragraph * (1024 * 1024 // len(paragraph))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def malformed_docx():
    """The right package and content types, but document.xml is not XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
    return out.getvalue()


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_IMAGE = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def allocate(fileobj, megabytes):
    """A stand-in for a parser that a crafted file makes allocate ``megabytes`` (for
    papers.sandbox's memory limit: run it with ``sandbox.run``)."""
    return len(bytearray(megabytes * 1024 * 1024))


def pdf_with_script_in_object_stream():
    """The open action's script sits compressed in an object stream (PDF 1.5), where no byte
    scan sees it: only parsing the file (pypdf) finds it."""
    script = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"5 0 "
    packed = zlib.compress(header + script)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets[6] = out.tell()
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in (1, 2, 3, 4)]
    rows += [b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00"]  # object 5: in stream 4, index 0
    rows += [b"\x01" + offsets[6].to_bytes(4, "big") + b"\x00\x00"]
    table = zlib.compress(b"".join(rows))
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    )
    return out.getvalue()


def long_pdf_with_links(pages=1500, links=3):
    """Not hostile: a long board pack, every page with its text and a few web links."""
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        text = DecodedStreamObject()
        text.set_data(b"BT /F1 12 Tf 72 720 Td (Page %d of the pack) Tj ET" % number)
        page[NameObject("/Contents")] = writer._add_object(text)
        annotations = []
        for link in range(links):
            uri = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject(f"https://example.org/{link}"),
                }
            )
            annotation = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                    NameObject("/A"): uri,
                }
            )
            annotations.append(writer._add_object(annotation))
        page[NameObject("/Annots")] = ArrayObject(annotations)
    return _write(writer)
