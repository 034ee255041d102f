"""PDF -> blocks and positioned words with pdfplumber, one word extraction per page.

Lines are rebuilt from word positions; a page with a vertical gutter is read left column
first, then right; wrapped lines are joined into paragraphs when the line above runs to
the column's right edge. Words and drawn rules are kept for parsers that read a layout.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from ..document import Block, Document, Rule, Word
from ..errors import DocumentError
from .decode import plain_text
from .furniture import is_furniture

_BULLET = re.compile(r"^(?:[\u2022\u25cf\u25aa\u00b7*]|-(?=\s))\s*")


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        if not pdf.pages:  # reading the page tree is where a broken file fails
            raise DocumentError("unreadable_pdf", "PDF has no pages")
        return pdf
    except DocumentError:
        raise
    except Exception as exc:  # pdfplumber wraps pdfminer errors; look at the cause
        # pdfplumber wraps pdfminer's exception as its first argument (or as the cause).
        cause = exc.__cause__ or next((a for a in exc.args if isinstance(a, BaseException)), exc)
        text = f"{type(cause).__name__}: {cause}"
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in text.lower() or "encrypt" in text.lower():
            raise DocumentError("encrypted", "PDF is encrypted and cannot be opened without a password") from None
        if b"%%EOF" not in data[-2048:]:
            raise DocumentError("truncated", f"PDF is truncated (no end-of-file marker) and could not be opened: {text}") from None
        if isinstance(cause, PDFSyntaxError):
            raise DocumentError("unreadable_pdf", f"PDF structure could not be read: {text}") from None
        raise DocumentError("unreadable_pdf", f"PDF could not be opened: {text}") from None


def _lines(words: list[Word]) -> list[list[Word]]:
    """Group words into visual lines by their vertical position."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - w.top) <= 2.0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _segments(line: list[Word]) -> list[list[Word]]:
    """Split a visual line where the gap between words is wider than a column gutter."""
    segs = [[line[0]]]
    for prev, w in zip(line, line[1:]):
        if w.x0 - prev.x1 > max(12.0, 1.6 * w.size):
            segs.append([w])
        else:
            segs[-1].append(w)
    return segs


def _top(block: Block) -> float:
    """A PDF block's top (every block read from a PDF page has its box)."""
    assert block.bbox is not None
    return block.bbox[1]


def _gutter(segs: list[list[Word]], width: float) -> float | None:
    """x of a vertical gutter in the middle of the page that (almost) no segment crosses."""
    if len(segs) < 6:
        return None
    best, best_x = None, None
    x = width * 0.3
    while x <= width * 0.7:
        crossing = sum(1 for s in segs if s[0].x0 < x < s[-1].x1)
        if best is None or crossing < best:
            best, best_x = crossing, x
        x += 2.0
    assert best is not None and best_x is not None  # (the loop runs at least once: 0.3 * width <= 0.7 * width)
    left = sum(1 for s in segs if s[-1].x1 <= best_x)
    right = sum(1 for s in segs if s[0].x0 >= best_x)
    if left >= 3 and right >= 3 and best <= 0.15 * len(segs):
        return best_x
    return None


