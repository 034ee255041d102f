"""The catalog as 1EdTech CASE 1.1 packages (CFPackage JSON), one per vendor framework.

A package holds, valid against the official CASE 1.1 CFPackage JSON schema:
- a CFDocument for the framework (titled and created by the vendor's name as it writes it);
- a CFItem per competency, and one per family or category grouping competencies, joined by
  `isChildOf` associations into a tree: framework -> family / category -> competency (a
  competency with neither is a child of the framework);
- the crosswalk links with one end in the framework, each under the same identifier in both
  frameworks' packages (importing both gives one link), as CASE association types with their
  documented direction: exactMatchOf (exact), isPartOf (broad / narrow: the origin, the
  narrower competency, is included in the destination, the broader one), isRelatedTo (close,
  related: the association's extensions say which);
- each competency's ESCO anchors as associations to the ESCO concept's URI, the same way;
- a CFRubric: a criterion per competency, a level per level its documents describe, with the
  level's label and its behavior statements (one per line; behaviors without a level are the
  criterion's description).
Identifiers are UUIDv5 of catalog keys, so the same catalog exports the same identifiers, and a
competency keeps its identifier from one export to the next.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from .vendors import PARSERS

_NAMESPACE = uuid.UUID("5b7d2f0e-3c1a-4a8e-9a57-0c0a7e5c0a11")  # this project's UUID namespace

# Crosswalk relation (seen from the left competency; from a competency to its ESCO concept) ->
# CASE association type, and whether the other end is the origin. CASE's isPartOf, like Dublin
# Core's: the origin is physically or logically included in the destination (the narrower in
# the broader). CASE has no close match: isRelatedTo, with the relation in the extensions.
ASSOCIATION_TYPES = {
    "exact": ("exactMatchOf", False),
    "close": ("isRelatedTo", False),
    "related": ("isRelatedTo", False),
    "broad": ("isPartOf", False),  # the other end is broader: this one is part of it
    "narrow": ("isPartOf", True),  # the other end is narrower: it is part of this one
}
# How the notes read an association, from origin to destination.
_PHRASES = {"exact": "is the same as", "close": "is close to", "related": "is related to", "broad": "is narrower than", "narrow": "is narrower than"}
ESCO_TARGET = "ext:ESCO"  # LinkGenURI.targetType of an ESCO concept (not a CASE object)


def identifier(kind: str, key: str) -> str:
    """A CASE identifier: UUIDv5 of the object's kind and catalog key."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _uri(ident: str) -> str:
    return f"urn:uuid:{ident}"


def _node(kind: str, key: str, title: str) -> dict:
    """A link to a CASE object of any package (LinkGenURI)."""
    ident = identifier(kind, key)
    return {"title": title, "identifier": ident, "uri": _uri(ident), "targetType": "CASE"}


def _link(kind: str, key: str, title: str) -> dict:
    """A link to a CASE object (LinkURI: no targetType)."""
    ident = identifier(kind, key)
    return {"title": title, "identifier": ident, "uri": _uri(ident)}


def _esco_node(uri: str, label: str) -> dict:
    return {"title": label, "identifier": uri.rstrip("/").rsplit("/", 1)[-1], "uri": uri, "targetType": ESCO_TARGET}


def vendor_name(vendor: str) -> str:
    """The vendor's name as it writes it ("Salary.com"), for titles."""
    return next((m.SCALE.vendor_name for m in PARSERS if vendor == m.VENDOR), vendor)


def group_of(competency: dict) -> tuple[str, str] | None:
    """The (item type, title) of the item grouping a competency: its family, else its category."""
    if competency["family"]:
        return "Competency Family", competency["family"]
    if competency["category"]:
        return "Skill Category", f"{competency['category'].capitalize()} skills"
    return None


