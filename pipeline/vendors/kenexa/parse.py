"""Kenexa (IBM) job competency library pages, as published by university HR sites.

One competency per page: name, definition, an optional group line ("*This competency is
part of the ... Competencies"), "Behavior Statements" at four proficiency levels,
"Interview Questions" and "Titles with Shared Competencies". A complete page ends with
the titles section; a page without it was saved part-way.
"""

from __future__ import annotations

import os
import re

from ...document import Document
from ...ids import competency_id
from ..common import (RE_DEFINITION_LABEL, ParseResult, clean_name, drop_cut_last_line, looks_like_name, name_and_definition, name_definition_pairs,
                     parse_each, report_missing, title_name, until_last_list_item, warn_after_list, without_definition_label)

from .meta import PARSER_VERSION, SCALE, VENDOR

# The level as a digit, a Roman numeral or a word ("Level II", "Level Two").
_NUMBER = r"(\d|I{1,3}|IV|One|Two|Three|Four)"
_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "one": 1, "two": 2, "three": 3, "four": 4}
RE_LEVEL = re.compile(rf"^(?:Proficiency\s+)?Level\s*{_NUMBER}\s*(?:[-\u2013\u2014:]\s*(.*)|\((.+)\))?$", re.I)  # "Level 2: Working experience", "Level 2 (Working experience)" too
# The label first: "Working experience (Level 2)".
RE_LEVEL_AFTER = re.compile(rf"^(.+?)\s*\((?:Proficiency\s+)?Level\s*{_NUMBER}\)$", re.I)
# The label without a dash, after a space or glued on ("Proficiency Level 1Basic understanding":
# level and label in adjacent elements): taken only when it is the scale's label.
RE_LEVEL_BARE = re.compile(rf"^(?:Proficiency\s+)?Level\s*{_NUMBER}\s*([A-Za-z].*)$", re.I)
RE_NUMBERED = re.compile(r"^(?:\d{1,2}|Q\d{0,2})[.):]\s+")  # "1. ", "2) ", "Q1: ", "Q. "
# Section headings, with the wording other sites publishing the library use for them.
RE_STATEMENTS = re.compile(r"^Behaviou?r(?:al)? (?:Statements|Indicators):?$", re.I)
RE_QUESTIONS = re.compile(r"^(?:Sample |Suggested |Behaviou?ral )?Interview Questions:?$", re.I)
RE_TITLES = re.compile(r"^(?:Job )?Titles with (?:Shared Competencies|this Competency):?$", re.I)
RE_GROUP = re.compile(r"^\*?\s*This competency is (?:a )?part of (?:the )?(.+?)\.?$", re.I)
RE_GROUP_SITE = re.compile(r"\s+at\s+(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*$")  # "... Competencies at UF"
RE_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def parse(doc: Document) -> ParseResult:
    blocks, texts = doc.content, doc.lines
    starts = _later_competencies(blocks, texts)
    if not starts:
        return _parse_one(doc, blocks, texts, bounded=False)
    # A file holding several competencies (pages printed or saved together, a library as one
    # PDF): each is read on its own; all but the last end where the next begins.
    return parse_each(VENDOR, PARSER_VERSION, starts, len(blocks), lambda a, b, first, bounded: _parse_one(doc, blocks[a:b], texts[a:b], bounded, first),
                      what="competencies")


def _later_competencies(blocks: list, texts: list[str]) -> list[int]:
    """Where each competency after the first begins: its levels start again at 1 (or its
    "Behavior Statements" heading comes again) after the previous one's statements, right after
    its name and definition (and a group line or one more paragraph), which come after the
    previous one's last section heading."""
    starts, top, first_statement, boundary = [], 0, -1, 0
    for k, t in enumerate(texts):
        heading = level_heading(t)
        fixed = FIXED_HEADING.match(t)
        if first_statement >= 0 and ((heading and heading[0] == 1) or (fixed and _FIXED_SECTIONS[fixed.lastindex - 1] == "statements")):
            # (the name and definition right before, a group line or one more paragraph between)
            pairs = name_definition_pairs(blocks, max(boundary + 1, k - 4), k - 1)
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