def _paragraphs(segs: list[list[Word]], page: int, body_size: float) -> list[Block]:
    blocks: list[Block] = []
    if not segs:
        return blocks
    right_edge = max(s[-1].x1 for s in segs)
    cur: list[list[Word]] = []

    def emit():
        if not cur:
            return
        text = " ".join(" ".join(w.text for w in s) for s in cur)
        size = cur[0][0].size
        bbox = (min(s[0].x0 for s in cur), cur[0][0].top, max(s[-1].x1 for s in cur), max(w.bottom for w in cur[-1]))
        m = _BULLET.match(text)
        if m and text[m.end():]:
            blocks.append(Block("list_item", text[m.end():], page=page, bbox=bbox))
        elif size > body_size + 1.0:
            blocks.append(Block("heading", text, page=page, bbox=bbox))
        else:
            blocks.append(Block("paragraph", text, page=page, bbox=bbox, chrome=is_furniture(text)))
        cur.clear()

    for s in segs:
        if cur:
            prev = cur[-1]
            size = s[0].size
            gap = s[0].top - max(w.bottom for w in prev)
            wrapped = (
                abs(prev[0].size - size) < 0.5
                and gap <= 0.6 * size
                # the line above was full: it reaches the column's edge, or the next line's
                # first word would not have fitted after it (ragged-right text)
                and (prev[-1].x1 >= right_edge - 4 * size or prev[-1].x1 + 0.3 * size + (s[0].x1 - s[0].x0) > right_edge)
                and not _BULLET.match(s[0].text)
            )
            if not wrapped:
                emit()
        cur.append(s)
    emit()
    return blocks


MARGIN = 0.06  # top and bottom share of the page where running headers and footers sit


def _signature(line: list[Word]) -> str:
    # Page numbers and dates change from page to page; the position does not.
    return f"{round(line[0].top / 3)}:" + re.sub(r"\d+", "#", " ".join(w.text for w in line))


# What a browser prints in the margins of every page, recognized even on a one-page print:
# the date and time stamp, the page's URL, the page counter.
_PRINT_CHROME = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?:\s*[AP]M)?\b|^(?:https?|file)://\S+|(?:^|\s)(?:Page )?\d+ ?(?:/|of) ?\d+$", re.I)


def _running_lines(pages: dict[int, list[Word]], sizes: dict[int, tuple[float, float]]) -> set[str]:
    """Header/footer lines repeated on several pages (page numbers aside): print chrome."""
    if len(pages) < 2:
        return set()
    seen: dict[str, set[int]] = {}
    for pno, words in pages.items():
        h = sizes[pno][1]
        for line in _lines([w for w in words if w.top < MARGIN * h or w.bottom > (1 - MARGIN) * h]):
            seen.setdefault(_signature(line), set()).add(pno)
    need = max(2, -(-len(pages) * 6 // 10))  # on at least 60% of the pages
    return {sig for sig, pnos in seen.items() if len(pnos) >= need}


def read_pdf(data: bytes, path: str) -> Document:
    pdf = _open(data)
    pages: dict[int, list[Word]] = {}
    rules: list[Rule] = []
    sizes: dict[int, tuple[float, float]] = {}
    warnings: list[tuple[str, str]] = []
    image_pages = 0
    with pdf:
        for pno, page in enumerate(pdf.pages, start=1):
            sizes[pno] = (float(page.width), float(page.height))
            try:
                raw = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
                for obj in list(page.lines) + list(page.rects):
                    rules.append(Rule(pno, float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])))
            except Exception as exc:  # a damaged content stream: keep the other pages
                warnings.append(("unreadable_page", f"page {pno} could not be read: {type(exc).__name__}: {exc}"))
                continue
            page_text = "".join(w["text"] for w in raw)
            if plain_text(page_text) != page_text:  # (one pass a page: few pages have any)
                for w in raw:
                    w["text"] = plain_text(w["text"])
            pages[pno] = [Word(w["text"], pno, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), round(float(w["size"]), 1)) for w in raw]
            if not pages[pno] and page.images:
                image_pages += 1
        page_count = len(pdf.pages)
    words = [w for pno in sorted(pages) for w in pages[pno]]
    if not words:
        if image_pages:
            raise DocumentError("no_text_layer", f"PDF has no text layer ({image_pages} of {page_count} pages are images only: a scan?); OCR it first")
        raise DocumentError("no_text_layer", f"PDF has no text on any of its {page_count} pages")
    running = _running_lines(pages, sizes)
    blocks: list[Block] = []
    for pno in sorted(pages):
        blocks.extend(_page_blocks(pages[pno], pno, sizes[pno], running))
    return Document(path=path, format="pdf", blocks=_join_across_pages(blocks), page_count=page_count, words=words, rules=rules, page_sizes=sizes, warnings=warnings)


