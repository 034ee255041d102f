"""Bytes to text for HTML and plain-text inputs: BOMs, UTF-8, then declared or guessed encodings."""

from __future__ import annotations

import codecs
import re

from ..errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Charset labels the WHATWG Encoding Standard (what browsers do) maps to windows-1252: pages
# that say ISO-8859-1 are usually windows-1252 (curly quotes in 0x80-0x9F).
_READ_AS_WINDOWS_1252 = dict.fromkeys(
    ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "cp1252", "x-cp1252"),
    "windows-1252")

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
    from bs4.dammit import EncodingDetector, UnicodeDammit

    declared = EncodingDetector.find_declared_encoding(data, is_html=is_html)
    declared = _READ_AS_WINDOWS_1252.get(declared.lower(), declared) if declared else None
    if (mostly_utf8 := _utf8_but_for_a_few_bytes(data, declared)) is not None:
        utf8_text, invalid = mostly_utf8
        return utf8_text, [("invalid_utf8", f"{invalid} byte sequence{'s are' if invalid > 1 else ' is'} not valid UTF-8 in a page that is otherwise "
                                            f"UTF-8 (the first in {_around_first_replacement(utf8_text)!r}): read as UTF-8, with U+FFFD in their place")]
    # Not UTF-8: the charset the page declares (meta tag or XML declaration), then
    # windows-1252, tried in that order by BeautifulSoup's UnicodeDammit (its guessers only if
    # both fail). Labels browsers read as windows-1252 are read so here too.
    dammit = UnicodeDammit(data, list(dict.fromkeys(["utf-8", *([declared] if declared else []), "windows-1252"])), is_html=is_html)
    text = dammit.unicode_markup
    if text is None:
        return data.decode("utf-8", errors="replace"), [("encoding_replaced", "text is not valid UTF-8 and no encoding fitted; undecodable bytes were replaced with U+FFFD")]
    warnings = [("encoding_detected", f"text is not UTF-8; decoded as {dammit.original_encoding}")]
    if dammit.contains_replacement_characters:
        warnings.append(("encoding_replaced", f"some bytes did not decode as {dammit.original_encoding} and were replaced with U+FFFD"))
    return text, warnings


# A page that declares UTF-8 and has at most this many invalid sequences is read as UTF-8
# whatever else its bytes show: a few stray bytes are not evidence of another encoding.
_FEW_INVALID = 4
_UTF8_LABELS = ("utf-8", "utf8")


def _utf8_but_for_a_few_bytes(data: bytes, declared: str | None) -> tuple[str, int] | None:
    """(the text with invalid sequences replaced, how many) when the bytes are UTF-8 but for a
    few, None when the evidence points to another encoding. Text in a legacy single-byte
    encoding almost never forms a valid multi-byte UTF-8 character (a byte C0-DF or E0-EF
    followed by the right continuation bytes), so valid multi-byte characters are the evidence
    for UTF-8 and invalid sequences the evidence against: UTF-8 when the first are at least as
    many (twice as many when the page declares another charset), or when the page declares
    UTF-8 and has only a few invalid sequences."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # (a U+FFFD the page itself holds is no invalid byte)
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if declared is None:
        utf8 = multibyte >= invalid
    elif declared.lower() in _UTF8_LABELS:
        utf8 = multibyte >= invalid or invalid <= _FEW_INVALID
    else:
        utf8 = multibyte >= 2 * invalid
    return (text, invalid) if utf8 else None


def _around_first_replacement(text: str, width: int = 24) -> str:
    at = text.index("\ufffd")
    return " ".join(text[max(0, at - width):at + width].split())


# Invisible format characters pages carry inside words (a soft hyphen for line breaking, a
# zero-width space or joiner pasted from an editor, a stray BOM): not text, and a name that
# keeps one no longer matches the same name on another page.
_INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_INVISIBLE_RUN = re.compile("[" + "".join(_INVISIBLE) + "]+")


def strip_invisible(text: str) -> str:
    if any(ch in text for ch in _INVISIBLE):  # (six C scans; the usual page has none)
        return _INVISIBLE_RUN.sub("", text)
    return text


# Typeset PDFs (and text extracted from them) write "fi", "fl", "ff" ... as one ligature
# character: "Conﬂict management" would not match "Conflict management" from a web page.
LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}


LIGATURE_CHAR = re.compile("[" + "".join(map(chr, LIGATURES)) + "]")


def without_ligatures(text: str) -> str:
    return text.translate(LIGATURES) if LIGATURE_CHAR.search(text) else text


def plain_text(text: str) -> str:
    """Text as a page shows it: no invisible format characters, ligatures as their letters."""
    return without_ligatures(strip_invisible(text))
