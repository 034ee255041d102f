"""NIH competencies dictionary pages (hr.nih.gov/competency/...).

One competency per page: its name, a definition, and "Key Behaviors:" bullets with no
proficiency level. NIH rates proficiency on its own 5-step scale, which the page itself
does not apply, so behaviors are loaded with level NULL.
"""

from __future__ import annotations

import re

from ...document import Document
from ...ids import competency_id
from ..common import (RE_DEFINITION_LABEL, ParseResult, clean_name, drop_cut_last_line, name_and_definition, name_definition_pairs, parse_each,
                     title_name, until_last_list_item, warn_after_list, without_definition_label)

from .meta import PARSER_VERSION, VENDOR

RE_KEY_BEHAVIORS = re.compile(r"^Key Behaviou?r(?:s|al Indicators)(?: include)?:?$", re.I)  # "Key behaviors include:" too
RE_CLOSING = re.compile(r"^Developmental opportunities for this competency", re.I)


def parse(doc: Document) -> ParseResult:
    blocks = doc.content
    keys = [i for i, b in enumerate(blocks) if RE_KEY_BEHAVIORS.match(b.text)]
    # Pages saved or printed together, the dictionary as one file: each competency begins with
    # its name and definition right before its own "Key Behaviors:", after the previous one's.
    starts = [pairs[-1] for prev, key in zip(keys, keys[1:]) if (pairs := name_definition_pairs(blocks, prev + 2, key - 1))]
    if not starts:
        return _parse_one(doc, blocks, bounded=False)
    return parse_each(VENDOR, PARSER_VERSION, starts, len(blocks), lambda a, b, first, bounded: _parse_one(doc, blocks[a:b], bounded, first),
                      what="competencies")


def _parse_one(doc: Document, blocks: list, bounded: bool, first: bool = True) -> ParseResult:
    """One competency; `bounded`: another one follows it in the file, so it is whole."""
    result = ParseResult(VENDOR, PARSER_VERSION)
    key = next((i for i, b in enumerate(blocks) if RE_KEY_BEHAVIORS.match(b.text)), None)
    head = blocks[:key]
    # The name and right after it the definition (what comes before the name is the site's:
    # skip link, banner, breadcrumb); later paragraphs are notes.
    name_at, def_at = name_and_definition(head, title_name(doc.html_title) if first else None)
    if name_at is None:  # no name-like line: the page's first heading, or its first line
        name_at = next((i for i, b in enumerate(head) if b.kind == "heading"), 0 if head else None)
        def_at = name_at + 1 if name_at is not None and name_at + 1 < len(head) else None
    if name_at is None:
        result.warn("missing_section", "no competency name before 'Key Behaviors:'")
        return result
    name = clean_name(head[name_at].text)
    result.title, result.title_source = name, "heading"
    rest = [b.text for b in head[def_at:] if not RE_DEFINITION_LABEL.fullmatch(b.text.strip())] if def_at is not None else []
    if rest:
        rest[0] = without_definition_label(rest[0])
    cid = competency_id(VENDOR, name)
    result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=rest[0] if rest else None, category=None, family=None,
               notes="\n".join(rest[1:]) or None)
    after = blocks[key + 1:]
    closing = next((i for i, b in enumerate(after) if RE_CLOSING.match(b.text)), None)
    # The bullets end at the closing line, or at a heading (a section the page format does not
    # have, or the site's sidebar after the content).
    end = next((i for i, b in enumerate(after[:closing]) if b.kind == "heading"), closing)
    listed, beyond = until_last_list_item(after[:end])
    behaviors = [b.text for b in listed]
    if end is not None and end != closing:
        result.warn("unknown_section", f"unknown section {after[end].text[:80]!r} after the Key Behaviors: its content was not loaded")
    if beyond:  # (the bullets ended where other text follows them: the list is whole)
        warn_after_list(result, "Key Behaviors", "behaviors", beyond)
    elif end is None and not bounded:  # the bullets run to the end of the page, which may stop part-way: a behavior cut short is not loaded
        behaviors = drop_cut_last_line(behaviors, result)
    for seq, text in enumerate(behaviors, start=1):
        result.add("behaviors", competency_id=cid, level=None, text=text, seq=seq)
    if not rest:
        result.warn("missing_field", f"{name}: no definition")
    if end is None and not bounded and not beyond:  # (a heading, other text or the next competency after the bullets shows they are whole)
        if doc.file_complete is True:  # whole file, but a browser writes the closing tags of a page still loading too
            result.warn("missing_section", "no closing 'Developmental opportunities' line: the page may have been saved before it finished loading")
        else:
            result.warn("truncated", "page stops part-way (no closing 'Developmental opportunities' line); missing: the rest of the Key Behaviors")
    return result
