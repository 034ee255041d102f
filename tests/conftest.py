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


def sql(out: Path, query: str) -> list[tuple]:
    """A query's rows from the catalog in the folder `out` (opened read-only, then closed)."""
    import duckdb

    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


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


@pytest.fixture(autouse=True, scope="session")
def embedding_cache_of_the_session(tmp_path_factory):
    """Sentence vectors are cached per user (~/.cache/compcat); the tests keep theirs apart, shared
    by the session's catalogs (each text is embedded once per run)."""
    import os

    previous = os.environ.get("COMPCAT_CACHE")
    os.environ["COMPCAT_CACHE"] = str(tmp_path_factory.mktemp("compcat-cache"))
    yield
    if previous is None:
        os.environ.pop("COMPCAT_CACHE", None)
    else:
        os.environ["COMPCAT_CACHE"] = previous


@pytest.fixture(autouse=True)
def keys_hold_in_every_catalog(monkeypatch):
    """Every catalog a test writes has unique primary keys and resolving foreign keys: checked
    right after pipeline.load.write_catalog swaps it in (tests/keys.py)."""
    import duckdb
    from keys import key_violations

    import pipeline.load

    real_write_catalog = pipeline.load.write_catalog

    def write_and_check(*args, **kwargs):
        target = real_write_catalog(*args, **kwargs)
        con = duckdb.connect(str(Path(target) / "catalog.duckdb"), read_only=True)
        try:
            problems = key_violations(con)
        finally:
            con.close()
        assert not problems, "key checks failed on the catalog just written:\n" + "\n".join(problems)
        return target

    monkeypatch.setattr(pipeline.load, "write_catalog", write_and_check)


@pytest.fixture(scope="session")
def synthetic_10000_roles(tmp_path_factory):
    """A catalog of 10,000 generated roles (tools/synthetic_catalog.py: SYNTHETIC, written
    straight into the catalog schema in seconds, where ingesting 10,000 pages takes a minute);
    its keys hold as an ingest's do."""
    import sys

    import duckdb
    from keys import key_violations

    sys.path.insert(0, str(ROOT / "tools"))
    from synthetic_catalog import build

    catalog = build(tmp_path_factory.mktemp("synthetic-10000"), 10000)
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        assert key_violations(con) == []
        assert con.execute("SELECT count(*) FROM role_summary").fetchall() == [(10000,)]
    finally:
        con.close()
    return catalog

