"""`compcat report`: one screen on what the catalog holds and how complete it is; also as JSON
(the same figures, for other tools) or Markdown."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field


@dataclass
class Section:
    key: str  # its name in the JSON form
    title: str
    columns: list[str]
    rows: list[tuple]
    empty: str = "none"
    percent: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def _headline(con) -> dict | None:
    load = con.execute("SELECT load_id, strftime(started_at, '%Y-%m-%d %H:%M UTC'), documents, ok, partial, failed FROM loads").fetchone()
    if load is None:
        return None
    return dict(zip(("load_id", "started_at", "documents", "ok", "partial", "failed"), load))


def sections(con, top_warnings: int = 8) -> list[Section]:
    vendors = con.execute("""
        SELECT coalesce(d.vendor, '(unrecognized)'), count(*) FILTER (WHERE d.status = 'ok'), count(*) FILTER (WHERE d.status = 'partial'),
               count(*) FILTER (WHERE d.status = 'failed'),
               (SELECT count(*) FROM roles_current r WHERE r.vendor = d.vendor),
               (SELECT count(*) FROM competencies c WHERE c.vendor = d.vendor)
        FROM documents d GROUP BY ALL ORDER BY 1""").fetchall()
    coverage = con.execute("SELECT vendor, roles, declared_skills, extracted_skills, coverage_share FROM vendor_coverage WHERE declared_skills IS NOT NULL").fetchall()
    partial = con.execute("SELECT count(*) FROM role_summary WHERE completeness = 'partial'").fetchone()[0]
    notes = [f"{partial} role(s) come from pages saved part-way: their competency lists are incomplete (role_summary.completeness)."] if partial else []
    warnings = con.execute(f"""
        SELECT count(*) AS n, code, any_value(message ORDER BY document_id, seq) FROM parse_warnings
        GROUP BY code ORDER BY n DESC, code LIMIT {int(top_warnings)}""").fetchall()
    from .warning_codes import CODES

    effect = {c.code: c.effect for c in CODES}
    failed = con.execute("SELECT path, error FROM documents WHERE status = 'failed' ORDER BY path").fetchall()
    return [
        Section("vendors", "Documents, roles and competencies by vendor", ["vendor", "ok", "partial", "failed", "roles", "competencies"], vendors),
        Section("coverage", "Coverage: skills extracted with a name / skills the role pages declare", ["vendor", "roles", "declared", "extracted", "coverage"],
                coverage, empty="no vendor declares its skill counts", percent=("coverage",), notes=notes),
        Section("warnings", "Top warnings (what each code does: docs/schema.md, Warning codes)", ["count", "code", "effect", "example"],
                [(n, code, effect.get(code, "?"), example) for n, code, example in warnings]),
        Section("failed", "Failed documents", ["path", "error"], failed),
    ]


def report(con, fmt: str = "table", width: int = 100, top_warnings: int = 8) -> str:
    """The report in `fmt`: table (for a terminal `width` wide), markdown or json."""
    headline, parts = _headline(con), sections(con, top_warnings)
    if fmt == "json":
        data: dict = {"load": headline}
        for s in parts:
            data[s.key] = [dict(zip(s.columns, r)) for r in s.rows]
        data["partial_roles"] = con.execute("SELECT count(*) FROM role_summary WHERE completeness = 'partial'").fetchone()[0]
        return json.dumps(data, ensure_ascii=False, indent=1, default=str)
    from .output import render

    out = []
    if headline:
        documents = f"{headline['documents']} document{'' if headline['documents'] == 1 else 's'}"
        out.append("Catalog load {load_id} ({started_at}): {documents}, {ok} ok, {partial} partial, {failed} failed".format(**{**headline, "documents": documents}))
    for s in parts:
        if s.key == "failed" and not s.rows:
            continue
        out += ["", f"## {s.title}" if fmt == "markdown" else s.title, *([""] if fmt == "markdown" else [])]
        if s.rows:
            table = render(s.columns, s.rows, fmt, width=width, max_rows=0, percent=s.percent)
            out += table.splitlines()[:-1] if fmt == "table" else table.splitlines()  # (no row count: the lists are short)
        else:
            out.append(f"({s.empty})")
        if fmt == "markdown":
            out += [""] * bool(s.notes) + s.notes
        else:
            out += [line for note in s.notes for line in textwrap.wrap(note, width)]
    return "\n".join(out)
