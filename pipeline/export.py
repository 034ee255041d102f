"""Export the catalog: CSV or Parquet (one file per table), or 1EdTech CASE 1.1 JSON.

CASE: one CFPackage per vendor framework (<vendor>.json): a CFDocument, a CFItem per
competency, CFAssociations for the crosswalk (exactMatchOf for exact matches, isRelatedTo
for the others, the SKOS relation kept in the association's notes), and a CFRubric with a
criterion per competency whose levels carry the vendor's scale and the behavior
statements. Identifiers are UUIDv5 of the catalog ids, so an export is reproducible.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from .schema import TABLES

FORMATS = ("csv", "parquet", "case")
_NS = uuid.UUID("5b7d2f0e-3c1a-4a8e-9a57-0c0a7e5c0a11")  # this project's UUID namespace
BASE_URI = "urn:compcat:"


def _id(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


def _link(kind: str, key: str, title: str) -> dict:
    ident = _id(kind, key)
    return {"title": title, "identifier": ident, "uri": f"{BASE_URI}{kind}:{ident}"}


def export(con, fmt: str, out_dir: Path) -> list[Path]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "case":
        return export_case(con, out_dir)
    written = []
    for t in TABLES:
        path = out_dir / f"{t.name}.{fmt}"
        options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT PARQUET, COMPRESSION zstd)"
        con.execute(f"COPY (SELECT * FROM {t.name}) TO '{_sql_path(path)}' {options}")
        written.append(path)
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _rows(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def export_case(con, out_dir: Path) -> list[Path]:
    """One CASE package per vendor framework: its competencies as CFItems, its levels and
    behaviors as a CFRubric, the crosswalk links that touch it as CFAssociations."""
    catalog = _case_catalog(con)
    written = []
    for vendor in sorted({c["vendor"] for c in catalog["competencies"]}):
        path = out_dir / f"{vendor}.json"
        path.write_text(json.dumps(_case_package(catalog, vendor), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _case_catalog(con) -> dict:
    """What the CASE packages are made of, read once."""
    stamp = con.execute("SELECT strftime(max(started_at), '%Y-%m-%dT%H:%M:%S+00:00') FROM loads").fetchone()[0] or "1970-01-01T00:00:00+00:00"
    competencies = _rows(con, "SELECT * FROM competencies ORDER BY competency_id")
    scales: dict[str, list[dict]] = {}
    for r in _rows(con, "SELECT * FROM scale_levels ORDER BY vendor, level"):
        scales.setdefault(r["vendor"], []).append(r)
    behaviors: dict[tuple, list[str]] = {}
    for r in _rows(con, "SELECT competency_id, level, text FROM behaviors ORDER BY competency_id, level, document_id, seq"):
        behaviors.setdefault((r["competency_id"], r["level"]), []).append(r["text"])
    matches = _rows(con, "SELECT * FROM competency_matches ORDER BY left_competency_id, right_competency_id")
    return dict(stamp=stamp, competencies=competencies, names={c["competency_id"]: c["name"] for c in competencies}, scales=scales,
                behaviors=behaviors, matches=matches)


def _case_package(catalog: dict, vendor: str) -> dict:
    stamp = catalog["stamp"]
    doc = _link("CFDocument", vendor, f"{vendor} competency framework")
    items: list[dict] = []
    criteria: list[dict] = []
    for c in (c for c in catalog["competencies"] if c["vendor"] == vendor):
        # (a competency its page shows without a name is titled by its id: no name is made up for it)
        item = _link("CFItem", c["competency_id"], c["name"] or c["competency_id"])
        items.append({
            "identifier": item["identifier"], "uri": item["uri"], "fullStatement": c["definition"] or item["title"],
            **({"abbreviatedStatement": c["name"]} if c["name"] else {}), "humanCodingScheme": c["competency_id"], "CFItemType": "Competency",
            "conceptKeywords": [k for k in (c["category"], c["family"]) if k], "lastChangeDateTime": stamp,
            "CFDocumentURI": doc,
        })
        criteria.append(_case_criterion(catalog, vendor, c, item, len(criteria) + 1))
    rubric = _link("CFRubric", vendor, f"{vendor} proficiency levels and behaviors")
    return {
        "CFDocument": {
            "identifier": doc["identifier"], "uri": doc["uri"], "creator": vendor, "title": doc["title"],
            "lastChangeDateTime": stamp, "CFPackageURI": _link("CFPackage", vendor, doc["title"]),
            "description": f"Competencies of {vendor} as loaded by the competency catalog pipeline",
        },
        "CFItems": items,
        "CFAssociations": _case_associations(catalog, vendor, doc),
        "CFRubrics": [{"identifier": rubric["identifier"], "uri": rubric["uri"], "title": rubric["title"],
                       "lastChangeDateTime": stamp, "CFRubricCriteria": criteria}],
    }


def _case_criterion(catalog: dict, vendor: str, c: dict, item: dict, position: int) -> dict:
    """A competency's rubric criterion: a level per step of its vendor's scale, with its behaviors."""
    stamp, behaviors = catalog["stamp"], catalog["behaviors"]
    levels = []
    for level_position, lv in enumerate(catalog["scales"].get(vendor, []), start=1):
        texts = behaviors.get((c["competency_id"], lv["level"]), [])
        levels.append({
            "identifier": _id("CFRubricCriterionLevel", f"{c['competency_id']}:{lv['level']}"),
            "uri": f"{BASE_URI}CFRubricCriterionLevel:{_id('CFRubricCriterionLevel', c['competency_id'] + ':' + str(lv['level']))}",
            "quality": lv["label"], "score": float(lv["level"]), "position": level_position,
            "description": "\n".join(texts), "lastChangeDateTime": stamp,
        })
    unleveled = behaviors.get((c["competency_id"], None), [])
    criterion_id = _id("CFRubricCriterion", c["competency_id"])
    return {
        "identifier": criterion_id, "uri": f"{BASE_URI}CFRubricCriterion:{criterion_id}", "category": c["category"] or vendor,
        "description": "\n".join(unleveled) or item["title"], "CFItemURI": item, "position": position,
        "lastChangeDateTime": stamp, "CFRubricCriterionLevels": levels,
    }


def _case_associations(catalog: dict, vendor: str, doc: dict) -> list[dict]:
    """The crosswalk links with one end in `vendor`'s framework."""
    names, out = catalog["names"], []
    for m in catalog["matches"]:
        left, right = m["left_competency_id"], m["right_competency_id"]
        if left.split(":")[0] != vendor and right.split(":")[0] != vendor:
            continue
        assoc = _id("CFAssociation", f"{vendor}:{left}:{right}")
        out.append({
            "identifier": assoc, "uri": f"{BASE_URI}CFAssociation:{assoc}",
            "associationType": "exactMatchOf" if m["relation"] == "exact" else "isRelatedTo",
            "originNodeURI": _link("CFItem", left, names[left]), "destinationNodeURI": _link("CFItem", right, names[right]),
            "notes": f"skos:{m['relation']}Match score={m['score']:.4f} method={m['method']}",
            "lastChangeDateTime": catalog["stamp"], "CFDocumentURI": doc,
        })
    return out

