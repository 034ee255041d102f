"""`compcat report`: one screen on what the catalog holds and how complete it is."""

from __future__ import annotations


def _table(headers: list[str], rows: list[tuple]) -> list[str]:
    cells = [[("" if v is None else f"{v:.0%}" if isinstance(v, float) else str(v)) for v in r] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    return [line, "  ".join("-" * w for w in widths)] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]


def report(con, top_warnings: int = 8) -> str:
    out = []
    load = con.execute("SELECT load_id, strftime(started_at, '%Y-%m-%d %H:%M UTC'), documents, ok, partial, failed FROM loads").fetchone()
    if load:
        out.append(f"Catalog load {load[0]} ({load[1]}): {load[2]} documents, {load[3]} ok, {load[4]} partial, {load[5]} failed")
    out.append("")
    out.append("Documents, roles and competencies by vendor")
    rows = con.execute("""
        SELECT coalesce(d.vendor, '(unrecognized)'), count(*) FILTER (WHERE d.status = 'ok'), count(*) FILTER (WHERE d.status = 'partial'),
               count(*) FILTER (WHERE d.status = 'failed'),
               (SELECT count(*) FROM roles_current r WHERE r.vendor = d.vendor),
               (SELECT count(*) FROM competencies c WHERE c.vendor = d.vendor)
        FROM documents d GROUP BY ALL ORDER BY 1""").fetchall()
    out += _table(["vendor", "ok", "partial", "failed", "roles", "competencies"], rows)
    out.append("")
    out.append("Coverage: skills extracted with a name / skills the role pages declare")
    rows = con.execute("SELECT vendor, roles, declared_skills, extracted_skills, coverage_share FROM vendor_coverage WHERE declared_skills IS NOT NULL").fetchall()
    out += _table(["vendor", "roles", "declared", "extracted", "coverage"], rows) if rows else ["(no vendor declares its skill counts)"]
    partial = con.execute("SELECT count(*) FROM role_summary WHERE completeness = 'partial'").fetchone()[0]
    if partial:
        out.append(f"{partial} role(s) come from pages saved part-way: their competency lists are incomplete (role_summary.completeness).")
    out.append("")
    out.append("Top warnings (what each code does: docs/schema.md, Warning codes)")
    rows = con.execute(f"""
        SELECT code, count(*) AS n, any_value(message ORDER BY document_id, seq) FROM parse_warnings
        GROUP BY code ORDER BY n DESC, code LIMIT {int(top_warnings)}""").fetchall()
    if rows:
        from .warning_codes import CODES

        effect = {c.code: c.effect for c in CODES}
        out += [f"  {n:>4}  {code} ({effect.get(code, '?')}): {example[:100]}" for code, n, example in rows]
    else:
        out.append("  none")
    failed = con.execute("SELECT path, error FROM documents WHERE status = 'failed' ORDER BY path").fetchall()
    if failed:
        out.append("")
        out.append("Failed documents")
        out += [f"  {p}: {e}" for p, e in failed]
    return "\n".join(out)
