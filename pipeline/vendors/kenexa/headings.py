"""The headings of a Kenexa competency page: a proficiency level's ("Level 2: Working
experience" and the other forms sites use) and the fixed sections' ("Behavior Statements",
"Interview Questions", "Titles with Shared Competencies", with the wording other sites
publishing the library use). Used by the parser and the detector."""

from __future__ import annotations

import re

from .meta import SCALE

# The level as a digit, a Roman numeral or a word ("Level II", "Level Two").
_NUMBER = r"(\d|I{1,3}|IV|One|Two|Three|Four)"
_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "one": 1, "two": 2, "three": 3, "four": 4}
RE_LEVEL = re.compile(rf"^(?:Proficiency\s+)?Level\s*{_NUMBER}\s*(?:[-\u2013\u2014:]\s*(.*)|\((.+)\))?$", re.I)  # "Level 2: Working experience", "Level 2 (Working experience)" too
# The label first: "Working experience (Level 2)".
RE_LEVEL_AFTER = re.compile(rf"^(.+?)\s*\((?:Proficiency\s+)?Level\s*{_NUMBER}\)$", re.I)
# The label without a dash, after a space or glued on ("Proficiency Level 1Basic understanding":
# level and label in adjacent elements): taken only when it is the scale's label.
RE_LEVEL_BARE = re.compile(rf"^(?:Proficiency\s+)?Level\s*{_NUMBER}\s*([A-Za-z].*)$", re.I)

RE_STATEMENTS = re.compile(r"^Behaviou?r(?:al)? (?:Statements|Indicators):?$", re.I)
RE_QUESTIONS = re.compile(r"^(?:Sample |Suggested |Behaviou?ral )?Interview Questions:?$", re.I)
RE_TITLES = re.compile(r"^(?:Job )?Titles with (?:Shared Competencies|this Competency):?$", re.I)
# Fixed words: a heading cut short matches none of them (so a page's last line that does is whole).
FIXED_HEADING_PATTERNS = (RE_STATEMENTS, RE_QUESTIONS, RE_TITLES)
# The headings' words (lowercase): a line that starts one and stops short is a piece of it, not another heading.
KNOWN_HEADINGS = ("behavior statements", "behavioral statements", "behavioral indicators", "interview questions", "sample interview questions",
                  "titles with shared competencies", "job titles with shared competencies", "proficiency level", "level")
_FIXED_SECTIONS = ("statements", "questions", "titles")
FIXED_HEADING = re.compile("|".join(f"({p.pattern})" for p in FIXED_HEADING_PATTERNS), re.I)  # any of them in one match; lastindex: which


def fixed_section(text: str) -> str | None:
    """The section a fixed heading opens ("statements", "questions" or "titles"), None for
    any other line (a level heading included)."""
    m = FIXED_HEADING.match(text)
    return _FIXED_SECTIONS[m.lastindex - 1] if m and m.lastindex else None


def level_heading(text: str) -> tuple[int, str | None] | None:
    """A level heading: its level and its label (None when not given)."""
    # Every form starts with "Level" or "Proficiency Level" or ends "(Level N)", and has the word:
    # most lines are ruled out without the patterns ("Develops ..." by its first letter).
    if not (text[:1] in "LlPp" or text[-1:] == ")") or ("evel" not in text and "EVEL" not in text):
        return None
    if m := RE_LEVEL.match(text):
        return _number(m.group(1)), (m.group(2) or m.group(3) or "").strip() or None
    if (m := RE_LEVEL_AFTER.match(text)) and SCALE.label_in(m.group(1)):
        return _number(m.group(2)), m.group(1).strip()
    m = RE_LEVEL_BARE.match(text)
    return (_number(m.group(1)), m.group(2).strip()) if m and SCALE.label_in(m.group(2)) else None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]