_OPEN_END = re.compile(r"(?:[,;\u2013\u2014-]|\b(?:and|or|the|of|to|a|an|in|with|for))$")


def _join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph a print broke at the page's end goes on as the next page's first paragraph:
    the two are one when the first stops mid-sentence and the second goes on in lower case
    (or after a comma, dash or joining word)."""
    body = [i for i, b in enumerate(blocks) if not b.chrome]  # in page order: a page's last, then the next page's first
    drop: set[int] = set()
    for i, j in zip(body, body[1:]):
        a, b = blocks[i], blocks[j]
        if (a.page is not None and b.page == a.page + 1 and i not in drop and a.kind in ("paragraph", "list_item") and b.kind == "paragraph"
                and not a.text.endswith((".", "!", "?", ":")) and (b.text[:1].islower() or _OPEN_END.search(a.text))):
            a.text = f"{a.text} {b.text}"
            drop.add(j)
    return [b for k, b in enumerate(blocks) if k not in drop] if drop else blocks


def _page_blocks(words: list[Word], pno: int, size: tuple[float, float], running: set[str]) -> list[Block]:
    if not words:
        return []
    width, height = size
    chrome: list[Block] = []
    body: list[list[Word]] = []  # the page's lines that are not chrome
    for line in _lines(words):
        text = " ".join(w.text for w in line)
        in_margin = line[0].top < MARGIN * height or line[0].bottom > (1 - MARGIN) * height
        if in_margin and (_signature(line) in running or _PRINT_CHROME.search(text)):
            chrome.append(Block("paragraph", text, page=pno, bbox=(line[0].x0, line[0].top, line[-1].x1, line[0].bottom), chrome=True))
        else:
            body.append(line)
    if not body:
        return chrome
    body_size = Counter(w.size for line in body for w in line).most_common(1)[0][0]
    segs = [seg for line in body for seg in _segments(line)]
    gutter = _gutter(segs, width)
    blocks: list[Block] = [b for b in chrome if _top(b) < height / 2]
    for band in _bands(segs, 1.5 * body_size):
        if gutter is None:
            # One column: segments of one visual line belong together again.
            blocks.extend(_paragraphs([sum(line_segs, []) for line_segs in _regroup(band)], pno, body_size))
            continue
        region: list[list[Word]] = []
        for s in band + [None]:
            if s is None or s[0].x0 < gutter < s[-1].x1:  # end, or a page-wide line: read the columns so far
                blocks.extend(_paragraphs([r for r in region if r[-1].x1 <= gutter], pno, body_size))
                blocks.extend(_paragraphs([r for r in region if r[0].x0 >= gutter], pno, body_size))
                region.clear()
                if s is not None:
                    blocks.extend(_paragraphs([s], pno, body_size))
            else:
                region.append(s)
    blocks.extend(b for b in chrome if _top(b) >= height / 2)
    return blocks


def _bands(segs: list[list[Word]], min_gap: float) -> list[list[list[Word]]]:
    """Cut the page where a horizontal gap runs across its whole width (XY-cut): a section
    heading under two columns of unequal length starts a new band, read after both columns."""
    bands: list[list[list[Word]]] = []
    bottom = None
    for s in sorted(segs, key=lambda s: s[0].top):
        if bottom is None or s[0].top - bottom > min_gap:
            bands.append([])
            bottom = s[0].top
        bands[-1].append(s)
        bottom = max(bottom, max(w.bottom for w in s))
    return bands


def _regroup(segs: list[list[Word]]) -> list[list[list[Word]]]:
    groups: list[list[list[Word]]] = []
    for s in segs:
        if groups and abs(groups[-1][0][0].top - s[0].top) <= 2.0:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups
