"""Salary.com "Skills & Competencies" job-profile pages: the parser's entry point.

A file may hold several profiles (pages saved or printed together, or a page carrying its
content twice): parse() splits it and reads each one. A profile's title is its "Skills &
Competencies for ..." heading (else its "job profile" line or JOB SUMMARY heading, else the
page's HTML title); it ends at its closing line ("It's Easy to Get Started"), and a page cut
off before that is whole only if its closing summary is. reader.py reads the profile's lines
into a Profile, rows.py turns the Profile into rows and checks what the page lacks, text.py
holds the wording matched (labels, headings, line patterns).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...document import Document
from ...enums import CATEGORIES
from ..common import ParseResult, clean_name, drop_cut_last_line, parse_each
from .meta import PARSER_VERSION, SCALE, VENDOR
from .reader import read_profile
from .rows import profile_rows
from .text import (
    BOILERPLATE,
    FIELD_LABELS,
    RE_ANY_SECTION,
    RE_COLLAPSE,
    RE_HIDDEN,
    RE_HTML_TITLE,
    RE_INSTANCE,
    RE_JOB_SUMMARY,
    RE_LIST,
    RE_NAMED,
    RE_PROFILE,
    RE_RESPONSIBILITIES,
    RE_SALARY,
    RE_SALARY_RANGE,
    RE_SECTION,
    RE_SUMMARY,
    RE_TITLE,
    RE_TOTAL,
    RE_ZERO,
)

RE_END = re.compile(r"^It'?\u2019?s Easy to Get Started", re.I)


def parse(doc: Document) -> ParseResult:
    """The rows of a Salary.com page, or of each profile a file holds."""
    # Pages saved or printed together: each profile ends with its closing line, and another
    # begins after it with its own title and sections (a related-jobs link named like a title
    # is not one).
    lines = doc.lines
    ends = _closing_lines(lines)
    cuts = [e + 1 for e in ends if _profile_follows(lines[e + 1:])]
    first_title = next((line for line in lines if _is_title(line)), None)
    if first_title is not None and lines.count(first_title) > 1:  # (a list scan in C: the title line given again)
        cuts = sorted({*cuts, *_profile_again(lines, ends)})
    if not cuts:
        return _parse_profile(doc, ends)
    blocks = doc.content
    return parse_each(VENDOR, PARSER_VERSION, cuts, len(blocks),
                      lambda a, b, first, bounded: _parse_profile(replace(doc, blocks=blocks[a:b], html_title=doc.html_title if first else None)), what="job profiles")


def _closing_lines(lines: list[str]) -> list[int]:
    # (first letters checked before the pattern: this scans every line of the page)
    return [i for i, line in enumerate(lines) if line[:1] in "Ii" and RE_END.match(line)]


def _is_title(line: str) -> bool:
    """A profile's title line ("Skills & Competencies for ..."); its first word is checked before
    the pattern: a page has dozens of lines starting "Skill definition" or "See 4 More"."""
    return line[:1] in "Ss" and line[1:6].lower() == "kills" and RE_TITLE.match(line) is not None


def _profile_again(lines: list[str], ends: list[int]) -> list[int]:
    """Title lines that begin the profile again with no closing line before them (a page that
    carries its content twice, for another screen size or for print): the sections after
    such a title repeat sections read since the profile's own title. A title line repeated
    otherwise (a sticky header above the skill sections) begins nothing."""
    titles = [i for i, line in enumerate(lines) if _is_title(line)]
    cuts: list[int] = []
    start = titles[0] if titles else 0
    for n, at in enumerate(titles[1:], start=1):
        if any(start < e < at for e in ends):  # a closing line before it: a profile of its own (cut after that line)
            start = at
            continue
        stop = titles[n + 1] if n + 1 < len(titles) else len(lines)
        if _sections(lines[start:at]) & _sections(lines[at:stop]):
            cuts.append(at)
            start = at
    return cuts


_SECTION_HEADS = (("summary", RE_JOB_SUMMARY), ("responsibilities", RE_RESPONSIBILITIES), ("salary", RE_SALARY_RANGE),
                  ("summary_of_skills", RE_SUMMARY))


def _section_of(line: str) -> str | None:
    """The profile section a line begins (job summary, salary range, a skill section...), or None."""
    if line[:1].isdigit():
        m = RE_SECTION.match(line)
        return f"section:{m.group(2).lower()}" if m else None
    return next((name for name, pattern in _SECTION_HEADS if pattern.match(line)), None)


def _sections(lines: list[str]) -> set[str]:
    return {name for line in lines if (name := _section_of(line))}


def _profile_follows(lines: list[str]) -> bool:
    """A title line, then before the next closing line a section of its own."""
    title = next((i for i, line in enumerate(lines) if _is_title(line)), None)
    if title is None:
        return False
    for line in lines[title + 1:]:
        if line[:1] in "Ii" and RE_END.match(line):
            return False
        if _section_of(line):
            return True
    return False


def _parse_profile(doc: Document, ends: list[int] | None = None) -> ParseResult:
    """One profile; `ends`: its closing lines, when the caller has found them."""
    result = ParseResult(VENDOR, PARSER_VERSION)
    start = _title(doc, doc.lines, result)
    lines, complete = _profile_lines(doc.lines, start, ends, result)
    if not result.title:
        result.warn("missing_section", "no job title found (no 'Skills & Competencies for ...' heading, 'job profile' line or page title)")
        return result
    headings = [b.kind == "heading" for b in doc.content[start:start + len(lines)]]
    from_body = result.title_source == "section_heading"
    if from_body:
        result.warn("missing_section", f"the page starts part-way, at {doc.lines[0][:120]!r}: no 'Skills & Competencies for ...' header, job summary, "
                                       f"salary range or role fields before its skill sections; recognized by them, titled {result.title!r} as "
                                       "their headings name it")
    profile = read_profile(result, result.title, lines, headings, complete, title_line=not from_body)
    return profile_rows(result, profile, VENDOR, SCALE)


def _title(doc: Document, lines: list[str], result: ParseResult) -> int:
    """Set the role title; return the index where the profile starts."""
    for i, line in enumerate(lines):
        if m := RE_TITLE.match(line):
            result.title, result.title_source = clean_name(m.group(1)), "heading"
            return i
    for i, line in enumerate(lines):
        if (m := RE_PROFILE.match(line)) or (m := RE_JOB_SUMMARY.match(line)):
            result.title, result.title_source = clean_name(m.group(1)), "heading"
            return i
    if doc.html_title and (m := RE_HTML_TITLE.match(doc.html_title)):
        result.title, result.title_source = clean_name(m.group(1)), "html_title"
        return 0
    # A page without its header (a copy of its skill sections onward): the title every skill
    # section's heading names; the profile is read from the first of them.
    for i, line in enumerate(lines):
        if line[:1].isdigit() and (m := RE_SECTION.match(line)):
            result.title, result.title_source = clean_name(m.group(4)), "section_heading"
            return i
    return 0


def _profile_lines(lines: list[str], start: int, ends: list[int] | None, result: ParseResult) -> tuple[list[str], bool]:
    """The profile's lines from its title to its closing line, and whether it is whole (a page
    cut off part-way loses its last line if that is cut mid-text)."""
    end = next((i for i in (_closing_lines(lines) if ends is None else ends) if i > start), None)
    lines = lines[start:end]
    # Whole: the page goes on past the profile (its closing "It's Easy to Get Started") or the
    # closing summary is whole. Its heading alone is not enough: a page cut inside the summary
    # would load a name cut short as a skill. (An HTML file reaching its closing tags is no
    # proof: a browser saving a page that has not finished loading writes them all the same.)
    complete = end is not None or _ends_with_whole_summary(lines)
    if not complete and not (lines and _whole_heading(lines[-1], str(result.title))):
        lines = drop_cut_last_line(lines, result, whole=_WHOLE_LINES)
    return lines, complete


# The headings that name the role, and the group naming it: one naming the page's title in full
# is whole, though it ends with no punctuation (a page cut right after a section heading keeps it).
_TITLED_HEADINGS = ((RE_TITLE, 1), (RE_JOB_SUMMARY, 1), (RE_RESPONSIBILITIES, 1), (RE_SALARY_RANGE, 1), (RE_LIST, 1), (RE_SECTION, 4),
                    (RE_ANY_SECTION, 4), (RE_SUMMARY, 1))


def _whole_heading(line: str, title: str) -> bool:
    return any((m := pattern.match(line)) is not None and clean_name(m.group(group)).lower() == title.lower() for pattern, group in _TITLED_HEADINGS)


# Lines whole whatever they end with: a required level ("Proficiency Level - 3") and the link
# giving a level's hidden behaviors (its count is data).
# (RE_LEVEL_REQ with its digit required: "Proficiency Level -" may be the cut of "- 3".)
_WHOLE_LINES = (re.compile(r"^(?:Required\s+)?Proficiency Level\s*[-\u2013\u2014:]?\s*\d$", re.I), RE_HIDDEN, RE_COLLAPSE, RE_SALARY,
                *(re.compile(rf"^{re.escape(label)}$", re.I) for label in FIELD_LABELS), *BOILERPLATE[:1])


def _ends_with_whole_summary(lines: list[str]) -> bool:
    summary_at = next((i for i, line in enumerate(lines) if line[:1] in "Ss" and RE_SUMMARY.match(line)), None)
    return summary_at is not None and _summary_is_whole(lines[summary_at + 1:])


def _summary_is_whole(lines: list[str]) -> bool:
    """The closing summary gives every category's count, the total, and ends with its "For
    instance, ..." sentence, whole."""
    categories = {m.group(2).lower() for line in lines if (m := RE_ZERO.match(line) or RE_NAMED.match(line))}
    return (categories == set(CATEGORIES) and any(RE_TOTAL.search(line) for line in lines)
            and bool(lines) and RE_INSTANCE.match(lines[-1]) is not None and lines[-1].endswith("."))
