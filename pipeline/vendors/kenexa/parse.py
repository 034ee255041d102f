"""Kenexa (IBM) job competency library pages, as published by university HR sites.

One competency per page: name, definition, an optional group line ("*This competency is
part of the ... Competencies"), "Behavior Statements" at four proficiency levels,
"Interview Questions" and "Titles with Shared Competencies". A complete page ends with
the titles section; a page without it was saved part-way. A file holding several
competencies (pages printed or saved together) is split where each begins and each is read
the same way. The headings are recognised in headings.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import Block, Document
from ...ids import competency_id, unnamed_competency_id
from ..common import (
    RE_DEFINITION_LABEL,
    ParseResult,
    clean_name,
    drop_cut_last_line,
    looks_like_heading,
    looks_like_name,
    marks_headings,
    name_and_definition,
    name_definition_pairs,
    parse_each,
    report_missing,
    split_sentences,
    title_name,
    until_last_list_item,
    warn_after_list,
    without_definition_label,
)
from .headings import FIXED_HEADING_PATTERNS, KNOWN_HEADINGS, RE_QUESTIONS, RE_STATEMENTS, RE_TITLES, fixed_section, level_heading
from .meta import PARSER_VERSION, SCALE, VENDOR

RE_NUMBERED = re.compile(r"^(?:\d{1,2}|Q\d{0,2})[.):]\s+")  # "1. ", "2) ", "Q1: ", "Q. "
RE_GROUP = re.compile(r"^\*?\s*This competency is (?:a )?part of (?:the )?(.+?)\.?$", re.I)
RE_GROUP_SITE = re.compile(r"\s+at\s+(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*$")  # "... Competencies at UF"


def parse(doc: Document) -> ParseResult:
    blocks, texts = doc.content, doc.lines
    starts = _later_competencies(blocks, texts, marks_headings(doc))
    if not starts:
        return _parse_one(doc, blocks, texts, bounded=False)
    # A file holding several competencies (pages printed or saved together, a library as one
    # PDF): each is read on its own; all but the last end where the next begins.
    return parse_each(VENDOR, PARSER_VERSION, starts, len(blocks), lambda a, b, first, bounded: _parse_one(doc, blocks[a:b], texts[a:b], bounded, first),
                      what="competencies")


def _later_competencies(blocks: list[Block], texts: list[str], headed: bool) -> list[int]:
    """Where each competency after the first begins: its levels start again at 1 (or its
    "Behavior Statements" heading comes again) after the previous one's statements, right after
    its name and definition (and a group line or one more paragraph), which come after the
    previous one's last section heading."""
    starts, top, first_statement, boundary = [], 0, -1, 0
    for k, t in enumerate(texts):
        heading = level_heading(t)
        fixed = fixed_section(t)
        if first_statement >= 0 and ((heading and heading[0] == 1) or fixed == "statements"):
            # (the name and definition right before, a group line or one more paragraph between)
            pairs = name_definition_pairs(blocks, max(boundary + 1, k - 4), k - 1, headed)
            # (without a name and a definition, or statements before them, a level repeated is the same competency's)
            if pairs and first_statement < pairs[-1]:
                starts.append(pairs[-1])
                top, first_statement = 0, -1
        if heading:
            top = heading[0]
        elif top and not fixed and first_statement < 0:
            first_statement = k
        if heading or fixed:
            boundary = k
    return starts


def _parse_one(doc: Document, blocks: list[Block], texts: list[str], bounded: bool, first: bool = True) -> ParseResult:
    """One competency. `bounded`: another follows it in the file, so it is whole; `first`: the
    file's first, the only one the page title can name."""
    result = ParseResult(VENDOR, PARSER_VERSION)
    # Its last section begun, and the file not seen to be cut: the titles list has no closing
    # line, but an HTML file that stops before its closing tags was cut inside it.
    has_titles = any(RE_TITLES.match(t) for t in texts)
    complete = bounded or (has_titles and doc.file_complete is not False)
    if not complete and not (texts and _whole_level_heading(texts[-1])):
        texts = drop_cut_last_line(texts, result, whole=FIXED_HEADING_PATTERNS)
        blocks = blocks[: len(texts)]
    first_section = next((i for i, t in enumerate(texts) if RE_STATEMENTS.match(t) or level_heading(t)), len(texts))

    page_title = title_name(doc.html_title) if first else None
    head = _read_head(blocks[:first_section], page_title, marks_headings(doc))
    _warn_text_before_definition(result, head.between)
    result.title, result.title_source = _name(head.raw_name, page_title, result, first)
    _warn_about_head(result, head)

    sections = _Sections(result)
    for b, t in zip(blocks[first_section:], texts[first_section:]):
        sections.read(b, t)
    content = head.definition or sections.first_statement  # (what identifies a competency without a name)
    if result.title is None and content is None:
        result.warn("missing_section", "no competency name, definition or behavior statement: nothing loaded")
        return result
    cid = competency_id(VENDOR, result.title) if result.title else unnamed_competency_id(VENDOR, content or "")
    _add_competency(result, cid, head)
    sections.add_rows(cid)
    _add_list_items(result, cid, sections.items)
    _report_missing(result, complete, sections.statement_counts, has_questions=any(RE_QUESTIONS.match(t) for t in texts), has_titles=has_titles)
    return result


