"""Reading a CASE package back (tests only: the round trip of the CASE export)."""

from __future__ import annotations

import json
from pathlib import Path


def load_case(path: Path) -> dict:
    """Read a CASE package back: competencies and their levels, keyed by catalog id."""
    package = json.loads(Path(path).read_text(encoding="utf-8"))
    items = {i["identifier"]: i for i in package["CFItems"]}
    competencies = {
        i["humanCodingScheme"]: {"name": i["abbreviatedStatement"],
                                 "definition": None if i["fullStatement"] == i["abbreviatedStatement"] else i["fullStatement"]}
        for i in items.values()
    }
    for rubric in package["CFRubrics"]:
        for crit in rubric["CFRubricCriteria"]:
            cid = items[crit["CFItemURI"]["identifier"]]["humanCodingScheme"]
            competencies[cid]["levels"] = [(int(lv["score"]), lv["quality"], lv["description"]) for lv in crit["CFRubricCriterionLevels"]]
    return competencies