def _parse_one(doc: Document, blocks: list, texts: list[str], bounded: bool, first: bool = True) -> ParseResult:
    result = ParseResult(VENDOR, PARSER_VERSION)
    # Its last section begun, and the file not seen to be cut: the titles list has no closing
    # line, but an HTML file that stops before its closing tags was cut inside it. A
    # competency followed by another in the same file is whole.
    has_titles = any(RE_TITLES.match(t) for t in texts)
    complete = bounded or (has_titles and doc.file_complete is not False)
    if not complete:
        texts = drop_cut_last_line(texts, result, whole=_FIXED_HEADINGS)
        blocks = blocks[: len(texts)]
    first_section = next((i for i, t in enumerate(texts) if RE_STATEMENTS.match(t) or level_heading(t)), len(texts))
    head = blocks[:first_section]

    # The name, a heading or a short title-case line, and right after it the definition; later
    # paragraphs are notes. What comes before the name is the site's (skip link, banner,
    # breadcrumb); what stands between the name and the definition is reported.
    family, body = None, []
    for b in head:
        if m := RE_GROUP.match(b.text):
            family = RE_GROUP_SITE.sub("", m.group(1)).strip()
        else:
            body.append(b)
    name_at, def_at = name_and_definition(body, title_name(doc.html_title) if first else None)  # (the page's title names its first)
    raw_name = body[name_at].text if name_at is not None else None
    definition = without_definition_label(body[def_at].text) if def_at is not None else None
    notes = [b.text for b in body[def_at + 1:]] if def_at is not None else []
    between = body[0 if name_at is None else name_at + 1:len(body) if def_at is None else def_at]
    for b in between:
        if not RE_DEFINITION_LABEL.fullmatch(b.text.strip()):  # (a "Definition:" label on its own line is the definition's)
            result.warn("unrecognized_text", f"text before the competency definition: {b.text[:80]!r}")
    name, source = _name(raw_name, doc if first else None, result)
    if name is None:
        result.warn("missing_section", "no competency name: no heading, page title or usable file name")
        return result
    result.title, result.title_source = name, source
    cid = competency_id(VENDOR, name)
    if notes:
        result.warn("extra_text", f"{len(notes)} paragraph(s) between the definition and the behavior statements were kept as notes")
    result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=definition, category=None, family=family,
               notes="\n".join(notes) or None)
    if raw_name and raw_name != name:
        result.add("competency_aliases", competency_id=cid, raw_name=raw_name)
    if definition is None:
        result.warn("missing_field", f"{name}: no definition")

    section, level = None, None
    behavior_seq = 0
    items: dict[str, list] = {"questions": [], "titles": []}  # their blocks: loaded once the lists' ends are known
    seen_levels: dict[int, int] = {}
    for b, t in zip(blocks[first_section:], texts[first_section:]):
        fixed = FIXED_HEADING.match(t)  # statements, questions or titles (never a level heading too)
        if _unknown_heading(b, t, section, fixed):
            result.warn("unknown_section", f"unknown section {t[:80]!r}: its content was not loaded")
            section, level = "unknown", None
        elif fixed:
            section = _FIXED_SECTIONS[fixed.lastindex - 1]
        elif (heading := level_heading(t)) and not SCALE.contains(heading[0]):
            result.warn("out_of_scale", SCALE.out_of_scale(f"level {heading[0]} ({t[:80]!r})", heading[0]) + ": its statements were not loaded")
            section, level = "unknown", None
        elif heading:
            section, (level, label) = "statements", heading
            if level in seen_levels:  # (another competency whose name and definition were not found, or the page repeats itself)
                result.warn("repeated_level", f"level {level} appears a second time ({t[:80]!r}): its statements were added to those of its first appearance")
                continue
            if mismatch := SCALE.label_mismatch(level, label):
                result.warn("scale_label_mismatch", mismatch)
            result.add("competency_levels", competency_id=cid, level=level, label=label, behaviors_hidden=None)
            seen_levels[level] = 0
        elif section == "statements" and level is not None and seen_levels[level] == 0 and _is_label_of(level, t, result):
            continue  # the level's label, on the line after "Proficiency Level N"
        elif section == "statements" and level is not None:
            for statement in RE_SENTENCE_SPLIT.split(t):
                behavior_seq += 1
                seen_levels[level] += 1
                result.add("behaviors", competency_id=cid, level=level, text=statement.strip(), seq=behavior_seq)
        elif section in items:
            items[section].append(b)
        elif section != "unknown":
            result.warn("unrecognized_text", f"text outside any known section: {t[:80]!r}")
    _add_list_items(result, cid, items)

    missing = [f"level {n}" for n, _ in SCALE if n not in seen_levels]
    missing += [f"level {n} statements" for n, count in sorted(seen_levels.items()) if count == 0]
    has_questions = any(RE_QUESTIONS.match(t) for t in texts)
    if_cut = ([] if has_questions else ["Interview Questions"]) + [f"{'the rest of ' if has_titles else ''}Titles with Shared Competencies"]
    report_missing(result, complete, missing, if_cut)
    return result


