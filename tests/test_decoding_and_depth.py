"""Decoding a page that is UTF-8 but for a few bytes, and reading a page whose markup nests
deeper than the HTML parser builds a tree (issue 25, points 5 and 6).

The inputs are real raw/ pages changed here (SYNTHETIC variations: a stray byte, extra
nesting); the expected rows are the unchanged page's rows.
"""

from __future__ import annotations

import pytest
from conftest import RAW, rows_without_ids

from pipeline.parse import parse_file
from pipeline.readers import read_document

SALARY_HTML = (RAW / "salary_com" / "customer_service_manager.html").read_bytes()
SALARY_TEXT = (RAW / "salary_com" / "database_administrator_i.txt").read_bytes()


def _with_byte_in_place_of(data: bytes, anchor: bytes, old: bytes, new: bytes) -> bytes:
    at = data.index(anchor) + anchor.index(old)
    return data[:at] + new + data[at + len(old):]


def _without_text(rows: dict, text: str) -> dict:
    """The rows with `text` replaced by its U+FFFD form undone, to compare with the whole page."""
    return {t: [{c: (v.replace("business\ufffds", "business's") if isinstance(v, str) else v) for c, v in row.items()} for row in table]
            for t, table in rows.items()}


def test_one_invalid_byte_in_a_utf8_page_is_replaced_not_a_reason_to_read_the_page_as_windows_1252():
    # A cp1252 apostrophe (0x92) in place of "&#x27;" in a behavior of a real UTF-8 page. Before,
    # the whole page was read as windows-1252: its en dashes became "â€“", two shown
    # competencies became placeholders with invented displayed levels, required levels NULL.
    data = _with_byte_in_place_of(SALARY_HTML, b"use our business&#x27;s products", b"&#x27;", b"\x92")
    whole, changed = parse_file("page.html", SALARY_HTML), parse_file("page.html", data)
    assert changed.status == "ok"
    assert changed.warnings[0] == ("invalid_utf8", "1 byte sequence is not valid UTF-8 in a page that is otherwise UTF-8 (the first in "
                                                   "'stomers use our business\ufffds products and services'): read as UTF-8, with U+FFFD in their place")
    assert changed.warnings[1:] == whole.warnings
    behaviors = [b["text"] for b in changed.rows["behaviors"]]
    assert "Cites examples of how customers use our business\ufffds products and services." in behaviors
    assert _without_text(rows_without_ids(changed), "business\ufffds") == rows_without_ids(whole)


def test_a_few_invalid_bytes_in_a_utf8_text_extract_are_replaced():
    # A text extract has no charset declaration: its valid multi-byte characters are the evidence.
    data = SALARY_TEXT.replace(b"\n", " \u2013\n".encode(), 3)  # (three lines with an en dash, so the bytes show UTF-8)
    bad = data.replace(b"Database", b"Data\xe9base", 2)
    doc = read_document(bad, "page.txt")
    assert doc.warnings[0][0] == "invalid_utf8" and doc.warnings[0][1].startswith("2 byte sequences are not valid UTF-8")
    assert "Data\ufffdbase" in "\n".join(doc.lines) and " \u2013" in "\n".join(doc.lines)


@pytest.mark.parametrize(("page", "declared", "decoded_as"), [
    # SYNTHETIC pages: many invalid bytes and no valid multi-byte character are evidence of
    # another encoding, whatever the page declares; a declared legacy charset is used when
    # the bytes do not clearly say UTF-8.
    ("caf\u00e9 \u201cquoted\u201d na\u00efve r\u00e9sum\u00e9 \u2013 d\u00e9j\u00e0", None, "windows-1252"),
    ("caf\u00e9 \u201cquoted\u201d na\u00efve r\u00e9sum\u00e9 \u2013 d\u00e9j\u00e0", "utf-8", "windows-1252"),
    ("caf\u00e9 \u201cquoted\u201d", "windows-1252", "windows-1252"),
])
def test_a_page_in_another_encoding_is_still_read_in_it(page, declared, decoded_as):
    meta = f'<meta charset="{declared}">' if declared else ""
    data = f"<html><head>{meta}</head><body><p>{page}</p></body></html>".encode("cp1252")
    doc = read_document(data, "x.html")
    assert [b.text for b in doc.blocks] == [page]
    assert doc.warnings == [("encoding_detected", f"text is not UTF-8; decoded as {decoded_as}")]


def test_a_page_that_declares_utf8_with_a_stray_byte_is_read_as_utf8():
    # SYNTHETIC: no multi-byte character at all, one stray byte; the page says UTF-8.
    doc = read_document(b'<html><head><meta charset="utf-8"></head><body><p>Plans \x85 budgets</p></body></html>', "x.html")
    assert [b.text for b in doc.blocks] == ["Plans \ufffd budgets"]
    assert [c for c, _ in doc.warnings] == ["invalid_utf8"]


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_a_page_nested_deeper_than_the_parser_builds_keeps_its_text(depth):
    # The real page's whole body wrapped in `depth` divs (SYNTHETIC nesting, as page builders
    # write it). Before, libxml2 stopped at 2048 levels: nothing of the page was read.
    body_start = SALARY_HTML.index(b">", SALARY_HTML.index(b"<body")) + 1
    body_end = SALARY_HTML.rindex(b"</body>")
    data = SALARY_HTML[:body_start] + b"<div>" * depth + SALARY_HTML[body_start:body_end] + b"</div>" * depth + SALARY_HTML[body_end:]
    whole, nested = parse_file("page.html", SALARY_HTML), parse_file("page.html", data)
    assert nested.status == whole.status == "ok"
    assert nested.warnings == whole.warnings
    assert rows_without_ids(nested) == rows_without_ids(whole)


@pytest.mark.parametrize(("opening", "closing", "heading_kept"), [
    ("<ul><li>item", "</li></ul>", False), ("<table><tr><td>cell", "</td></tr></table>", False), ("<span>q", "</span>", True),
    ("<div>unclosed", "", True),
])
def test_deep_nesting_of_any_element_keeps_every_text(opening, closing, heading_kept):
    # SYNTHETIC: 20,000 levels of each kind of element; the text inside the deepest one is
    # read. Past the depth kept, a heading nested in 20,000 list items reads as a paragraph.
    depth = 20_000
    page = f"<html><body><h1>Top</h1>{opening * depth}<h2>Deep heading</h2><p>Deepest text.</p>{closing * depth}<p>After.</p></body></html>"
    doc = read_document(page.encode(), "x.html")
    assert doc.warnings == []
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Top" and texts[-3:] == ["Deep heading", "Deepest text.", "After."]
    assert (doc.blocks[-3].kind == "heading") is heading_kept
    item = opening.split(">")[-1]
    assert sum(t.count(item) for t in texts) == depth
