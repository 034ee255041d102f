"""How much a document looks like a Kenexa competency page."""

from __future__ import annotations

from ...document import Document
from .headings import FIXED_HEADING, level_heading

_LEVELS = 4
_SECTIONS = 3  # behavior statements, interview questions, titles with shared competencies


def detect(doc: Document) -> float:
    """The share of the page's structure found in its first lines (level headings, fixed section
    headings); 0 without a level heading and another cue."""
    lines = doc.lines[:300]
    # A level heading names its level and label; one that speaks of behaviors ("Level 1
    # Behaviors") heads a list of a page of another kind.
    levels = sum(1 for line in lines if level_heading(line) and "behavior" not in line.lower())
    sections = sum(1 for line in lines if FIXED_HEADING.match(line))
    if not (levels >= 1 and sections >= 1 or levels >= 2):
        return 0.0
    return (min(levels, _LEVELS) + min(sections, _SECTIONS)) / (_LEVELS + _SECTIONS)
