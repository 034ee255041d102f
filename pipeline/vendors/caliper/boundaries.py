"""A file holding several Caliper job models (a library as one PDF, models printed together):
where each model begins.

Each model begins at the first library header naming it, with a section of its own before
the next model. A header whose title is the model's before, cut short or lengthened
("... (continued)"), is still that model's.
"""

from __future__ import annotations

from ...document import Document
from ..common import clean_name
from .sections import RE_COMPETENCIES, RE_HEADER, RE_MODEL, RE_POSITIONS, text_section


def model_starts(doc: Document) -> list[int]:
    """The block at which each job model of the file begins (one start, or none, for a single model)."""
    titled = _header_titles(doc)
    starts: list[int] = []
    current: str | None = None
    for n, (at, title) in enumerate(titled):
        if current is None or not _same_model(title, current) and _has_own_sections(doc, at, title, titled[n + 1:]):
            starts.append(at)
            current = title
    return starts


def _same_model(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def _has_own_sections(doc: Document, start: int, title: str, later: list[tuple[int, str]]) -> bool:
    """Whether the model whose header is at `start` lists its own positions or competencies
    before a header names another model."""
    end = next((at for at, t in later if not _same_model(t, title)), len(doc.blocks))
    return any(RE_POSITIONS.match(b.text) or RE_COMPETENCIES.match(b.text) for b in doc.blocks[start:end])


def _header_titles(doc: Document) -> list[tuple[int, str]]:
    """Where each library header is, with the job model title it gives: on its line, or as the
    heading right below it (a header without either, a print's running header, is left out)."""
    titles = []
    for i, b in enumerate(doc.blocks):
        if m := RE_HEADER.match(b.text):
            title = clean_name(m.group(1)) or _heading_below(doc, i)
            if title:
                titles.append((i, title))
    return titles


def _heading_below(doc: Document, i: int) -> str:
    """The title a heading right below block i gives, unless it is a section's heading."""
    below = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
    if below is None or below.kind != "heading" or text_section(below.text) or RE_MODEL.match(below.text):
        return ""
    return clean_name(below.text)
