"""Readers: bytes of a saved document -> pipeline.document.Document.

The format is detected from the bytes, not the file name: a .html file that holds a PDF
is read as a PDF, and binary bytes named .html are reported as such. A page saved as one
file (MHTML, Safari's web archive) is read as the HTML it archives.
"""

from __future__ import annotations

import re

from ..document import Document
from ..errors import DocumentError
from .decode import looks_binary

_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|div|p|h1|title|meta)\b", re.I)


def sniff_format(data: bytes, path: str) -> str:
    if not data or data.isspace():  # isspace, unlike strip, copies nothing
        raise DocumentError("empty", "file is empty")
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if path.lower().endswith(".pdf"):
        raise DocumentError("not_a_pdf", "file is named .pdf but is not a PDF (no %PDF- header)")
    from .archive import archive_format

    if fmt := archive_format(data):
        return fmt
    if looks_binary(data):
        raise DocumentError("binary", "file holds binary data, not text, HTML or PDF")
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode()
    if _HTML_SNIFF.search(head):
        return "html"
    return "text"


def read_document(data: bytes, path: str) -> Document:
    fmt = sniff_format(data, path)
    if fmt == "pdf":
        from .pdf import read_pdf  # pdfplumber is imported only when a PDF is read

        return read_pdf(data, path)
    if fmt == "html":
        from .html import read_html

        return read_html(data, path)
    if fmt in ("mhtml", "webarchive"):
        from .archive import read_archive

        return read_archive(data, path, fmt)
    from .text import read_text

    return read_text(data, path)
