"""Saved HTML pages -> blocks, with lxml's tree (parsed once, no CSS or nesting assumptions).

Block-level elements delimit blocks; inline text inside them is joined. The work is done in
C as far as possible: libxml2 builds the tree, and one libxslt pass turns it into text where
non-content elements (scripts, styles, forms...) and site chrome (nav and footer landmarks)
are left out and each block element is wrapped in a start marker saying its kind (heading
level, list item, cell) and an end marker; Python only splits that text into blocks.
"""

from __future__ import annotations

import re

import lxml.etree

from ..document import Block, Document
from ..errors import DocumentError
from .decode import decode, strip_invisible
from .depth import flatten_deep_markup
from .furniture import is_furniture

_SKIP = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas", "select", "head", "img", "input")
_HEADINGS = {"h1": "1", "h2": "2", "h3": "3", "h4": "4", "h5": "5", "h6": "6"}
_BLOCK = (
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "legend", "li",
    "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    *_HEADINGS,
)
_CELLS = {"td", "th", "dt", "dd"}
_BLOCK_TAGS = frozenset((*_BLOCK, "br"))
_KINDED_TAGS = frozenset((*_HEADINGS, "li", *_CELLS))
# Block boundaries and kinds travel through the serialized text as private-use characters
# (lxml accepts them, pages do not use them: any in the input are blanked first): a block's
# start is one character saying its kind (a plain block, a heading of each level, a list
# item, a cell), its end another.
_BOUNDARY, _END = "\ue000", "\ue001"
_STARTS = {"": _BOUNDARY, **{h: chr(0xE010 + int(h[1])) for h in _HEADINGS}, "li": "\ue017", "td": "\ue018"}
_KINDED = "".join(start for kind, start in _STARTS.items() if kind)
_MARKERS = "\ue000-\ue01f"  # every marker and more: the range blanked in the input
_CONTROL = re.compile(f"[{_MARKERS}]")
_WS = re.compile(r"\s+")
# No network, no external entities, comments dropped: a saved page is data, never code.
_PARSER = lxml.etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
# The same for UTF-8 bytes as they are: told their encoding, libxml2 applies no charset the
# page declares (as for a decoded str), and lxml does not encode a str back to bytes for it.
_UTF8_PARSER = lxml.etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# libxml2 puts <title> in <head>; searching the whole tree is the fallback.
_ANY_TITLE = lxml.etree.XPath("//title")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SCRIPT_OPEN = re.compile(rb"<(script|style)[\s/>]", re.I)
_SCRIPT_CLOSE = {b"script": re.compile(rb"</script", re.I), b"style": re.compile(rb"</style", re.I)}


def _cut_script_bodies(data: bytes) -> bytes:
    """Script and style bodies are never content: cut them out of the bytes before decoding.
    A usual page is half script; this costs a few C scans and saves the parser that half (and
    a page carrying megabytes of inline script never becomes a tree of that size). A body ends
    at the first closing tag, as in a browser. Pages in UTF-16/32 are not cut; the markup
    pass leaves their scripts out all the same."""
    out, pos = [], 0
    while (opening := _SCRIPT_OPEN.search(data, pos)) is not None:
        body = data.find(b">", opening.end() - 1)
        close = _SCRIPT_CLOSE[opening.group(1).lower()].search(data, body + 1) if body >= 0 else None
        if close is None:
            break
        out.append(data[pos:body + 1])
        pos = close.start()
    return b"".join(out) + data[pos:] if out else data


# A script or style tag that shows up as text: the page put it where it is text (inside a
# <title> or <textarea>, or a broken tag), so cutting its body changed the page's text.
_LEAKED_TAG = re.compile(r"<(?:script|style)[\s/>]", re.I)


def read_html(data: bytes, path: str) -> Document:
    cut = _cut_script_bodies(data)
    doc = _read_html(cut, path)
    if cut is not data and (_LEAKED_TAG.search(doc.html_title or "") or _LEAKED_TAG.search("\n".join(doc.lines))):
        doc = _read_html(data, path)  # read the bytes as they are: nothing invented, nothing lost
    doc.file_complete = _reaches_its_end(cut)
    return doc


_OPENING = re.compile(rb"<(?:html|body)[\s>]", re.I)
_CLOSING = re.compile(rb"</(?:html|body)\b", re.I)


