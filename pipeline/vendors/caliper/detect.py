"""How much a document looks like a Caliper Competency Library job model."""

from __future__ import annotations

from ...document import Document
from .sections import RE_BEHAVIORS, RE_COMPETENCIES, RE_HEADER, RE_MODEL, RE_POSITIONS

# A job model's section headings, each a line of its own: a copy of the model without its
# running header (a text extract that starts after it) still carries them.
_SECTIONS = (RE_POSITIONS, RE_COMPETENCIES, RE_BEHAVIORS, RE_MODEL)
# Fewer section headings than this are wording another page may have ("Competencies").
_AT_LEAST = 3
# The running header names the library: it counts as much as two section headings.
_HEADER_WEIGHT = 2


def detect(doc: Document) -> float:
    """The share of the model's cues among its first blocks (the library's running header
    "CALIPER COMPETENCY LIBRARY ...", its section headings); 0 without the header or three of
    the section headings."""
    blocks = doc.blocks[:300]
    header = any(RE_HEADER.match(b.text) for b in blocks[:60])
    lines = [b.text for b in blocks if len(b.text) < 30]  # (a heading is short: long lines are not matched)
    sections = sum(any(p.match(line) for line in lines) for p in _SECTIONS)
    if not header and sections < _AT_LEAST:
        return 0.0
    return (_HEADER_WEIGHT * header + sections) / (_HEADER_WEIGHT + len(_SECTIONS))
