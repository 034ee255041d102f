"""Web pages saved as one file (MHTML: a browser's "Webpage, Single File"): the archived
page's HTML part, its transfer encoding undone, read as saved HTML."""

from __future__ import annotations

import email
import re
from email import policy

from ..document import Document
from ..errors import DocumentError
from .html import read_html

_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]")


def is_mhtml(data: bytes) -> bool:
    """MIME headers first (From:, Subject:, MIME-Version: ...) and a multipart/related body."""
    head = data[:4096]
    return _HEADER_LINE.match(head) is not None and b"MIME-Version:" in head and b"multipart/related" in head.lower()


def read_mhtml(data: bytes, path: str) -> Document:
    message = email.message_from_bytes(data, policy=policy.compat32)  # compat32: tolerant of archives cut short
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    html = part.get_payload(decode=True) if part is not None else None
    if not html:
        raise DocumentError("unreadable_mhtml", "the MHTML file holds no HTML page (no text/html part)")
    charset = (part.get_content_charset() or "").lower()
    if charset and charset not in ("utf-8", "utf8"):  # the part's own charset, as the page's HTML may not say it
        try:
            html = html.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # left to the HTML reader's detection, which warns
    doc = read_html(html, path)
    doc.format = "mhtml"
    return doc
