"""Assemble per-document rows into catalog tables (the transform stage's last step).

A competency is one row per (vendor, name) however many documents mention it; behaviors
and levels seen on several pages are merged without duplicates. The first document by
path wins where documents disagree, and the disagreement is reported as a warning.
"""

from __future__ import annotations

from .schema import TABLES, table


# A competency's category or family can differ from one role page to the next (it is kept
# per role in role_competencies.category); two definitions of one name cannot both be right.
REPORTED_CONFLICTS = ("definition",)


def _sort_value(v):
    # NULLs sort first and never compare with values of another type.
    return (v is not None, v if v is not None else 0)


def sort_rows(name: str, rows: list[dict]) -> list[dict]:
    keys = table(name).sort_key
    return sorted(rows, key=lambda r: tuple(_sort_value(r.get(k)) for k in keys))


def merge_competencies(docs: list[tuple[str, dict[str, list[dict]]]], warn) -> dict[str, list[dict]]:
    """docs: (document_id, rows by table) in path order. Returns the merged tables."""
    out: dict[str, list[dict]] = {t.name: [] for t in TABLES}
    competencies: dict[str, dict] = {}
    levels: dict[tuple, dict] = {}
    behaviors: set[tuple] = set()
    for document_id, rows in docs:
        for row in rows.get("competencies", []):
            cid = row["competency_id"]
            have = competencies.get(cid)
            if have is None:
                competencies[cid] = dict(row)
                continue
            for col in ("definition", "category", "family", "notes"):
                new = row.get(col)
                if have.get(col) is None:
                    have[col] = new
                elif new is not None and new != have[col] and col in REPORTED_CONFLICTS:
                    warn(document_id, "conflicting_value", f"{have['name']}: this document's {col} {new!r} differs from {have[col]!r} given by an earlier document; the earlier one is kept")
        for row in rows.get("competency_levels", []):
            key = (row["competency_id"], row["level"])
            have = levels.get(key)
            if have is None:
                levels[key] = dict(row)
            else:
                for col in ("label", "behaviors_hidden"):
                    if have.get(col) is None:
                        have[col] = row.get(col)
        for row in rows.get("behaviors", []):
            key = (row["competency_id"], row["level"], row["text"])
            if key not in behaviors:
                behaviors.add(key)
                out["behaviors"].append(row)
        for name, table_rows in rows.items():
            if name not in ("competencies", "competency_levels", "behaviors"):
                out[name].extend(table_rows)
    out["competencies"] = list(competencies.values())
    out["competency_levels"] = list(levels.values())
    return out
