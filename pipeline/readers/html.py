"""Saved HTML pages -> blocks, with lxml's tree (parsed once, no CSS or nesting assumptions).

Block-level elements delimit blocks; inline text inside them is joined. Scripts, styles
and other non-content elements are skipped without being parsed into text, which keeps a
page with a huge inline script cheap.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ..document import Block, Document
from ..errors import DocumentError
from .decode import decode

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "select", "head", "img", "input"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html", "legend", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    *_HEADINGS,
}
# Landmarks that hold site chrome, not the document: by element or ARIA role.
_CHROME_TAGS = {"nav", "footer"}
_CHROME_ROLES = {"navigation", "contentinfo", "search"}
_WS = re.compile(r"\s+")
# No network, no external entities, comments dropped: a saved page is data, never code.
_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def _kind(tag: str) -> tuple[str, int | None]:
    if tag in _HEADINGS:
        return "heading", _HEADINGS[tag]
    if tag == "li":
        return "list_item", None
    if tag in ("td", "th", "dt", "dd"):
        return "cell", None
    return "paragraph", None


# Script and style bodies are never content: cut them out of the bytes before decoding, so a
# page carrying megabytes of inline script costs a regex pass, not a tree of that size.
_SCRIPT_BODY = re.compile(rb"(<(script|style)\b[^>]*>).*?(</\2\s*>)", re.I | re.S)


def read_html(data: bytes, path: str) -> Document:
    if len(data) > 16384:
        data = _SCRIPT_BODY.sub(rb"\1\3", data)
    text, warnings = decode(data, is_html=True)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise DocumentError("empty", "file is empty")
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise DocumentError("unreadable_html", f"HTML could not be parsed: {exc}") from None

    title_el = root.find(".//title")
    html_title = _WS.sub(" ", title_el.text_content()).strip() if title_el is not None else None

    blocks: list[Block] = []
    buf: list[str] = []
    stack: list[str] = ["body"]
    chrome_depth = 0

    def flush() -> None:
        if not buf:
            return
        s = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if s:
            kind, level = _kind(stack[-1])
            blocks.append(Block(kind, s, level=level, chrome=chrome_depth > 0))

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag.lower() in _SKIP:
                # Comments, processing instructions and non-content elements: no text of their own.
                walker.skip_subtree()  # its "end" event still comes and adds the tail
                continue
            tag = tag.lower()
            if tag in _BLOCK:
                flush()
                stack.append(tag)
                if _is_chrome(el, tag):
                    chrome_depth += 1
            elif tag == "br":
                flush()
            if el.text:
                buf.append(el.text)
        else:
            tag = tag.lower() if tag else None
            if tag in _BLOCK:
                flush()
                stack.pop()
                if _is_chrome(el, tag):
                    chrome_depth -= 1
            if el.tail and el is not root:
                buf.append(el.tail)
    flush()
    return Document(path=path, format="html", blocks=blocks, html_title=html_title, warnings=warnings)


def _is_chrome(el, tag: str) -> bool:
    return tag in _CHROME_TAGS or (el.get("role") or "").lower() in _CHROME_ROLES
