"""SYNTHETIC variations of real pages: each class of variation real pages not seen before show
(issue 25, items 2-4) applied to a real page's text. The text around each change is the real
page's; only the change is made up. Used by the property test (tests/test_properties.py) and
the differential corpus (tools/differential.py); each function returns the changed text, or
None when the page has nothing the class applies to.

- value_missing: a field label's value is missing (its line deleted);
- value_missing_next_value: a label's value is missing and the next field's label too, so the
  next field's value follows the first label (the page that loaded "Bachelor's Degree" as a job code);
- value_malformed: a field's value in no form of the field ("N/A");
- no_responsibilities_heading: the job summary's next heading missing, its paragraph right after;
- abbreviation: a statement with abbreviations in it ("e.g. ... vs. ... U.S. ... Inc.");
- cut_after_heading: the page saved part-way, right after a whole section heading;
- unknown_heading: a section heading of a kind the format does not have, with an entry under it,
  before a known section.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FIELD_LABELS = ("Job Level", "Job Code", "Education/Degree", "Reports To")
_SALARY_TITLE = re.compile(r"^Skills\s*&\s*Competencies for (.+)$", re.M)
_SALARY_SECTION = re.compile(r"^\d+ (?:general|soft|hard) skills? or competenc(?:y|ies) .*for .+$", re.M)
_RESPONSIBILITIES = re.compile(r"^JOB RESPONSIBILITIES for .+\n", re.M)
# Headings after which a page may be cut, whole (each vendor's fixed section headings).
_WHOLE_HEADINGS = re.compile(r"^(?:\d+ (?:general|soft|hard) skills? or competenc(?:y|ies) \(.*\) for .+|Behavior Statements|Interview Questions"
                             r"|Titles with Shared Competencies|Key Behaviors:?|COMPETENCIES|Representative behaviors|Example positions)$", re.M)
ABBREVIATED = "for example, e.g. U.S. agencies vs. Acme Inc. suppliers"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _label_at(lines: list[str], label: str) -> int | None:
    """The line of a field label whose value is on the next line."""
    return next((i for i, line in enumerate(lines[:-1]) if line.strip() == label and lines[i + 1].strip()), None)


def value_missing(text: str) -> str | None:
    lines = _lines(text)
    at = _label_at(lines, "Job Code")
    if at is None:
        return None
    del lines[at + 1]
    return "\n".join(lines)


def value_missing_next_value(text: str) -> str | None:
    lines = _lines(text)
    at = _label_at(lines, "Job Code")
    if at is None or at + 2 >= len(lines) or lines[at + 2].strip() not in FIELD_LABELS:
        return None
    del lines[at + 1:at + 3]  # the job code and the next label: the next label's value follows "Job Code"
    return "\n".join(lines)


def value_malformed(text: str) -> str | None:
    lines = _lines(text)
    at = _label_at(lines, "Job Level")
    if at is None:
        return None
    lines[at + 1] = "N/A"
    return "\n".join(lines)


def no_responsibilities_heading(text: str) -> str | None:
    changed = _RESPONSIBILITIES.sub("", text, count=1)
    return changed if changed != text else None


def abbreviation(text: str) -> str | None:
    """A statement (a line ending with a period, after a behavior level or key behaviors heading)
    given a clause with abbreviations before its period."""
    lines = _lines(text)
    after_heading = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if re.match(r"^(?:Proficiency Level \d|Level \d Behaviors|Key Behaviors)", stripped):
            after_heading = True
        elif after_heading and stripped.endswith(".") and len(stripped.split()) >= 5:
            lines[i] = line.rstrip()[:-1] + f", {ABBREVIATED}. Reviews the results."
            return "\n".join(lines)
    return None


def cut_after_heading(text: str) -> str | None:
    """The page cut right after its last whole section heading (with nothing after it)."""
    headings = list(_WHOLE_HEADINGS.finditer(text))
    if not headings:
        return None
    return text[:headings[-1].end()]


_UNKNOWN = {
    # vendor cue -> (the known heading it goes before, the unknown section's lines)
    "salary_com": (_SALARY_SECTION, "3 certifications or licenses (credential competencies) for {title}\n1 Credential Competencies \u2013 "
                                    "Certified Widget Inspector\nProficiency Level - 3\nSkill definition-Holding a widget inspection certificate.\n"),
    "kenexa": (re.compile(r"^Interview Questions$", re.M), "Related Training Courses\nWidget Inspection Basics, a course of two days.\n"),
    "nih": (re.compile(r"^Developmental opportunities for this competency", re.M), "Related Resources\n\u2022 Widget inspection handbook.\n"),
    "caliper": (re.compile(r"^Representative behaviors$", re.M), "Development Tips\nWidget inspection \u2013 Reads the widget inspection handbook.\n"),
}


def unknown_heading(text: str) -> str | None:
    """An unknown section inserted before the page's last known section heading of its vendor."""
    title = _SALARY_TITLE.search(text)
    for vendor, (known, block) in _UNKNOWN.items():
        if vendor == "salary_com" and title is None:
            continue
        places = list(known.finditer(text))
        if places:
            at = places[-1].start()
            if vendor == "nih":  # (its bullets end where a heading stands: the unknown section goes among them)
                bullets = [m.start() for m in re.finditer(r"^\s*\u2022", text, re.M)]
                if len(bullets) < 2:
                    continue
                at = bullets[-1]
            return text[:at] + block.format(title=title.group(1) if title else "") + text[at:]
    return None


VARIANTS: dict[str, Callable[[str], str | None]] = {
    "value_missing": value_missing,
    "value_missing_next_value": value_missing_next_value,
    "value_malformed": value_malformed,
    "no_responsibilities_heading": no_responsibilities_heading,
    "abbreviation": abbreviation,
    "cut_after_heading": cut_after_heading,
    "unknown_heading": unknown_heading,
}


def variants(text: str) -> dict[str, str]:
    """Every class that applies to the page, with the page so changed."""
    return {name: changed for name, make in VARIANTS.items() if (changed := make(text)) is not None}
