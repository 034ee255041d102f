"""How much a document looks like a Salary.com job profile."""

from __future__ import annotations

import re

from ...document import Document

# The profile's fixed wording: its title line, the salary block's heading and labels, the
# skill sections' headings, the closing summary's sentence.
_CUES = tuple(re.compile(p, re.I | re.M) for p in (
    r"^Skills\s*(?:&|and)\s*Competencies for ", r"SALARY RANGE$", r"^Job Code\b", r"skills or competencies \(", r"Salary\.com identifies five"))

# A literal each cue needs (lowercase): most pages of other kinds are turned away by substring
# checks, without running the patterns.
_CUE_WORDS = ("competencies for ", "salary range", "job code", "skills or competencies (", "salary.com identifies five")

# Fewer cues than this are wording any page may have.
_AT_LEAST = 2


def detect(doc: Document) -> float:
    """The share of the profile's fixed wording found in the page's first lines, 0 below two cues."""
    text = "\n".join(doc.lines[:400])
    low = text.lower()
    if sum(w in low for w in _CUE_WORDS) < _AT_LEAST:
        return 0.0
    found = sum(p.search(text) is not None for p in _CUES)
    return found / len(_CUES) if found >= _AT_LEAST else 0.0
