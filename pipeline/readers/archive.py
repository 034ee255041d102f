"""Web pages saved as one file: MHTML (Chrome's and Edge's "Webpage, Single File") and
Safari's web archive. The archived page's HTML is taken out and read as saved HTML."""

from __future__ import annotations

import contextlib
import email
import plistlib
import re
from email import policy

from ..document import Document
from ..errors import DocumentError

_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:[ \t]")


def archive_format(data: bytes) -> str | None:
    """'mhtml' (MIME headers, then a multipart/related body), 'webarchive' (a binary property
    list), or None."""
    head = data[:4096]
    if _HEADER_LINE.match(head) is not None and b"MIME-Version:" in head and b"multipart/related" in head.lower():
        return "mhtml"
    if head.startswith(b"bplist00") and b"WebMainResource" in data:
        return "webarchive"
    return None


def read_archive(data: bytes, path: str, fmt: str) -> Document:
    from .html import read_html  # lxml is imported only when a page is read: format sniffing does not need it

    html, charset = _mhtml_page(data) if fmt == "mhtml" else _webarchive_page(data)
    if charset and charset.lower() not in ("utf-8", "utf8"):  # the archive's word for it, as the page's HTML may not say it
        with contextlib.suppress(LookupError, UnicodeDecodeError):  # else left to the HTML reader's detection, which warns
            html = html.decode(charset).encode("utf-8")
    doc = read_html(html, path)
    doc.format = fmt
    return doc


def _mhtml_page(data: bytes) -> tuple[bytes, str | None]:
    message = email.message_from_bytes(data, policy=policy.compat32)  # compat32: tolerant of archives cut short
    part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    html = part.get_payload(decode=True) if part is not None else None
    if part is None or not isinstance(html, bytes) or not html:
        raise DocumentError("unreadable_archive", "the MHTML file holds no HTML page (no text/html part)")
    return html, part.get_content_charset()


def _webarchive_page(data: bytes) -> tuple[bytes, str | None]:
    try:
        archive = plistlib.loads(data)
    except Exception as exc:  # plistlib raises several kinds on a damaged or cut-short file
        raise DocumentError("unreadable_archive", f"the web archive could not be read: {type(exc).__name__}: {exc}") from None
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    html = main.get("WebResourceData") if isinstance(main, dict) else None
    if not isinstance(main, dict) or not isinstance(html, bytes) or not html or "html" not in str(main.get("WebResourceMIMEType", "text/html")):
        raise DocumentError("unreadable_archive", "the web archive holds no HTML page (no WebMainResource HTML)")
    return html, main.get("WebResourceTextEncodingName")
