"""What a reader gets from a response: its body, and a PDF's text as words, so that a test
(and the confidentiality sweep) reads a PDF the way it reads a page."""

import io

from pypdf import PdfReader


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def response_text(response, body=None):
    """What a reader gets from ``body`` (by default the response's): a PDF's text (pypdf; words
    joined across the lines and pages they were laid out on), else the body as it is."""
    body = body_of(response) if body is None else body
    if not response.get("Content-Type", "").startswith("application/pdf"):
        return body.decode("utf-8", errors="replace")
    pages = PdfReader(io.BytesIO(body)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def pdf_reader(response):
    """The PDF a response serves; fails the test if it serves something else."""
    assert response["Content-Type"] == "application/pdf", response["Content-Type"]
    return PdfReader(io.BytesIO(body_of(response)))


def pdf_text(response):
    """``response_text`` of a response that must be a PDF (so a test that a secret is absent
    cannot pass on an error page)."""
    assert response["Content-Type"] == "application/pdf", response["Content-Type"]
    return response_text(response)