# -- before the first section: the name, the definition, the group line, notes ----------------

@dataclass
class _Head:
    """What a competency has before its first section."""
    family: str | None  # from the group line ("*This competency is part of the ... Competencies")
    raw_name: str | None  # the name's line as written
    definition: str | None
    notes: list[str]  # paragraphs after the definition
    between: list[Block]  # what stands between the name and the definition


def _read_head(blocks: list[Block], page_title: str | None, headed: bool) -> _Head:
    """The name, a heading or a short title-case line, and right after it the definition
    (common.name_and_definition; `page_title` names the one to take among several); later
    paragraphs are notes. What comes before the name is the site's (skip link, banner,
    breadcrumb) and is left out."""
    family, body = None, []
    for b in blocks:
        if m := RE_GROUP.match(b.text):
            family = RE_GROUP_SITE.sub("", m.group(1)).strip()
        else:
            body.append(b)
    name_at, def_at = name_and_definition(body, page_title, headed)
    return _Head(
        family=family,
        raw_name=body[name_at].text if name_at is not None else None,
        definition=without_definition_label(body[def_at].text) if def_at is not None else None,
        notes=[b.text for b in body[def_at + 1:]] if def_at is not None else [],
        between=body[0 if name_at is None else name_at + 1:len(body) if def_at is None else def_at],
    )


def _warn_text_before_definition(result: ParseResult, between: list[Block]) -> None:
    for b in between:
        if not RE_DEFINITION_LABEL.fullmatch(b.text.strip()):  # (a "Definition:" label on its own line is the definition's)
            result.warn("unrecognized_text", f"text before the competency definition: {b.text[:80]!r}")


def _name(raw: str | None, page_title: str | None, result: ParseResult, first: bool) -> tuple[str | None, str | None]:
    """The competency's name and where it was found: its heading, else (for a file's first
    competency) the HTML page title, else none: the page is partial, the name NULL. The file
    name is no part of the document: no name is made from it."""
    if raw:
        return clean_name(raw), "heading"
    if page_title:
        result.warn("name_from_title", f"the page text has no competency name; took {page_title!r} from the HTML title")
        return page_title, "html_title"
    where = "in the page's text or title" if first else "before its definition"
    result.warn("missing_section", f"no competency name {where} (a copy without the name line): the competency is loaded without a name")
    return None, None


def _warn_about_head(result: ParseResult, head: _Head) -> None:
    if head.notes:
        result.warn("extra_text", f"{len(head.notes)} paragraph(s) between the definition and the behavior statements were kept as notes")
    if head.definition is None:
        result.warn("missing_field", f"{result.title or 'the unnamed competency'}: no definition")


def _add_competency(result: ParseResult, cid: str, head: _Head) -> None:
    """The competency's row (and its name as written, where cleaning changed it)."""
    name = result.title
    result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=head.definition, category=None, family=head.family,
               notes="\n".join(head.notes) or None)
    if head.raw_name and head.raw_name != name:
        result.add("competency_aliases", competency_id=cid, raw_name=head.raw_name)


# -- from the first section on: levels and their statements, questions, titles ----------------

