"""The JOB MODEL chart: which family each competency is shown under.

In a PDF the chart is read from word positions: words are grouped into chart cells, the
cells that spell a family name become columns, and every other cell is a competency in the
column it sits under. A text extract loses the chart's layout: there no family is assigned
and the loss is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...document import Block, Document, Word
from ..common import ParseResult
from .sections import RE_MODEL

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


def letters(text: str) -> str:
    """The text's letters, lower-case: how a chart label and a listed name are compared."""
    return re.sub(r"[^a-z]", "", text.lower())


def chart_competencies(doc: Document, listed: list[tuple[str, str]], result: ParseResult) -> list[tuple[str, str]]:
    """The chart's competency labels with the family each is shown under, as (label, family);
    none from a text extract, whose lost chart is reported instead."""
    if doc.words:
        return _chart_from_words(doc, result)
    _report_text_chart(doc, listed, result)
    return []


def _report_text_chart(doc: Document, listed: list[tuple[str, str]], result: ParseResult) -> None:
    """A text extract keeps the chart only as fragments: report what can be recognized."""
    lines = doc.lines
    start = next((i for i, t in enumerate(lines) if RE_MODEL.match(t)), None)
    if start is None:
        return
    fragments = [t for t in lines[start + 1:] if letters(t)]
    joined = [letters(t) for t in fragments]
    seen = [name for name, _ in listed if any(letters(name) in j for j in joined)]
    result.warn(
        "chart_unreadable",
        f"the JOB MODEL chart of a text extract has lost its column layout, so no competency family was assigned "
        f"and competencies shown only in the chart could not be read; {len(seen)} of {len(listed)} listed competencies are "
        f"recognizable in its fragments ({', '.join(seen) or 'none'})",
    )


def _chart_from_words(doc: Document, result: ParseResult) -> list[tuple[str, str]]:
    """The cells below the JOB MODEL heading that spell a family's name head the columns; the
    words from the lowest header down, grouped again, are competencies (cells with two letters in a row),
    each in the column of the header centred nearest to it."""
    heading = next((b for b in doc.blocks if RE_MODEL.match(b.text) and b.bbox), None)
    if heading is None:
        return []
    chart_words = _words_below(doc, heading)
    headers = _family_headers(_cells(chart_words))
    if len(headers) < 2:
        result.warn("chart_unreadable", f"the JOB MODEL chart on page {heading.page} has {len(headers)} recognizable family headers; families were not assigned")
        return []
    family_at = _nearest_family(headers)
    header_bottom = max(w.bottom for _, c in headers for w in c)
    # The body's words grouped again, now that the columns are known.
    body = [w for w in chart_words if w.top >= header_bottom]
    cells = _cells(body, column=lambda w: family_at(_center([w])))
    return [(_cell_text(c), family_at(_center(c))) for c in cells if re.search(r"[A-Za-z]{2}", _cell_text(c))]


def _words_below(doc: Document, heading: Block) -> list[Word]:
    """The words of the heading's page below it, above the page's footer (its last 5%)."""
    page, bbox = heading.page, heading.bbox
    if page is None or bbox is None:  # no word is on no page
        return []
    height = doc.page_sizes.get(page, (0, 10_000))[1]
    return [w for w in doc.words if w.page == page and w.top > bbox[3] and w.bottom < 0.95 * height]


def _family_headers(cells: list[list[Word]]) -> list[tuple[str, list[Word]]]:
    """The cells that spell a family's name, with that family."""
    return [(FAMILIES[letters(_cell_text(c))], c) for c in cells if letters(_cell_text(c)) in FAMILIES]


def _nearest_family(headers: list[tuple[str, list[Word]]]) -> Callable[[float], str]:
    """x -> the family whose header is centred nearest to it (the column it sits under)."""
    centers = sorted((_center(c), family) for family, c in headers)

    def nearest(x: float) -> str:
        return min(centers, key=lambda cf: abs(cf[0] - x))[1]

    return nearest


def _center(words: list[Word]) -> float:
    return (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2


def _cell_text(cell: list[Word]) -> str:
    return " ".join(w.text for w in cell)


def _cells(words: list[Word], column: Callable[[Word], str] | None = None) -> list[list[Word]]:
    """Group chart words into cells: words joined by _in_one_cell, transitively. With `column`
    (word -> family column), words of two columns are never joined: long labels in
    neighbouring boxes can come closer than a word gap."""
    parent = list(range(len(words)))
    columns = [column(w) for w in words] if column else None

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(words):
        for j in range(i + 1, len(words)):
            if _in_one_cell(a, words[j]) and (columns is None or columns[i] == columns[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Word]] = {}
    for i, w in enumerate(words):
        groups.setdefault(find(i), []).append(w)
    cells = [sorted(g, key=lambda w: (round(w.top), w.x0)) for g in groups.values()]
    return sorted(cells, key=lambda c: (min(w.top for w in c), min(w.x0 for w in c)))


def _in_one_cell(a: Word, b: Word) -> bool:
    """Words on one line close together, or lines stacked tightly with overlapping extents
    (a label wrapped inside its box)."""
    size = max(a.size, b.size)
    same_line = abs(a.top - b.top) < 0.5 * size and -1 < max(b.x0 - a.x1, a.x0 - b.x1) < 1.0 * size
    upper, lower = (a, b) if a.top <= b.top else (b, a)
    stacked = 0 <= lower.top - upper.bottom < 0.8 * size and min(a.x1, b.x1) - max(a.x0, b.x0) > -0.5 * size
    return same_line or stacked
