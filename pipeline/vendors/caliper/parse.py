"""Caliper Competency Library job models (PDF, or a text extract of one).

Text sections are read from the blocks: the description, "Example positions", the
"COMPETENCIES" list ("Name – definition"), "Representative behaviors". The JOB MODEL
chart is read from word positions (PDF only): words are grouped into chart cells, the
cells that spell a family name become columns, and every other cell is a competency in
the column it sits under. A text extract loses the chart's layout, so there families are
left NULL and the loss is reported.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...document import Document, Word
from ...ids import competency_id, role_id
from ..common import ParseResult, clean_name, drop_cut_last_line, parse_each, report_missing, until_last_list_item, warn_after_list

from .meta import PARSER_VERSION, VENDOR

# The library's families, keyed by their letters only, so "Self-Management",
# "SELF MANAGEMENT" and "Self- Management" (a wrapped chart label) are one family.
FAMILIES = {
    "leading": "Leading",
    "activecommunication": "Active Communication",
    "interpersonaldynamics": "Interpersonal Dynamics",
    "decisions": "Decisions",
    "solvingproblems": "Solving Problems",
    "managingprocess": "Managing Process",
    "selfmanagement": "Self-Management",
}
RE_HEADER = re.compile(r"^CALIPER COMPETENCY LIBRARY\b\s*(.*)$", re.I)
RE_POSITIONS = re.compile(r"^Example positions:?$", re.I)
RE_COMPETENCIES = re.compile(r"^(?:Key\s+)?COMPETENCIES:?$", re.I)
RE_BEHAVIORS = re.compile(r"^Representative behaviou?rs:?$", re.I)
RE_MODEL = re.compile(r"^JOB MODEL$", re.I)
# "Name – definition": an en or em dash (spaced or not), a spaced hyphen ("Self-management"
# has its own), or a colon before a capital.
RE_ENTRY = re.compile(r"^([A-Za-z][A-Za-z ,'&/-]{1,60}?)(?:\s*[\u2013\u2014]\s*|\s+-\s+|:\s+(?=[A-Z]))(.+)$")


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def parse(doc: Document) -> ParseResult:
    # A file holding several job models (a library as one PDF, models printed together): each
    # begins at the first header naming it, with a section of its own before the next model,
    # and is read from its own blocks and pages. A header whose title is the model's before
    # cut short or lengthened ("... (continued)") is still that model's.
    titled = _header_titles(doc)
    starts, current = [], None
    for n, (at, title) in enumerate(titled):
        if current is None or not _same_model(title, current) and _has_own_sections(doc, at, title, titled[n + 1:]):
            starts.append(at)
            current = title
    if len(starts) < 2:
        return _parse_model(doc)

    def model(a: int, b: int, first: bool, bounded: bool) -> ParseResult:  # its blocks, and the words of its pages (its chart)
        first_page = None if first else doc.blocks[a].page
        next_page = doc.blocks[b].page if bounded else None
        words = [w for w in doc.words if (first_page is None or w.page >= first_page) and (next_page is None or w.page < next_page)]
        return _parse_model(replace(doc, blocks=doc.blocks[a:b], words=words))

    return parse_each(VENDOR, PARSER_VERSION, starts[1:], len(doc.blocks), model, what="job models")


def _same_model(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def _has_own_sections(doc: Document, start: int, title: str, later: list[tuple[int, str]]) -> bool:
    """Whether the model whose header is at `start` lists its own positions or competencies
    before a header names another model."""
    end = next((at for at, t in later if not _same_model(t, title)), len(doc.blocks))
    return any(RE_POSITIONS.match(b.text) or RE_COMPETENCIES.match(b.text) for b in doc.blocks[start:end])


def _header_titles(doc: Document) -> list[tuple[int, str]]:
    """Where each library header is, with the job model title it gives: on its line, or as the
    heading right below it (a header without either, a print's running header, is left out)."""
    sections = (RE_POSITIONS, RE_COMPETENCIES, RE_BEHAVIORS, RE_MODEL)
    titles = []
    for i, b in enumerate(doc.blocks):
        if m := RE_HEADER.match(b.text):
            below = doc.blocks[i + 1] if i + 1 < len(doc.blocks) else None
            title = clean_name(m.group(1)) or (clean_name(below.text) if below is not None and below.kind == "heading" and not any(p.match(below.text) for p in sections) else "")
            if title:
                titles.append((i, title))
    return titles


def _parse_model(doc: Document) -> ParseResult:
    result = ParseResult(VENDOR, PARSER_VERSION)
    header = next((RE_HEADER.match(b.text).group(1).strip() for b in doc.blocks if RE_HEADER.match(b.text)), "")
    blocks = [b for b in doc.content if not RE_HEADER.match(b.text)]
    lines = [b.text for b in blocks]
    complete = any(RE_MODEL.match(t) for t in lines)
    if not complete:
        if header and not lines:  # the page stops in its first line: the title may be cut short
            result.warn("truncated_text", f"the page stops mid-text; its last line {'CALIPER COMPETENCY LIBRARY ' + header!r} is cut off and its title was not loaded")
            header = ""
        lines = drop_cut_last_line(lines, result)
    title = clean_name(header) if header else None
    if not title and lines and not any(p.match(lines[0]) for p in (RE_POSITIONS, RE_COMPETENCIES, RE_BEHAVIORS)):
        title, lines = clean_name(lines[0]), lines[1:]
    if not title:
        result.warn("missing_section", "no job model title after 'CALIPER COMPETENCY LIBRARY'")
        return result
    result.title, result.title_source = title, "heading"

    sections: dict[str, list[str]] = {"summary": [], "positions": [], "competencies": [], "behaviors": [], "unknown": []}
    section = "summary"
    block_of = {id(b.text): b for b in blocks}  # lines hold the blocks' own str objects
    for t in lines:
        if section == "summary" and clean_name(t).lower() == title.lower():
            continue  # the title repeated as the page heading
        if RE_POSITIONS.match(t):
            section = "positions"
        elif RE_COMPETENCIES.match(t):
            section = "competencies"
        elif RE_BEHAVIORS.match(t):
            section = "behaviors"
        elif RE_MODEL.match(t):
            break
        elif block_of[id(t)].kind == "heading" and section != "summary":
            result.warn("unknown_section", f"unknown section {t[:80]!r}: its content was not loaded")
            section = "unknown"
        elif section == "unknown":
            continue
        elif section == "behaviors" and block_of[id(t)].kind != "list_item" and len(t.split()) < 3:
            # Behaviors are bullets; a PDF may draw its bullets as graphics, so an unbulleted
            # sentence is still taken, but a short line is not a behavior.
            result.warn("unrecognized_text", f"text among the representative behaviors that is not a behavior: {t[:80]!r}")
        else:
            sections[section].append(t)

    rid = role_id(VENDOR, title)
    result.add("roles", role_id=rid, vendor=VENDOR, title=title, job_code=None, job_level=None, summary=" ".join(sections["summary"]) or None,
               responsibilities=None, education=None, reports_to=None, declared_skills_total=None)
    # Positions are one comma-separated list, possibly broken across lines mid-title; a list
    # without any comma has one position per line.
    joined = " ".join(sections["positions"]) if any("," in p for p in sections["positions"]) else ",".join(sections["positions"])
    positions = [clean_name(p) for p in joined.split(",") if clean_name(p)]
    for seq, pos in enumerate(positions, start=1):
        result.add("related_titles", role_id=rid, competency_id=None, title=pos, relation="example_position", seq=seq)

    listed = _competency_list(sections["competencies"], result)
    chart = _chart_pdf(doc, result) if doc.words else _chart_text(doc, listed, result)
    by_letters = {letters(name): name for name, _ in listed}
    family_of: dict[str, str] = {}
    chart_only: list[tuple[str, str]] = []
    for raw, family in chart:
        name = by_letters.get(letters(raw))
        if name is None:
            chart_only.append((clean_name(raw), family))
            continue
        family_of[name] = family
        if raw != name:
            result.add("competency_aliases", competency_id=competency_id(VENDOR, name), raw_name=raw)
    for rank, (name, definition) in enumerate(listed, start=1):
        cid = competency_id(VENDOR, name)
        result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=definition, category=None, family=family_of.get(name), notes=None)
        result.add("role_competencies", role_id=rid, competency_id=cid, competency_name=name, category=None, rank=rank, required_level=None,
                   required_level_normalized=None, displayed_level=None, visibility="shown", proficiency_phrase=None)
    for rank, (name, family) in enumerate(chart_only, start=len(listed) + 1):
        cid = competency_id(VENDOR, name)
        result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=None, category=None, family=family, notes=None)
        result.add("role_competencies", role_id=rid, competency_id=cid, competency_name=name, category=None, rank=rank, required_level=None,
                   required_level_normalized=None, displayed_level=None, visibility="chart_only", proficiency_phrase=None)
    if doc.words and chart:
        missing = [name for name, _ in listed if name not in family_of]
        if missing:
            result.warn("not_in_chart", f"listed competencies not found in the JOB MODEL chart (family unknown): {', '.join(missing)}")
    # Bulleted behaviors end at the last bullet: a text extract's page footer after them is no behavior.
    behaviors, after = until_last_list_item([block_of[id(t)] for t in sections["behaviors"]])
    if after:
        warn_after_list(result, "Representative behaviors", "behaviors", after, likely="the page's footer")
    sections["behaviors"] = [b.text for b in behaviors]
    for seq, text in enumerate(sections["behaviors"], start=1):
        result.add("role_behaviors", role_id=rid, text=text, seq=seq)

    found = {"Example positions": positions, "COMPETENCIES": listed, "Representative behaviors": sections["behaviors"]}
    report_missing(result, complete, [k for k, v in found.items() if not v], ["JOB MODEL chart"])
    return result


def _competency_list(lines: list[str], result: ParseResult) -> list[tuple[str, str]]:
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


def _chart_text(doc: Document, listed: list[tuple[str, str]], result: ParseResult) -> list[tuple[str, str | None]]:
    """A text extract keeps the chart only as fragments: report what can be recognized."""
    lines = doc.lines
    start = next((i for i, t in enumerate(lines) if RE_MODEL.match(t)), None)
    if start is None:
        return []
    fragments = [t for t in lines[start + 1:] if letters(t)]
    joined = [letters(t) for t in fragments]
    seen = [name for name, _ in listed if any(letters(name) in j for j in joined)]
    result.warn(
        "chart_unreadable",
        f"the JOB MODEL chart of a text extract has lost its column layout, so no competency family was assigned "
        f"and competencies shown only in the chart could not be read; {len(seen)} of {len(listed)} listed competencies are "
        f"recognizable in its fragments ({', '.join(seen) or 'none'})",
    )
    return []


def _cells(words: list[Word], column=None) -> list[list[Word]]:
    """Group chart words into cells: words on one line close together, and lines stacked
    tightly with overlapping extents (a label wrapped inside its box). With `column` (word ->
    family column), words of two columns are never joined: long labels in neighbouring
    boxes can come closer than a word gap."""
    parent = list(range(len(words)))
    columns = [column(w) for w in words] if column else None

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(words):
        for j in range(i + 1, len(words)):
            b = words[j]
            size = max(a.size, b.size)
            same_line = abs(a.top - b.top) < 0.5 * size and -1 < max(b.x0 - a.x1, a.x0 - b.x1) < 1.0 * size
            upper, lower = (a, b) if a.top <= b.top else (b, a)
            stacked = 0 <= lower.top - upper.bottom < 0.8 * size and min(a.x1, b.x1) - max(a.x0, b.x0) > -0.5 * size
            if (same_line or stacked) and (columns is None or columns[i] == columns[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Word]] = {}
    for i, w in enumerate(words):
        groups.setdefault(find(i), []).append(w)
    cells = [sorted(g, key=lambda w: (round(w.top), w.x0)) for g in groups.values()]
    return sorted(cells, key=lambda c: (min(w.top for w in c), min(w.x0 for w in c)))


