"""NIH competencies dictionary pages (hr.nih.gov/competency/...).

One competency per page: its name, a definition, and "Key Behaviors:" bullets with no
proficiency level. NIH rates proficiency on its own 5-step scale, which the page itself
does not apply, so behaviors are loaded with level NULL. The bullets end at the page's closing
line ("Developmental opportunities for this competency...") or at a heading; where they run to
the end of the file, the page may have been saved part-way. A file holding several competencies (pages saved or printed together) is
split where each begins and each is read the same way.
"""

from __future__ import annotations

import re

from ...document import Block, Document
from ...ids import competency_id, unnamed_competency_id
from ..common import (
    RE_DEFINITION_LABEL,
    ParseResult,
    clean_name,
    drop_cut_last_line,
    looks_like_heading,
    marks_headings,
    name_and_definition,
    name_definition_pairs,
    parse_each,
    title_name,
    until_last_list_item,
    warn_after_list,
    without_definition_label,
)
from .meta import PARSER_VERSION, VENDOR

RE_KEY_BEHAVIORS = re.compile(r"^Key Behaviou?r(?:s|al Indicators)(?: include)?:?$", re.I)  # "Key behaviors include:" too
RE_CLOSING = re.compile(r"^Developmental opportunities for this competency", re.I)
_KNOWN_HEADINGS = ("key behaviors", "key behavioral indicators", "developmental opportunities for this competency")


def parse(doc: Document) -> ParseResult:
    blocks = doc.content
    keys = [i for i, b in enumerate(blocks) if RE_KEY_BEHAVIORS.match(b.text)]
    # Pages saved or printed together, the dictionary as one file: each competency begins with
    # its name and definition right before its own "Key Behaviors:", after the previous one's.
    headed = marks_headings(doc)
    starts = [pairs[-1] for prev, key in zip(keys, keys[1:]) if (pairs := name_definition_pairs(blocks, prev + 2, key - 1, headed))]
    if not starts:
        return _parse_one(doc, blocks, bounded=False)
    return parse_each(VENDOR, PARSER_VERSION, starts, len(blocks), lambda a, b, first, bounded: _parse_one(doc, blocks[a:b], bounded, first),
                      what="competencies")


def _parse_one(doc: Document, blocks: list[Block], bounded: bool, first: bool = True) -> ParseResult:
    """One competency; `bounded`: another one follows it in the file, so it is whole."""
    result = ParseResult(VENDOR, PARSER_VERSION)
    key = next((i for i, b in enumerate(blocks) if RE_KEY_BEHAVIORS.match(b.text)), None)
    head = blocks[:key]
    page_title = title_name(doc.html_title) if first else None
    name_at, def_at = _name_and_definition(head, page_title, marks_headings(doc))
    if name_at is None and def_at is None:
        result.warn("missing_section", "no competency name before 'Key Behaviors:'")
        return result
    if key is None:  # (never from the pipeline: detect() gives this parser only pages with the heading)
        raise ValueError("not an NIH competency page: no 'Key Behaviors:' heading")
    name = _name(result, head, name_at, page_title)
    definition, notes = _definition_and_notes(head, def_at)
    behaviors, list_ends = _key_behaviors(result, blocks[key + 1:], bounded)
    cid = competency_id(VENDOR, name) if name else unnamed_competency_id(VENDOR, definition or (behaviors[0] if behaviors else ""))
    result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=definition, category=None, family=None, notes=notes)
    for seq, text in enumerate(behaviors, start=1):
        result.add("behaviors", competency_id=cid, level=None, text=text, seq=seq)
    if definition is None:
        result.warn("missing_field", f"{name or 'the unnamed competency'}: no definition")
    if not list_ends and not bounded:
        _report_open_end(result, doc.file_complete)
    return result


