"""The package's shape, kept by tests: allowed values at the bottom, no import circle, small
functions, detectors that know only their own vendor, and a README map that names real files."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The pipeline modules `path` imports, anywhere in it (a function's import counts too)."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module or ""
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)  # `from . import x` imports a module
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("pipeline")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_allowed_values_and_warning_codes_import_nothing_of_the_package():
    graph = _graph()
    assert graph["pipeline.enums"] == set()
    assert graph["pipeline.warning_codes"] == set()


def test_no_import_circle_in_the_package():
    graph = _graph()
    # A package's __init__ importing its own modules (to re-export them) is not a circle.
    edges = {m: {d for d in deps if not (m.startswith(d + ".") and graph.get(d, set()) >= {m})} for m, deps in graph.items()}
    state: dict[str, int] = {}
    circles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for dep in sorted(edges[module]):
            if state.get(dep) == 1:
                circles.append(trail[trail.index(dep):] + [dep] if dep in trail else [module, dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_function_in_the_package_is_longer_than_60_lines():
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []


def test_a_vendor_package_names_no_other_vendor():
    from pipeline.vendors import PARSERS

    words = {m.VENDOR: {m.VENDOR, m.SCALE.vendor_name.lower(), m.VENDOR.replace("_com", "")} for m in PARSERS}
    for vendor in words:
        for path in (PACKAGE / "vendors" / vendor).rglob("*.py"):
            text = path.read_text(encoding="utf-8").lower()
            named = sorted(w for other, ws in words.items() if other != vendor for w in ws if re.search(rf"\b{re.escape(w)}\b", text))
            assert named == [], f"{path.relative_to(ROOT)} names {named}"


def test_every_path_in_the_readme_map_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Where things are"):]
    section = section[:section.index("\n## ", 4)]
    paths = re.findall(r"`((?:pipeline|tests|tools|docs|raw|notebooks)/[^`*<> ]*)`", section)
    assert len(paths) >= 10
    missing = [p for p in paths if not (ROOT / p.rstrip("/")).exists()]
    assert missing == []
