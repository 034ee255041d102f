"""Caliper Competency Library job models (PDF, or a text extract of one) into rows.

A job model is read in steps: its title and lines (sections.py), its sections, the
example positions, the competency list, the JOB MODEL chart's families (chart.py), the
representative behaviors, and last what is missing. A file holding several models
(boundaries.py) is read one model at a time.
"""

from __future__ import annotations

from dataclasses import replace

from ...document import Document
from ...ids import competency_id, role_id
from ..common import ParseResult, clean_name, parse_each, report_missing
from .boundaries import model_starts
from .chart import chart_competencies, letters
from .meta import PARSER_VERSION, VENDOR
from .sections import competency_list, example_positions, read_model_text, representative_behaviors, split_sections


def parse(doc: Document) -> ParseResult:
    """The document's job model, or each of its job models, into rows."""
    starts = model_starts(doc)
    if len(starts) < 2:
        return _parse_model(doc)

    def parse_model_at(a: int, b: int, first: bool, bounded: bool) -> ParseResult:
        return _parse_model(_model_document(doc, a, b, first, bounded))

    return parse_each(VENDOR, PARSER_VERSION, starts[1:], len(doc.blocks), parse_model_at, what="job models")


def _model_document(doc: Document, a: int, b: int, first: bool, bounded: bool) -> Document:
    """One model of a file of several: blocks a..b, and the words of its pages (its chart)."""
    first_page = None if first else doc.blocks[a].page
    next_page = doc.blocks[b].page if bounded else None
    words = [w for w in doc.words if (first_page is None or w.page >= first_page) and (next_page is None or w.page < next_page)]
    return replace(doc, blocks=doc.blocks[a:b], words=words)


def _parse_model(doc: Document) -> ParseResult:
    # The steps run in page order: their warnings are reported in that order.
    result = ParseResult(VENDOR, PARSER_VERSION)
    text = read_model_text(doc, result)
    if text is None:
        return result
    sections = split_sections(text, result)
    rid = None
    if text.title:  # (without one, the model's competencies are loaded and no role: its rows need a title)
        result.title, result.title_source = text.title, "heading"
        rid = role_id(VENDOR, text.title)
        result.add("roles", role_id=rid, vendor=VENDOR, title=text.title, job_code=None, job_level=None, summary=" ".join(sections["summary"]) or None,
                   responsibilities=None, education=None, reports_to=None, declared_skills_total=None)
    positions = example_positions(sections["positions"])
    for seq, position in enumerate(positions if rid else (), start=1):
        result.add("related_titles", role_id=rid, competency_id=None, title=position, relation="example_position", seq=seq)

    listed = competency_list(sections["competencies"], result)
    chart = chart_competencies(doc, listed, result)
    family_of, chart_only = _match_chart(listed, chart, result)
    for rank, (name, definition) in enumerate(listed, start=1):
        _add_competency(result, rid, rank, name, definition, family_of.get(name), "shown")
    for rank, (name, family) in enumerate(chart_only, start=len(listed) + 1):
        _add_competency(result, rid, rank, name, None, family, "chart_only")
    if doc.words and chart:
        _warn_not_in_chart(listed, family_of, result)

    behaviors = representative_behaviors(text, sections["behaviors"], result)
    for seq, behavior in enumerate(behaviors if rid else (), start=1):
        result.add("role_behaviors", role_id=rid, text=behavior, seq=seq)

    found = {"Example positions": positions, "COMPETENCIES": listed, "Representative behaviors": behaviors}
    report_missing(result, text.complete, [k for k, v in found.items() if not v], ["JOB MODEL chart"])
    return result


def _match_chart(listed: list[tuple[str, str]], chart: list[tuple[str, str]], result: ParseResult) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each listed competency's family in the chart, and the (name, family) of the competencies
    only the chart shows. A chart label matches a listed name by its letters; one spelled
    otherwise (case, hyphen, a wrapped line) is recorded as an alias."""
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
    return family_of, chart_only


def _add_competency(result: ParseResult, rid: str | None, rank: int, name: str, definition: str | None, family: str | None, visibility: str) -> None:
    """The competency and its place in the role (when the role is known): "shown" in the list, or "chart_only"."""
    cid = competency_id(VENDOR, name)
    result.add("competencies", competency_id=cid, vendor=VENDOR, name=name, definition=definition, category=None, family=family, notes=None)
    if rid is None:
        return
    result.add("role_competencies", role_id=rid, competency_id=cid, competency_name=name, category=None, rank=rank, required_level=None,
               required_level_normalized=None, displayed_level=None, visibility=visibility, proficiency_phrase=None)


def _warn_not_in_chart(listed: list[tuple[str, str]], family_of: dict[str, str], result: ParseResult) -> None:
    missing = [name for name, _ in listed if name not in family_of]
    if missing:
        result.warn("not_in_chart", f"listed competencies not found in the JOB MODEL chart (family unknown): {', '.join(missing)}")
