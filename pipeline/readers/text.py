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
    blocks = []
    for raw in lines:
        line = " ".join(raw.split())  # tabs, no-break spaces and runs of spaces: one space, as an HTML page reads
        if not line:
            continue
        if _FURNITURE.match(line):
            blocks.append(Block("line", line, chrome=True))
            continue
        m = _BULLET.match(line)
        if m and line[m.end():].strip():
            blocks.append(Block("list_item", line[m.end():].strip()))
        else:
            blocks.append(Block("line", line))
    return blocks


def read_text(data: bytes, path: str) -> Document:
    text, warnings = decode(data)
    return Document(path=path, format="text", blocks=blocks_from_lines(strip_invisible(text).splitlines()), warnings=warnings)
