"""Shared test helpers. Tests read only files inside the repository (raw/, tests/fixtures/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.parse import parse_file

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"


def parse_path(path: Path):
    return parse_file(str(path.relative_to(ROOT)), path.read_bytes())


def rows_without_ids(result) -> dict[str, list[dict]]:
    """A result's rows without the document id (a content hash: it differs between two
    renderings of one document)."""
    return {t: [{c: v for c, v in row.items() if c != "document_id"} for row in table] for t, table in result.rows.items()}


def golden_view(result) -> dict:
    """What a golden file pins: everything a parser decides, nothing about where the file lives."""
    rows = {}
    for table, table_rows in sorted(result.rows.items()):
        rows[table] = [{k: v for k, v in row.items() if k != "document_id"} for row in table_rows]
    return {
        "vendor": result.vendor,
        "status": result.status,
        "title": result.title,
        "title_source": result.title_source,
        "warnings": [[code, message] for code, message in result.warnings],
        "rows": rows,
    }


def load_golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def write_golden(name: str, view: dict) -> None:
    (GOLDEN / f"{name}.json").write_text(json.dumps(view, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A copy of raw/ that a test may change."""
    dest = tmp_path / "raw"
    shutil.copytree(RAW, dest)
    return dest
