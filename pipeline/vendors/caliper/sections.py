"""A Caliper job model's text: its title, its sections, and what each section holds.

The page gives the library header ("CALIPER COMPETENCY LIBRARY <title>"), a description,
"Example positions", the "COMPETENCIES" list ("Name – definition"), "Representative
behaviors" and last the JOB MODEL chart (read in chart.py). Sections are found by their
headings; a line belongs to the section whose heading came last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import Block, Document
from ..common import ParseResult, clean_name, drop_cut_last_line, looks_like_heading, looks_like_name, until_last_list_item, warn_after_list

RE_HEADER = re.compile(r"^CALIPER COMPETENCY LIBRARY\b\s*(.*)$", re.I)
RE_POSITIONS = re.compile(r"^Example positions:?$", re.I)
RE_COMPETENCIES = re.compile(r"^(?:Key\s+)?COMPETENCIES:?$", re.I)
RE_BEHAVIORS = re.compile(r"^Representative behaviou?rs:?$", re.I)
RE_MODEL = re.compile(r"^JOB MODEL$", re.I)
# "Name – definition": an en or em dash (spaced or not), a spaced hyphen ("Self-management"
# has its own), or a colon before a capital.
RE_ENTRY = re.compile(r"^([A-Za-z][A-Za-z ,'&/-]{1,60}?)(?:\s*[\u2013\u2014]\s*|\s+-\s+|:\s+(?=[A-Z]))(.+)$")

# The text sections by their headings; the text before the first of them is the summary.
TEXT_SECTIONS = {"positions": RE_POSITIONS, "competencies": RE_COMPETENCIES, "behaviors": RE_BEHAVIORS}


def text_section(line: str) -> str | None:
    """The text section this line is the heading of, if it is one."""
    return next((name for name, pattern in TEXT_SECTIONS.items() if pattern.match(line)), None)


@dataclass
class ModelText:
    """One job model's title and the lines after it, each a block's own text."""

    title: str
    lines: list[str]
    # The chart's heading is there: the page was not cut off before its last section.
    complete: bool
    # id(line) -> its block, for the block's kind (lines are the blocks' own str objects).
    block_of: dict[int, Block]

    def block(self, line: str) -> Block:
        return self.block_of[id(line)]


def read_model_text(doc: Document, result: ParseResult) -> ModelText | None:
    """The model's title (from the library header, else its first line) and its lines without
    the header; None, with a warning, when there is no title."""
    header = _header_title(doc)
    blocks = [b for b in doc.content if not RE_HEADER.match(b.text)]
    lines = [b.text for b in blocks]
    complete = any(RE_MODEL.match(t) for t in lines)
    if not complete:
        if header and not lines:  # the page stops in its first line: the title may be cut short
            result.warn("truncated_text", f"the page stops mid-text; its last line {'CALIPER COMPETENCY LIBRARY ' + header!r} is cut off and its title was not loaded")
            header = ""
        lines = drop_cut_last_line(lines, result, whole=(*TEXT_SECTIONS.values(), RE_MODEL))  # (a section heading is whole)
    title = clean_name(header)
    if not title and lines and text_section(lines[0]) is None and looks_like_name(lines[0]):
        title, lines = clean_name(lines[0]), lines[1:]
    if not title:
        if not any(text_section(line) for line in lines):
            result.warn("missing_section", "no job model title after 'CALIPER COMPETENCY LIBRARY'")
            return None
        # A copy without its header and title line, recognized by its sections: never a
        # sentence of its summary taken for the title.
        result.warn("missing_section", "no job model title (no 'CALIPER COMPETENCY LIBRARY' header or title line before its sections): "
                                       "its competencies are loaded, the role is not")
    return ModelText(title, lines, complete, {id(b.text): b for b in blocks})


def _header_title(doc: Document) -> str:
    """What the first library header gives after "CALIPER COMPETENCY LIBRARY" (the title, or nothing)."""
    return next((m.group(1).strip() for b in doc.blocks if (m := RE_HEADER.match(b.text))), "")


def split_sections(text: ModelText, result: ParseResult) -> dict[str, list[str]]:
    """The lines before the chart by section: "summary" and the TEXT_SECTIONS. Another
    heading starts a section that is reported and not loaded."""
    sections: dict[str, list[str]] = {"summary": [], **{name: [] for name in TEXT_SECTIONS}}
    section = "summary"
    for line in text.lines:
        if section == "summary" and text.title and clean_name(line).lower() == text.title.lower():
            continue  # the title repeated as the page heading
        if RE_MODEL.match(line):
            break  # the chart is read from word positions, not from lines
        if heading := text_section(line):
            section = heading
        elif section != "summary" and _unknown_heading(text.block(line), section):
            result.warn("unknown_section", f"unknown section {line[:80]!r}: its content was not loaded")
            section = "unknown"
        elif section == "unknown":
            continue
        elif section == "behaviors" and text.block(line).kind != "list_item" and len(line.split()) < 3:
            # Behaviors are bullets; a PDF may draw its bullets as graphics, so an unbulleted
            # sentence is still taken, but a short line is not a behavior.
            result.warn("unrecognized_text", f"text among the representative behaviors that is not a behavior: {line[:80]!r}")
        else:
            sections[section].append(line)
    return sections


def _unknown_heading(block: Block, section: str) -> bool:
    """A heading the format does not have: marked as one, or (a text extract) a short title-case
    line among the competencies or the behaviors, which are "Name – definition" lines and sentences."""
    if block.kind == "heading":
        return True
    return (section in ("competencies", "behaviors") and block.kind in ("line", "paragraph")
            and looks_like_heading(block.text, _KNOWN_HEADINGS) and RE_ENTRY.match(block.text) is None)


_KNOWN_HEADINGS = ("caliper competency library", "example positions", "key competencies", "competencies", "representative behaviors", "job model")


def example_positions(lines: list[str]) -> list[str]:
    """Positions are one comma-separated list, possibly broken across lines mid-title; a list
    without any comma has one position per line."""
    joined = " ".join(lines) if any("," in p for p in lines) else ",".join(lines)
    return [clean_name(p) for p in joined.split(",") if clean_name(p)]


def competency_list(lines: list[str], result: ParseResult) -> list[tuple[str, str]]:
    """'Name – definition' paragraphs; a line without the dash continues the definition above."""
    listed: list[list[str]] = []
    for t in lines:
        m = RE_ENTRY.match(t)
        if m and len(m.group(1).split()) <= 6:
            listed.append([clean_name(m.group(1)), m.group(2).strip()])
        elif listed and not listed[-1][1].rstrip().endswith((".", "!", "?")):
            listed[-1][1] += " " + t  # a definition broken across a column or page
        else:
            result.warn("unrecognized_text", f"text in the competency list that is not 'Name \u2013 definition': {t[:80]!r}")
    return [(name, definition) for name, definition in listed]


def representative_behaviors(text: ModelText, lines: list[str], result: ParseResult) -> list[str]:
    """Bulleted behaviors end at the last bullet: a text extract's page footer after them is no behavior."""
    behaviors, after = until_last_list_item([text.block(t) for t in lines])
    if after:
        warn_after_list(result, "Representative behaviors", "behaviors", after, likely="the page's footer")
    return [b.text for b in behaviors]
