"""Reading CASE packages back (tests only: the round trip of the CASE export).

Reads only what a CASE tool reads: items, isChildOf associations, association types and their
direction, rubric criteria and levels. The export's association extensions are used for one
thing the CASE vocabulary cannot say: whether an isRelatedTo link is a close or a related match.
"""

from __future__ import annotations

import json
from pathlib import Path

ESCO_TARGET = "ext:ESCO"
_INVERSE = {"broad": "narrow", "narrow": "broad"}


def load_packages(paths: list[Path]) -> dict:
    """Every package of an export, read back into catalog terms: competencies, levels,
    behaviors, crosswalk links, ESCO anchors and each item's parent."""
    packages = {Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8")) for p in paths}
    items = {i["identifier"]: i for package in packages.values() for i in package["CFItems"]}
    competency_of = {ident: i["humanCodingScheme"] for ident, i in items.items() if i.get("CFItemType") == "Competency"}
    associations: dict[str, dict] = {}
    for package in packages.values():
        for a in package["CFAssociations"]:
            assert associations.setdefault(a["identifier"], a) == a, f"two associations under one identifier {a['identifier']}"
    back = {"competencies": {}, "levels": {}, "behaviors": {}, "links": {}, "esco": {}, "parent": {}}
    for vendor, package in packages.items():
        for ident, item in ((i["identifier"], i) for i in package["CFItems"] if i["identifier"] in competency_of):
            back["competencies"][competency_of[ident]] = {
                "vendor": vendor, "name": item.get("abbreviatedStatement"),  # (none: a competency shown without a name)
                "definition": None if item["fullStatement"] in (item.get("abbreviatedStatement"), item["humanCodingScheme"]) else item["fullStatement"],
                "notes": item.get("notes"),
            }
        _read_rubrics(package, competency_of, back)
    for a in associations.values():
        _read_association(a, competency_of, back)
    return back


def _read_rubrics(package: dict, competency_of: dict, back: dict) -> None:
    for rubric in package.get("CFRubrics", []):
        for criterion in rubric["CFRubricCriteria"]:
            cid = competency_of[criterion["CFItemURI"]["identifier"]]
            if "description" in criterion:
                back["behaviors"][(cid, None)] = criterion["description"].split("\n")
            for level in criterion["CFRubricCriterionLevels"]:
                number = int(level["score"])
                hidden = next((e["behaviorsHidden"] for e in level.get("extensions", []) if "behaviorsHidden" in e), None)
                back["levels"][(cid, number)] = (level["quality"], hidden)
                if "description" in level:
                    back["behaviors"][(cid, number)] = level["description"].split("\n")


def _relation(a: dict) -> str:
    """The relation from the origin to the destination, as the catalog names it."""
    kind = a["associationType"]
    if kind == "exactMatchOf":
        return "exact"
    if kind == "isPartOf":
        return "broad"  # the destination is broader
    assert kind == "isRelatedTo", kind
    return a["extensions"]["relation"]


def _read_association(a: dict, competency_of: dict, back: dict) -> None:
    origin, destination = a["originNodeURI"], a["destinationNodeURI"]
    if a["associationType"] == "isChildOf":
        back["parent"][origin["identifier"]] = destination["title"]
        return
    relation = _relation(a)
    if ESCO_TARGET in (origin.get("targetType"), destination.get("targetType")):
        if destination.get("targetType") == ESCO_TARGET:
            back["esco"][(competency_of[origin["identifier"]], a["sequenceNumber"])] = (destination["uri"], relation)
        else:
            back["esco"][(competency_of[destination["identifier"]], a["sequenceNumber"])] = (origin["uri"], _INVERSE.get(relation, relation))
        return
    left, right = competency_of[origin["identifier"]], competency_of[destination["identifier"]]
    vendor = {cid: c["vendor"] for cid, c in back["competencies"].items()}
    if vendor[left] > vendor[right]:  # the catalog's left competency is the one whose vendor sorts first
        left, right, relation = right, left, _INVERSE.get(relation, relation)
    back["links"][(left, right)] = relation
