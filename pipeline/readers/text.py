"""Plain-text extracts (copied or pdftotext'd pages): one block per non-empty line."""

from __future__ import annotations

import re

from ..document import Block, Document
from .decode import decode, plain_text
from .furniture import is_furniture

_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u00b7*]|-(?=\s))\s*")


def blocks_from_lines(lines) -> list[Block]:
    lines = [" ".join(raw.split()) for raw in lines]  # tabs, no-break spaces and runs of spaces: one space, as an HTML page reads
    last = max((i for i, line in enumerate(lines) if line), default=-1)
    blocks = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if is_furniture(line):  # (a copied page's skip link, logo, footer links: as an HTML page's navigation)
            blocks.append(Block("line", line, chrome=True))
            continue
        m = _BULLET.match(line)
        if m and not line[m.end():].strip():
            # A bullet with nothing after it is no text (as in the HTML reader), but as the file's
            # last line it shows the page stopped at a new item: kept, the cut-line check drops it.
            if i == last:
                blocks.append(Block("line", line))
            continue
        blocks.append(Block("list_item", line[m.end():].strip()) if m else Block("line", line))
    return blocks


def read_text(data: bytes, path: str) -> Document:
    text, warnings = decode(data)
    lines = plain_text(text).splitlines()
    if width := wrap_width(lines):
        warnings = [*warnings, ("hard_wrapped_text", f"the text is hard-wrapped at {width} characters (as pdftotext or a mail client writes it): a paragraph "
                                                     "broken across lines reads as several lines; ingest the PDF or web page it came from if you have it")]
    return Document(path=path, format="text", blocks=blocks_from_lines(lines), warnings=warnings)


# A hard-wrapped extract breaks every long line at one width: its longest lines are many, all
# of about that width, and most stop mid-sentence. An extract that keeps each paragraph on
# one line (a copied page) has a few long lines of all lengths. Joining the broken lines back
# was tried and not kept: which line goes on in the next cannot be told safely from the text
# (a behavior, a rank or a heading starts a line just as a wrapped word does).
_NEAR = 12  # characters short of the width that still make a full line
_MIN_FULL_LINES = 5


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at, or None when it was not."""
    lengths = [len(line.rstrip()) for line in lines]
    width = max(lengths, default=0)
    if width < 40:
        return None
    full = [line.rstrip() for line, n in zip(lines, lengths) if n >= width - _NEAR]
    longish = sum(1 for n in lengths if n > 30)
    open_ended = sum(1 for line in full if not line.endswith((".", "!", "?", ":", '"', "\u201d")))
    if len(full) >= _MIN_FULL_LINES and len(full) >= 0.25 * longish and open_ended * 2 >= len(full):
        return width
    return None