def _reaches_its_end(data: bytes) -> bool | None:
    """True when the page gets to its closing </body> or </html> tag, False when it opens
    <html> or <body> and stops before closing them (a page saved before it finished loading),
    None when it cannot tell (a fragment with neither tag; UTF-16/32 bytes). Script bodies are
    already cut, so a tag written inside a script does not count."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in data[:1024]:
        return None
    tail = data[-4096:].lower()  # where the closing tags are on a whole page: no scan of the rest
    if b"</html" in tail or b"</body" in tail or _CLOSING.search(data):
        return True
    return False if _OPENING.search(data) else None


def _read_html(data: bytes, path: str) -> Document:
    root, warnings = _parse_tree(data)
    head = next(root.iterchildren("head"), None)  # (children filtered in C: cheaper than an XPath)
    title_el = next(head.iterchildren("title"), None) if head is not None else None
    if title_el is None:
        title_el = next(iter(_ANY_TITLE(root)), None)
    html_title = _WS.sub(" ", strip_invisible("".join(title_el.itertext()))).strip() if title_el is not None else None
    return Document(path=path, format="html", blocks=_furniture_marked(_blocks(root)), html_title=html_title or None, warnings=warnings)


def _furniture_marked(blocks: list[Block]) -> list[Block]:
    """Furniture before the page's first heading (a skip link, a site banner, a cookie notice)
    marked as chrome, as the text reader marks it: a page whose name heading is missing would
    otherwise take a banner's sentence for its definition. (Only up to the first heading: the
    navigation and footer landmarks are left out already, and checking every block costs more.)"""
    for block in blocks:
        if block.kind == "heading":
            break
        if is_furniture(block.text):
            block.chrome = True
    return blocks


def _without_cut_tag(text: str) -> str:
    """A page saved part-way can stop inside a tag, whose start ("<", "</u", '<li cla') libxml2
    would read as text: it is left out."""
    last = text.rfind("<")
    if last >= 0 and text.find(">", last) < 0 and (last + 1 == len(text) or text[last + 1].isalpha() or text[last + 1] in "/!?"):
        return text[:last]
    return text


def _parse_tree(data: bytes) -> tuple:
    """The page's bytes -> its lxml tree and the (code, message) warnings of reading it."""
    text, warnings = decode(data, is_html=True)
    # The markers can only come from UTF-8 bytes EE 80 8x, a UTF-16/32 page or a page in a
    # legacy encoding (decoded with a warning; GB18030 maps bytes to U+E000): for a UTF-8 page
    # a scan for the single byte EE (memchr; the two-byte search costs 50x more) usually tells
    # there are none.
    markers = (b"\xee" in data and b"\xee\x80" in data) or warnings or data.startswith(_BYTE_ORDER_MARKS)
    source: bytes | str
    if not markers and b"\x00" not in data and not _XML_DECL.match(text) and _without_cut_tag(text) is text:
        source, parser = data, _UTF8_PARSER  # (the usual page: UTF-8, nothing to take out; 5% faster than from the str)
    else:
        source, parser = _without_cut_tag(_XML_DECL.sub("", text, count=1)), _PARSER
        if markers:
            source = _CONTROL.sub(" ", source)
    root, too_deep = _tree(source, parser)
    if too_deep:
        # libxml2 stops reading where elements nest past its depth limit: the page is read
        # again with its deepest elements unwrapped (their text kept), as a browser reads it.
        flat = flatten_deep_markup(source.decode("utf-8") if isinstance(source, bytes) else source, _BLOCK_TAGS, _KINDED_TAGS)
        root, too_deep = _tree(flat, _PARSER)
    if too_deep:  # (not seen: flattening bounds the depth)
        warnings = [*warnings, ("truncated", "the HTML nests elements deeper than the parser reads (2048 levels); the rest of the page after that point was not read")]
    return root, warnings


def _tree(source: bytes | str, parser) -> tuple:
    """The lxml tree of `source` and whether libxml2 stopped at its nesting limit."""
    try:
        root = lxml.etree.fromstring(source, parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentError("unreadable_html", f"HTML could not be parsed: {exc}") from None
    if root is None:
        raise DocumentError("unreadable_html", "HTML could not be parsed: no document element")
    return root, any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


# The whole tree -> marked text in one pass of libxslt (C): non-content elements and site
# chrome produce nothing (their tails are kept: they are the parent's text), each block
# element is wrapped in boundary markers carrying its kind, inline elements pass their text
# through. Python then only splits the marked text into blocks.
# An element with a role attribute is checked for a landmark role first, then read in mode
# "r" by the same templates: a wildcard pattern comparing the role's value on every element
# cost a third of the pass; testing that the attribute exists costs nothing.
_LANDMARK = "@role='navigation' or @role='contentinfo' or @role='search'"


def _templates(mode: str) -> str:
    m = f' mode="{mode}"' if mode else ""
    return f"""\
<xsl:template match="{'|'.join(_SKIP)}|nav|footer|*[@hidden]"{m}/>
{''.join(f'<xsl:template match="{h}"{m}>{_STARTS[h]}<xsl:apply-templates/>{_END}</xsl:template>' for h in _HEADINGS)}
<xsl:template match="li"{m}>{_STARTS["li"]}<xsl:apply-templates/>{_END}</xsl:template>
<xsl:template match="{'|'.join(sorted(_CELLS))}"{m}>{_STARTS["td"]}<xsl:apply-templates/>{_END}</xsl:template>
<xsl:template match="{'|'.join(t for t in _BLOCK if t not in _HEADINGS and t not in _CELLS and t != 'li')}"{m}>{_BOUNDARY}<xsl:apply-templates/>{_END}</xsl:template>
<xsl:template match="br"{m}>{_BOUNDARY}</xsl:template>
"""


_MARKUP = lxml.etree.XSLT(lxml.etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
{_templates("")}{_templates("r")}
<xsl:template match="*[@role]" priority="2"><xsl:if test="not({_LANDMARK})"><xsl:apply-templates select="." mode="r"/></xsl:if></xsl:template>
<xsl:template match="*" mode="r" priority="-1"><xsl:apply-templates/></xsl:template>
</xsl:stylesheet>"""))
# A run of markers (whitespace between them is no text) up to the next text: its last start
# with a kind (the last kind counts: <li><h3>.. is a heading), the markers after that one (an
# end among them closes it), and the text up to the next marker.
_PIECE = re.compile(rf"(?=[{_MARKERS}])(?:[\s{_BOUNDARY}{_END}]*([{_KINDED}]))*([\s{_BOUNDARY}{_END}]*)([^{_MARKERS}]*)")
# Bullet characters some pages write into the text instead of a list's markup (not "*" or
# "-", which start footnotes and ranges as often as list items).
_BULLETS = "\u2022\u25cf\u25aa\u25e6\u2023\u2043\u00b7"
# Start character -> (block kind, heading level); "" is a block without a kind of its own.
_KINDS = {"": ("paragraph", None), _STARTS["li"]: ("list_item", None), _STARTS["td"]: ("cell", None),
          **{_STARTS[h]: ("heading", int(h[1])) for h in _HEADINGS}}


def _blocks(root) -> list[Block]:
    try:
        marked = _BOUNDARY + strip_invisible(str(_MARKUP(root)))
    except lxml.etree.XSLTApplyError as exc:  # e.g. nesting deeper than libxslt recurses
        raise DocumentError("unreadable_html", f"HTML could not be read: {exc}") from None
    blocks: list[Block] = []
    append = blocks.append
    pending = ""  # the kind of a block whose own text is empty but whose child carries it (<li><p>..</p></li>)
    for last_kind, after, text in _PIECE.findall(marked):
        closed = _END in after  # an element closed since the last kind: a kind waiting for its text is gone
        if last_kind and not closed and _BOUNDARY not in after:
            kind = last_kind  # the kind of the text's own element
        else:
            kind, pending = "", last_kind or pending  # (a block inside it: the kind waits, as for <li><p>..</p></li>)
        if text and text[0] in _BULLETS:  # a bullet written as a character: a list item, as <li> would be
            text, kind = text.lstrip(_BULLETS + " \t\r\n\xa0"), kind or _STARTS["li"]
        if not text:
            pending = kind or ("" if closed else pending)
            continue
        if not kind and not closed:
            kind = pending
        pending = ""
        block_kind, level = _KINDS[kind]
        append(Block(block_kind, " ".join(text.split()), None, None, level))  # whitespace runs -> one space (C, per block)
    return blocks