def _cell_text(cell: list[Word]) -> str:
    return " ".join(w.text for w in cell)


def _chart_pdf(doc: Document, result: ParseResult) -> list[tuple[str, str | None]]:
    words = doc.words
    title = next((b for b in doc.blocks if RE_MODEL.match(b.text) and b.bbox), None)
    if title is None:
        return []
    page, below = title.page, title.bbox[3]
    height = doc.page_sizes.get(page, (0, 10_000))[1]
    chart_words = [w for w in words if w.page == page and w.top > below and w.bottom < 0.95 * height]
    cells = _cells(chart_words)
    headers = [(FAMILIES[letters(_cell_text(c))], c) for c in cells if letters(_cell_text(c)) in FAMILIES]
    if len(headers) < 2:
        result.warn("chart_unreadable", f"the JOB MODEL chart on page {page} has {len(headers)} recognizable family headers; families were not assigned")
        return []
    centers = sorted(((min(w.x0 for w in c) + max(w.x1 for w in c)) / 2, fam) for fam, c in headers)
    header_bottom = max(w.bottom for _, c in headers for w in c)

    def nearest(x: float) -> str:
        return min(centers, key=lambda cf: abs(cf[0] - x))[1]

    # The body's words grouped again, now that the columns are known.
    body = [w for w in chart_words if w.top >= header_bottom]
    chart: list[tuple[str, str | None]] = []
    for c in _cells(body, column=lambda w: nearest((w.x0 + w.x1) / 2)):
        if not re.search(r"[A-Za-z]{2}", _cell_text(c)):
            continue
        chart.append((_cell_text(c), nearest((min(w.x0 for w in c) + max(w.x1 for w in c)) / 2)))
    return chart