def export_case(con, out_dir: Path) -> list[Path]:
    """Write <vendor>.json, one CASE package per vendor framework."""
    catalog = _read_catalog(con)
    written = []
    for vendor in sorted({c["vendor"] for c in catalog["competencies"]}):
        path = out_dir / f"{vendor}.json"
        path.write_text(json.dumps(case_package(catalog, vendor), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _read_catalog(con) -> dict:
    """What the packages are made of, read once."""
    stamp = con.execute("SELECT strftime(max(started_at), '%Y-%m-%dT%H:%M:%S+00:00') FROM loads").fetchone()[0] or "1970-01-01T00:00:00+00:00"
    competencies = _rows(con, "SELECT * FROM competencies ORDER BY vendor, family NULLS LAST, category NULLS LAST, name, competency_id")
    levels: dict[str, list[dict]] = {}
    for r in _rows(con, "SELECT * FROM competency_levels ORDER BY competency_id, level"):
        levels.setdefault(r["competency_id"], []).append(r)
    behaviors: dict[tuple, list[str]] = {}
    for r in _rows(con, "SELECT competency_id, level, text FROM behaviors ORDER BY competency_id, level, document_id, seq"):
        behaviors.setdefault((r["competency_id"], r["level"]), []).append(r["text"])
    esco = _rows(con, "SELECT a.*, e.preferred_label FROM competency_esco a JOIN esco_concepts e USING (esco_uri) ORDER BY competency_id, rank")
    return dict(stamp=stamp, competencies=competencies, by_id={c["competency_id"]: c for c in competencies}, levels=levels,
                behaviors=behaviors, esco=esco,
                matches=_rows(con, "SELECT * FROM competency_matches ORDER BY left_competency_id, right_competency_id"))


def case_package(catalog: dict, vendor: str) -> dict:
    stamp, name = catalog["stamp"], vendor_name(vendor)
    competencies = [c for c in catalog["competencies"] if c["vendor"] == vendor]
    document = {
        "identifier": identifier("CFDocument", vendor), "uri": _uri(identifier("CFDocument", vendor)), "caseVersion": "1.1",
        "creator": name, "title": f"{name} competencies", "lastChangeDateTime": stamp,
        "description": f"The {name} competencies found in the documents of a competency catalog, with the proficiency levels and "
                       "behaviors the documents give, crosswalk links to other vendors' frameworks and anchors to ESCO skills.",
    }
    items, tree = _items_and_tree(catalog, vendor, competencies)
    rubric_id = identifier("CFRubric", vendor)
    criteria = [_criterion(catalog, c, rubric_id, position) for position, c in enumerate(competencies, start=1)]
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": tree + _crosswalk_associations(catalog, vendor) + _esco_associations(catalog, vendor),
        "CFRubrics": [{"identifier": rubric_id, "uri": _uri(rubric_id), "title": f"{name} proficiency levels and behaviors",
                       "description": f"For each {name} competency, the levels its documents describe, with their behavior statements (one per line).",
                       "lastChangeDateTime": stamp, "CFRubricCriteria": criteria}],
    }


def _items_and_tree(catalog: dict, vendor: str, competencies: list[dict]) -> tuple[list[dict], list[dict]]:
    """The CFItems (each group before its competencies) and the isChildOf associations joining them to the framework."""
    stamp = catalog["stamp"]
    document = _node("CFDocument", vendor, f"{vendor_name(vendor)} competencies")
    groups: dict[tuple[str, str], dict] = {}
    children: dict[str, int] = {}  # children so far of each parent: the next child's sequence number
    items: list[dict] = []
    tree: list[dict] = []

    def add(item: dict, node: dict, parent: dict) -> None:
        items.append(item)
        children[parent["identifier"]] = children.get(parent["identifier"], 0) + 1
        tree.append(_child_of(node, parent, children[parent["identifier"]], stamp))

    for c in competencies:
        parent = document
        if (group := group_of(c)) is not None:
            if group not in groups:
                key = f"{vendor}:{group[0]}:{group[1]}"
                groups[group] = _node("CFItem", key, group[1])
                add({"identifier": identifier("CFItem", key), "uri": _uri(identifier("CFItem", key)), "fullStatement": group[1],
                     "CFItemType": group[0], "lastChangeDateTime": stamp}, groups[group], document)
            parent = groups[group]
        add(_competency_item(c, stamp), _competency_node(c), parent)
    return items, tree


def _competency_item(c: dict, stamp: str) -> dict:
    ident = identifier("CFItem", c["competency_id"])
    item = {"identifier": ident, "uri": _uri(ident), "fullStatement": c["definition"] or _title(c),
            "humanCodingScheme": c["competency_id"], "CFItemType": "Competency", "lastChangeDateTime": stamp}
    if c["name"]:
        item["abbreviatedStatement"] = c["name"]
    if c["notes"]:
        item["notes"] = c["notes"]
    return item


def _child_of(child: dict, parent: dict, position: int, stamp: str) -> dict:
    ident = identifier("CFAssociation", f"isChildOf:{child['identifier']}:{parent['identifier']}")
    return {"identifier": ident, "uri": _uri(ident), "associationType": "isChildOf", "sequenceNumber": position,
            "originNodeURI": child, "destinationNodeURI": parent, "lastChangeDateTime": stamp}


def _directed(relation: str, this: dict, other: dict) -> tuple[str, dict, dict]:
    """The CASE type for `relation` from `this` to `other`, and (origin, destination) in the order it reads."""
    kind, reverse = ASSOCIATION_TYPES[relation]
    return (kind, other, this) if reverse else (kind, this, other)


def _association(key: str, kind: str, origin: dict, destination: dict, stamp: str) -> dict:
    ident = identifier("CFAssociation", key)
    return {"identifier": ident, "uri": _uri(ident), "associationType": kind, "originNodeURI": origin, "destinationNodeURI": destination,
            "lastChangeDateTime": stamp}


def _competency_node(c: dict) -> dict:
    return _node("CFItem", c["competency_id"], _title(c))


def _title(c: dict) -> str:
    """A competency's name; one its page shows without a name is titled by its id (no name is made up for it)."""
    return c["name"] or c["competency_id"]


def _crosswalk_associations(catalog: dict, vendor: str) -> list[dict]:
    """The crosswalk links with one end in `vendor`'s framework, identified by the pair (the same in both packages)."""
    by_id, out = catalog["by_id"], []
    for m in catalog["matches"]:
        left, right = by_id[m["left_competency_id"]], by_id[m["right_competency_id"]]
        if vendor not in (left["vendor"], right["vendor"]):
            continue
        kind, origin, destination = _directed(m["relation"], left, right)
        a = _association(f"match:{left['competency_id']}:{right['competency_id']}", kind, _competency_node(origin), _competency_node(destination),
                         catalog["stamp"])
        a["notes"] = (f"{vendor_name(origin['vendor'])}'s {origin['name']} {_PHRASES[m['relation']]} {vendor_name(destination['vendor'])}'s "
                      f"{destination['name']} (crosswalk: {m['relation']}, score {m['score']:.2f}, {m['method']})")
        a["extensions"] = {"relation": m["relation"], "score": m["score"], "method": m["method"]}
        out.append(a)
    return out


def _esco_associations(catalog: dict, vendor: str) -> list[dict]:
    """Each competency's ESCO anchors, to the concept's URI."""
    out = []
    for anchor in catalog["esco"]:
        c = catalog["by_id"][anchor["competency_id"]]
        if c["vendor"] != vendor:
            continue
        concept = _esco_node(anchor["esco_uri"], anchor["preferred_label"])
        kind, origin, destination = _directed(anchor["relation"], _competency_node(c), concept)
        a = _association(f"esco:{c['competency_id']}:{anchor['esco_uri']}", kind, origin, destination, catalog["stamp"])
        a["sequenceNumber"] = anchor["rank"]
        a["notes"] = (f"{origin['title']} {_PHRASES[anchor['relation']]} {destination['title']} (ESCO anchor {anchor['rank']} of {c['name']}: "
                      f"{anchor['relation']}, score {anchor['score']:.2f}, {'reviewed' if anchor['reviewed'] else anchor['method']})")
        a["extensions"] = {"relation": anchor["relation"], "score": anchor["score"], "method": anchor["method"], "reviewed": anchor["reviewed"]}
        out.append(a)
    return out


def _criterion(catalog: dict, c: dict, rubric_id: str, position: int) -> dict:
    """A competency's rubric criterion: a level per level its documents describe, with its behaviors."""
    stamp, behaviors, cid = catalog["stamp"], catalog["behaviors"], c["competency_id"]
    criterion_id = identifier("CFRubricCriterion", cid)
    levels = []
    for level_position, lv in enumerate(catalog["levels"].get(cid, []), start=1):
        level_id = identifier("CFRubricCriterionLevel", f"{cid}:{lv['level']}")
        level = {"identifier": level_id, "uri": _uri(level_id), "quality": lv["label"], "score": float(lv["level"]), "position": level_position,
                 "rubricCriterionId": criterion_id, "lastChangeDateTime": stamp}
        if behaviors.get((cid, lv["level"])):
            level["description"] = "\n".join(behaviors[(cid, lv["level"])])
        if lv["behaviors_hidden"] is not None:
            level["extensions"] = [{"behaviorsHidden": lv["behaviors_hidden"]}]
        levels.append(level)
    criterion = {"identifier": criterion_id, "uri": _uri(criterion_id), "CFItemURI": _link("CFItem", cid, _title(c)), "position": position,
                 "rubricId": rubric_id, "lastChangeDateTime": stamp, "CFRubricCriterionLevels": levels}
    if group := group_of(c):
        criterion["category"] = group[1]
    if behaviors.get((cid, None)):
        criterion["description"] = "\n".join(behaviors[(cid, None)])
    return criterion