def _name_and_definition(head: list[Block], page_title: str | None, headed: bool) -> tuple[int | None, int | None]:
    """Where the name is, and right after it the definition (common.name_and_definition: what
    comes before the name is the site's: skip link, banner, breadcrumb). A definition with no
    name above it (a mirror's copy without the name line) has no name: a sentence is never
    taken for one."""
    name_at, def_at = name_and_definition(head, page_title, headed)
    if name_at is None and def_at is None:  # neither a name-like line nor a sentence: the page's first heading, or its first line
        name_at = next((i for i, b in enumerate(head) if b.kind == "heading"), 0 if head else None)
        def_at = name_at + 1 if name_at is not None and name_at + 1 < len(head) else None
    elif name_at is None and def_at:  # a definition: a short line right above it that is no sentence is the name (however it is written)
        above = head[def_at - 1].text.rstrip()
        nameable = head[def_at - 1].kind == "heading" or not headed  # (on a headed page, a name is a heading)
        name_at = def_at - 1 if nameable and len(above.split()) <= _NAME_WORDS and not above.endswith((".", "!", "?", ":")) else None
    return name_at, def_at


_NAME_WORDS = 12  # (a longer line is a sentence that lost its period, not a name)


def _name(result: ParseResult, head: list[Block], name_at: int | None, page_title: str | None) -> str | None:
    """The competency's name and the document's title: the name line, else the HTML title's
    name (noted), else none (the page is partial: its name is missing)."""
    if name_at is not None:
        result.title, result.title_source = clean_name(head[name_at].text), "heading"
    elif page_title:
        result.title, result.title_source = page_title, "html_title"
        result.warn("name_from_title", f"no name line before the definition; the name {page_title!r} is the page title's")
    else:
        result.warn("missing_section", "no competency name before its definition (a copy without the name line): "
                                       "the competency is loaded without a name")
    return result.title


def _definition_and_notes(head: list[Block], def_at: int | None) -> tuple[str | None, str | None]:
    """The definition (without a "Definition:" label) and the paragraphs after it, as notes; a
    label on a line of its own is neither."""
    rest = [b.text for b in head[def_at:] if not RE_DEFINITION_LABEL.fullmatch(b.text.strip())] if def_at is not None else []
    if not rest:
        return None, None
    return without_definition_label(rest[0]), "\n".join(rest[1:]) or None


def _key_behaviors(result: ParseResult, after: list[Block], bounded: bool) -> tuple[list[str], bool]:
    """The Key Behaviors bullets among the blocks `after` the heading, and whether the list is
    seen to end (a heading, the closing line or other text after it)."""
    closing = next((i for i, b in enumerate(after) if RE_CLOSING.match(b.text)), None)
    # The bullets end at the closing line, or at a heading (a section the page format does not
    # have, or the site's sidebar after the content), or at a plain line that reads as a heading
    # with bullets after it (in a text extract a heading is such a line).
    bullets = [i for i, b in enumerate(after[:closing]) if b.kind == "list_item"]
    heading = next((i for i, b in enumerate(after[:closing]) if b.kind == "heading"
                    or (b.kind in ("line", "paragraph") and bullets and bullets[-1] > i and looks_like_heading(b.text, _KNOWN_HEADINGS))), None)
    end = closing if heading is None else heading
    listed, beyond = until_last_list_item(after[:end])
    behaviors = [b.text for b in listed]
    if heading is not None:
        result.warn("unknown_section", f"unknown section {after[heading].text[:80]!r} after the Key Behaviors: its content was not loaded")
    if beyond:  # (the bullets ended where other text follows them: the list is whole)
        warn_after_list(result, "Key Behaviors", "behaviors", beyond)
    elif end is None and not bounded:  # the bullets run to the end of the page, which may stop part-way: a behavior cut short is not loaded
        behaviors = drop_cut_last_line(behaviors, result)
    # (Seen to end: at the closing line, a marked heading or other text after the bullets; a
    # plain line between bullets says nothing of where the page stops.)
    return behaviors, closing is not None or bool(beyond) or (heading is not None and after[heading].kind == "heading")


def _report_open_end(result: ParseResult, file_complete: bool | None) -> None:
    """The bullets run to the end of the file, which has no closing line."""
    if file_complete is True:  # whole file, but a browser writes the closing tags of a page still loading too
        result.warn("missing_section", "no closing 'Developmental opportunities' line: the page may have been saved before it finished loading")
    else:
        result.warn("truncated", "page stops part-way (no closing 'Developmental opportunities' line); missing: the rest of the Key Behaviors")
