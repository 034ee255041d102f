"""How much a document looks like a Salary.com job profile."""

from __future__ import annotations

import re

from ...document import Document
from .meta import SCALE

# The profile's fixed wording: its title line, the salary block's heading and labels, the
# skill sections' headings, the closing summary's sentence.
_CUES = tuple(re.compile(p, re.I | re.M) for p in (
    r"^Skills\s*(?:&|and)\s*Competencies for ", r"SALARY RANGE$", r"^Job Code\b", r"skills or competencies \(", r"Salary\.com identifies five"))

# A literal each cue needs (lowercase): most pages of other kinds are turned away by substring
# checks, without running the patterns.
_CUE_WORDS = ("competencies for ", "salary range", "job code", "skills or competencies (", "salary.com identifies five")

# Fewer cues than this are wording any page may have.
_AT_LEAST = 2

# The structure of the skill sections, which a page copied from them onward (no header, no
# salary block) still carries: a line of each kind, with a literal it needs (checked first, in
# C, as for the wording above). The section heading and the "See N More Skill Behaviors" link
# are this vendor's own wording; the other kinds are found on other pages too.
_LEVEL_LABELS = "|".join(re.escape(label) for _, label in SCALE)
_BODY_CUES = {
    "section heading": ("or competenc", re.compile(r"^\d+\s+(?:general|soft|hard)\s+skills?\s+or\s+competenc(?:y|ies)\b.*\bfor\s+\S", re.I | re.M)),
    "more behaviors link": (" more ", re.compile(r"^\s*(?:See|Show|View)\s+\d+\s+More\s+(?:Skill\s+)?Behaviou?rs?\b", re.I | re.M)),
    "skill definition": ("skill definition", re.compile(r"^Skill definition", re.I | re.M)),
    "level heading": ("behavio", re.compile(r"^Level\s+\d\s+Behaviou?rs?\b", re.I | re.M)),
    "level label": ("experience", re.compile(rf"^\((?:{_LEVEL_LABELS})\)$", re.I | re.M)),
}
_OWN_WORDING = ("section heading", "more behaviors link")


def detect(doc: Document) -> float:
    """The share of the profile's cues found in the page's first lines, of its fixed wording
    (counted from two cues) or of the structure of its skill sections (counted from two kinds
    of line, one of them this vendor's own wording), whichever is larger: a page cut before
    its skill sections or copied from them onward scores as much as its part shows."""
    text = "\n".join(doc.lines[:400])
    low = text.lower()
    header = 0
    if sum(w in low for w in _CUE_WORDS) >= _AT_LEAST:
        header = sum(p.search(text) is not None for p in _CUES)
    body = body_cues(text, low)
    header_share = header / len(_CUES) if header >= _AT_LEAST else 0.0
    body_share = len(body) / len(_BODY_CUES) if len(body) >= 2 and body & set(_OWN_WORDING) else 0.0
    return max(header_share, body_share)


def body_cues(text: str, low: str) -> set[str]:
    """The kinds of skill-section line found in `text` (lines joined; `low`: lowercased)."""
    return {name for name, (word, pattern) in _BODY_CUES.items() if _line_with(text, low, word, pattern)}


_TRIES = 20  # lines holding a cue's literal tried against its pattern (the first ones usually match)


def _line_with(text: str, low: str, word: str, pattern: re.Pattern) -> bool:
    """Whether a line holding `word` matches `pattern`: the lines are found by the literal (a C
    scan), the pattern is tried only at their starts."""
    at = low.find(word)
    for _ in range(_TRIES):
        if at < 0:
            return False
        if pattern.match(text, text.rfind("\n", 0, at) + 1):
            return True
        at = low.find(word, low.find("\n", at) + 1 or len(low))
    return False
