"""The warning and failure codes the pipeline emits are the ones pipeline/warning_codes.py
declares (and docs/schema.md lists), found in the source: the first argument that is a code
in calls of warn/fail/DocumentError/unreadable, and (code, message) pairs."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

from pipeline.warning_codes import CODES, EFFECTS, PARTIAL_CODES

CODE = re.compile(r"^[a-z][a-z0-9_]+$")
# Where documents are read, parsed and loaded (the schema and views declare columns, not warnings).
SOURCES = [*(ROOT / "pipeline" / "readers").glob("*.py"), *(ROOT / "pipeline" / "vendors").rglob("*.py"),
           *(ROOT / "pipeline" / name for name in ("parse.py", "ingest.py", "merge.py", "chunks.py", "discover.py", "cache.py", "load.py"))]


def _is_message(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                                               and node.value[:1].islower() and " " in node.value)


def emitted_codes() -> dict[str, str]:
    """code -> one place that emits it; f-string codes as "<f-string>"."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name in ("warn", "fail", "DocumentError", "unreadable"):
                    first = next((a for a in node.args if isinstance(a, (ast.Constant, ast.JoinedStr))), None)
                    if isinstance(first, ast.JoinedStr):
                        found.setdefault("<f-string>", where)
                    elif first is not None and CODE.match(str(first.value)):
                        found.setdefault(first.value, where)
            elif (isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[0], ast.Constant)
                  and isinstance(node.elts[0].value, str) and CODE.match(node.elts[0].value) and _is_message(node.elts[1])):
                found.setdefault(node.elts[0].value, where)
    return found


def test_every_code_the_pipeline_emits_is_declared_and_every_declared_code_is_emitted():
    emitted = emitted_codes()
    declared = {c.code for c in CODES}
    # parse_each names its code after what the file holds: f"several_{what}".
    assert emitted.pop("<f-string>").startswith("pipeline/vendors/common.py")
    several = {c for c in declared if c.startswith("several_")}
    assert {c: w for c, w in emitted.items() if c not in declared} == {}
    assert declared - set(emitted) == several
    sources = "".join(p.read_text(encoding="utf-8") for p in SOURCES)
    assert all(f'what="{c.removeprefix("several_").replace("_", " ")}"' in sources for c in several)


def test_codes_are_declared_once_with_a_known_effect():
    assert len({c.code for c in CODES}) == len(CODES)
    assert {c.effect for c in CODES} <= set(EFFECTS)
    assert {"truncated", "truncated_text", "missing_section", "unreadable_page", "chart_unreadable", "hard_wrapped_text"} == PARTIAL_CODES