class _Sections:
    """Reads the lines from the first section on, one at a time: each level's row and its
    behavior statements are kept as they come (`levels`, `behaviors`: loaded by add_rows once
    the competency's id is known, which a competency without a name takes from its first
    statement when it has no definition); the interview questions' and titles' blocks are
    collected (`items`), to be loaded once their lists' ends are known (_add_list_items)."""

    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.levels: list[dict] = []  # competency_levels rows but their competency_id
        self.behaviors: list[dict] = []  # behaviors rows but their competency_id
        self.section: str | None = None  # statements, questions, titles, or unknown (its content not loaded)
        self.level: int | None = None  # the level the statements read belong to
        self.behavior_seq = 0
        self.items: dict[str, list[Block]] = {"questions": [], "titles": []}
        self.statement_counts: dict[int, int] = {}  # each level seen: how many statements it has

    def read(self, block: Block, text: str) -> None:
        fixed = fixed_section(text)  # statements, questions or titles (never a level heading too)
        if _unknown_heading(block, text, self.section, fixed):
            self.result.warn("unknown_section", f"unknown section {text[:80]!r}: its content was not loaded")
            self.section, self.level = "unknown", None
        elif fixed:
            self.section = fixed
        elif heading := level_heading(text):
            self._level_heading(text, *heading)
        elif self.section == "statements" and self.level is not None:
            self._statement_line(text, self.level)
        elif self.section in self.items:
            self.items[self.section].append(block)
        elif self.section != "unknown":
            self.result.warn("unrecognized_text", f"text outside any known section: {text[:80]!r}")

    def _level_heading(self, text: str, level: int, label: str | None) -> None:
        if not SCALE.contains(level):
            self.result.warn("out_of_scale", SCALE.out_of_scale(f"level {level} ({text[:80]!r})", level) + ": its statements were not loaded")
            self.section, self.level = "unknown", None
            return
        self.section, self.level = "statements", level
        if level in self.statement_counts:  # (another competency whose name and definition were not found, or the page repeats itself)
            self.result.warn("repeated_level", f"level {level} appears a second time ({text[:80]!r}): its statements were added to those of its first appearance")
            return
        if mismatch := SCALE.label_mismatch(level, label):
            self.result.warn("scale_label_mismatch", mismatch)
        self.levels.append(dict(level=level, label=label, behaviors_hidden=None))
        self.statement_counts[level] = 0

    def _statement_line(self, text: str, level: int) -> None:
        if self.statement_counts[level] == 0 and _is_label_of(level, text, self.levels):
            return  # the level's label, on the line after "Proficiency Level N"
        for statement in split_sentences(text):
            self.behavior_seq += 1
            self.statement_counts[level] += 1
            self.behaviors.append(dict(level=level, text=statement, seq=self.behavior_seq))

    @property
    def first_statement(self) -> str | None:
        return self.behaviors[0]["text"] if self.behaviors else None

    def add_rows(self, cid: str) -> None:
        """The levels' and statements' rows, as the competency `cid`'s."""
        for row in self.levels:
            self.result.add("competency_levels", competency_id=cid, **row)
        for row in self.behaviors:
            self.result.add("behaviors", competency_id=cid, **row)


def _unknown_heading(block: Block, text: str, section: str | None, fixed: str | None) -> bool:
    """A heading the page format does not have (drift); in a text extract, a plain name-like line
    among the interview questions that is no question, or a plain line among the behavior
    statements (sentences) that reads as a heading (common.looks_like_heading) and is no level's label."""
    if block.kind == "heading":
        return not (fixed or level_heading(text))
    if section == "questions" and block.kind == "line":
        return not text.rstrip().endswith("?") and looks_like_name(text) and not (fixed or level_heading(text))
    return (section == "statements" and block.kind in ("line", "paragraph") and looks_like_heading(text, KNOWN_HEADINGS)
            and not SCALE.label_in(text) and not (fixed or level_heading(text)))


def _whole_level_heading(text: str) -> bool:
    """A level heading that is whole though it ends with no punctuation: no label, or the scale's
    own label in full ("Proficiency Level 4", "Level 2: Working experience")."""
    heading = level_heading(text)
    if heading is None:
        return False
    level, label = heading
    return label is None or SCALE.has_label(level, label)


def _is_label_of(level: int, text: str, levels: list[dict]) -> bool:
    """Whether `text` is the scale label of `level` given on its own line; if so it is set on the level's row."""
    label = text.strip(" -\u2013\u2014:")
    if not SCALE.has_label(level, label):
        return False
    for row in levels:
        if row["level"] == level and row["label"] is None:
            row["label"] = label
            return True
    return False


_LIST_HEADINGS = {"questions": "Interview Questions", "titles": "Titles with Shared Competencies"}


def _add_list_items(result: ParseResult, cid: str, items: dict[str, list[Block]]) -> None:
    """The interview questions and shared titles; a bulleted list ends at its last item (what
    follows is reported, not loaded: common.until_last_list_item)."""
    for section, blocks in items.items():
        found, after = until_last_list_item(blocks)
        for seq, b in enumerate(found, start=1):
            if section == "questions":
                result.add("interview_questions", competency_id=cid, text=RE_NUMBERED.sub("", b.text), seq=seq)
            else:
                result.add("related_titles", role_id=None, competency_id=cid, title=clean_name(b.text), relation="shared_competency", seq=seq)
        if after:
            warn_after_list(result, _LIST_HEADINGS[section], section, after)


def _report_missing(result: ParseResult, complete: bool, statement_counts: dict[int, int], has_questions: bool, has_titles: bool) -> None:
    """The levels not found, or found without statements; on a page cut part-way, also the
    sections that would have followed."""
    missing = [f"level {n}" for n, _ in SCALE if n not in statement_counts]
    missing += [f"level {n} statements" for n, count in sorted(statement_counts.items()) if count == 0]
    if_cut = ([] if has_questions else ["Interview Questions"]) + [f"{'the rest of ' if has_titles else ''}Titles with Shared Competencies"]
    report_missing(result, complete, missing, if_cut)
