"""How much a document looks like a Caliper Competency Library job model."""

from __future__ import annotations

from ...document import Document
from .sections import RE_HEADER


def detect(doc: Document) -> float:
    """1 when the library's running header ("CALIPER COMPETENCY LIBRARY ...") is among the first blocks."""
    return 1.0 if any(RE_HEADER.match(b.text) for b in doc.blocks[:60]) else 0.0
