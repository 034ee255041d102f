"""Saved HTML pages -> blocks, with lxml's tree (parsed once, no CSS or nesting assumptions).

Block-level elements delimit blocks; inline text inside them is joined. The work is done in
lxml's C code as far as possible: non-content elements (scripts, styles, forms...) and site
chrome (nav and footer landmarks) are stripped from the tree, each block element gets a
boundary marker (with its kind: heading level, list item, cell), and the whole tree is
serialized to text once; Python only splits that text into blocks.
"""

from __future__ import annotations

import re

import lxml.etree

from ..document import Block, Document
from ..errors import DocumentError
from .decode import decode

_SKIP = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "select", "head", "img", "input")
_HEADINGS = {"h1": "1", "h2": "2", "h3": "3", "h4": "4", "h5": "5", "h6": "6"}
_BLOCK = (
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "legend", "li",
    "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    *_HEADINGS,
)
_CELLS = {"td", "th", "dt", "dd"}
# Landmarks that hold site chrome, not the document: by element or ARIA role.
_CHROME = lxml.etree.XPath("//nav | //footer | //*[@role][@role='navigation' or @role='contentinfo' or @role='search']")
# Block boundaries and kinds travel through the serialized text as private-use characters
# (lxml accepts them, pages do not use them: any in the input are blanked first).
_BOUNDARY, _END, _KIND = "\ue000", "\ue001", "\ue002"
_CONTROL = re.compile("[\ue000-\ue002]")
_SPLIT = re.compile("([\ue000\ue001])")
_WS = re.compile(r"\s+")
# No network, no external entities, comments dropped: a saved page is data, never code.
_PARSER = lxml.etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
def _cut_script_bodies(data: bytes) -> bytes:
    """Script and style bodies are never content: cut them out of the bytes before decoding,
    so a page carrying megabytes of inline script costs a few memchr scans, not a tree of that
    size. A body ends at the first closing tag, as in a browser."""
    lower = data.lower()
    out, pos = [], 0
    while True:
        found = [(i, tag) for tag in (b"script", b"style") if (i := lower.find(b"<" + tag, pos)) >= 0]
        if not found:
            break
        start, tag = min(found)
        body = lower.find(b">", start)
        end = lower.find(b"</" + tag, body + 1) if body >= 0 else -1
        if end < 0:
            break
        out.append(data[pos:body + 1])
        pos = end
    return b"".join(out) + data[pos:] if out else data


def read_html(data: bytes, path: str) -> Document:
    if len(data) > 16384:
        data = _cut_script_bodies(data)
    text, warnings = decode(data, is_html=True)
    text = _CONTROL.sub(" ", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise DocumentError("empty", "file is empty")
    try:
        root = lxml.etree.fromstring(text, _PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentError("unreadable_html", f"HTML could not be parsed: {exc}") from None
    if root is None:
        raise DocumentError("unreadable_html", "HTML could not be parsed: no document element")
    title_el = root.find(".//title")
    html_title = _WS.sub(" ", "".join(title_el.itertext())).strip() if title_el is not None else None
    return Document(path=path, format="html", blocks=_blocks(root), html_title=html_title or None, warnings=warnings)


def _drop(el) -> None:
    """Remove an element and its subtree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _blocks(root) -> list[Block]:
    lxml.etree.strip_elements(root, *_SKIP, with_tail=False)
    for el in _CHROME(root):
        _drop(el)
    for el in root.iter(*_BLOCK):
        tag = el.tag
        if tag in _HEADINGS:
            start = f"{_BOUNDARY}{_KIND}h{_HEADINGS[tag]}{_KIND}"
        elif tag == "li":
            start = f"{_BOUNDARY}{_KIND}li{_KIND}"
        elif tag in _CELLS:
            start = f"{_BOUNDARY}{_KIND}td{_KIND}"
        else:
            start = _BOUNDARY
        el.text = start + el.text if el.text else start
        el.tail = _END + el.tail if el.tail else _END
    for el in root.iter("br"):
        el.tail = _BOUNDARY + el.tail if el.tail else _BOUNDARY
    flat = _WS.sub(" ", lxml.etree.tostring(root, method="text", encoding="unicode"))
    blocks: list[Block] = []
    pending = None  # the kind of a block whose own text is empty but whose child carries it (<li><p>..</p></li>)
    for piece in _SPLIT.split(flat):
        if piece == _END:  # an element closed: a kind waiting for its text is gone
            pending = None
            continue
        if piece == _BOUNDARY:
            continue
        kind = None
        while piece.startswith((_KIND, " " + _KIND)):
            piece = piece.lstrip(" ")
            end = piece.index(_KIND, 1)
            kind, piece = piece[1:end], piece[end + 1:]
        piece = piece.strip()
        if not piece:
            pending = kind or pending
            continue
        kind = kind or pending
        pending = None
        if kind and kind[0] == "h":
            blocks.append(Block("heading", piece, level=int(kind[1])))
        elif kind == "li":
            blocks.append(Block("list_item", piece))
        elif kind == "td":
            blocks.append(Block("cell", piece))
        else:
            blocks.append(Block("paragraph", piece))
    return blocks
