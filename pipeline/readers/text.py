"""Plain-text extracts (copied or pdftotext'd pages): one block per non-empty line."""

from __future__ import annotations

import re

from ..document import Block, Document
from .decode import decode, strip_invisible

# Page furniture a copied or converted web page keeps as lines of their own (image alt text,
# skip links): marked as chrome, like an HTML page's navigation, for every vendor.
_FURNITURE = re.compile(r"^(?:unit logo|logo|skip to (?:main )?content|menu|search)$", re.I)
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043\u00b7*]|-(?=\s))\s*")


def blocks_from_lines(lines) -> list[Block]:
    lines = [" ".join(raw.split()) for raw in lines]  # tabs, no-break spaces and runs of spaces: one space, as an HTML page reads
    last = max((i for i, line in enumerate(lines) if line), default=-1)
    blocks = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if _FURNITURE.match(line):
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
    return Document(path=path, format="text", blocks=blocks_from_lines(strip_invisible(text).splitlines()), warnings=warnings)
