"""Bytes to text for HTML and plain-text inputs: BOMs, UTF-8, then declared or guessed encodings."""

from __future__ import annotations

import codecs

from ..errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if not head:
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C
    return controls / len(head) > 0.05


def decode(data: bytes, is_html: bool = False) -> tuple[str, list[tuple[str, str]]]:
    """Return the text and any (code, message) warnings about its encoding. Binary bytes are
    turned away before this, by readers.sniff_format."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), []
            except UnicodeDecodeError as exc:
                raise DocumentError("bad_encoding", f"file starts with a {enc} byte order mark but does not decode as {enc}: {exc}") from None
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    # Not UTF-8: let BeautifulSoup's detector weigh the declared charset (meta tag) and guesses.
    from bs4 import UnicodeDammit

    dammit = UnicodeDammit(data, ["utf-8", "windows-1252"], is_html=is_html)
    text = dammit.unicode_markup
    if text is None:
        return data.decode("utf-8", errors="replace"), [("encoding_replaced", "text is not valid UTF-8 and no encoding fitted; undecodable bytes were replaced with U+FFFD")]
    warnings = [("encoding_detected", f"text is not UTF-8; decoded as {dammit.original_encoding}")]
    if dammit.contains_replacement_characters:
        warnings.append(("encoding_replaced", f"some bytes did not decode as {dammit.original_encoding} and were replaced with U+FFFD"))
    return text, warnings