_LIST_HEADINGS = {"questions": "Interview Questions", "titles": "Titles with Shared Competencies"}


def _add_list_items(result: ParseResult, cid: str, items: dict[str, list]) -> None:
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


def _is_label_of(level: int, text: str, result: ParseResult) -> bool:
    """Whether `text` is the scale label of `level` given on its own line; if so it is set on the level's row."""
    label = text.strip(" -\u2013\u2014:")
    if not SCALE.has_label(level, label):
        return False
    for row in result.rows.get("competency_levels", []):
        if row["level"] == level and row["label"] is None:
            row["label"] = label
            return True
    return False


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


# Section headings of fixed words (a heading cut short would not match them); levels: level_heading.
_FIXED_HEADINGS = (RE_STATEMENTS, RE_QUESTIONS, RE_TITLES)
_FIXED_SECTIONS = ("statements", "questions", "titles")
FIXED_HEADING = re.compile("|".join(f"({p.pattern})" for p in _FIXED_HEADINGS), re.I)  # any of them in one match; lastindex: which


def _unknown_heading(block, text: str, section: str | None, fixed) -> bool:
    """A heading the page format does not have (drift), or in a text extract a plain line
    among the bulleted interview questions that is not a question."""
    if block.kind != "heading" and not (section == "questions" and block.kind == "line" and not text.rstrip().endswith("?") and looks_like_name(text)):
        return False
    return not (fixed or level_heading(text))


def _name(raw: str | None, doc: Document | None, result: ParseResult) -> tuple[str | None, str | None]:
    """The competency's name: its heading, else (for a file's first competency, `doc`) the
    page title or the file name."""
    if raw:
        return clean_name(raw), "heading"
    if doc is None:
        return None, None
    if doc.html_title:
        title = title_name(doc.html_title)
        if title:
            result.warn("name_from_title", f"the page text has no competency name; took {title!r} from the HTML title")
            return title, "html_title"
    stem = os.path.splitext(os.path.basename(doc.path))[0]
    stem = re.sub(r"[-_]\d+$", "", stem)  # "accountability-2" (a site's second slug)
    words = [w for w in re.split(r"[-_\s]+", stem) if w and not w.isdigit()]
    if words:
        name = " ".join(w if w.isupper() else w.capitalize() for w in words)
        result.warn("name_from_file_name", f"the page has no competency name in its text or title; took {name!r} from the file name")
        return name, "file_name"
    return None, None
