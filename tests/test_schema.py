"""The schema is declared once (pipeline/schema.py); DDL, Parquet schemas and docs come from it."""

from __future__ import annotations

import duckdb
from conftest import ROOT

from pipeline.schema import TABLES, arrow_schema, ddl, schema_markdown
from pipeline.vendors import vendor_names


def test_schema_doc_is_generated_from_code():
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(vendor_names()) + "\n", "docs/schema.md is out of date: run `make schema-doc`"


def test_ddl_creates_every_table_with_its_columns():
    con = duckdb.connect()
    for t in TABLES:
        con.execute(ddl(t, vendor_names()))
        cols = [r[0] for r in con.execute(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{t.name}' ORDER BY ordinal_position").fetchall()]
        assert cols == t.columns
        assert arrow_schema(t).names == t.columns


def test_closed_vocabularies_are_enforced():
    con = duckdb.connect()
    con.execute(ddl(next(t for t in TABLES if t.name == "documents"), vendor_names()))
    try:
        con.execute("INSERT INTO documents (document_id, path, status) VALUES ('x', 'p', 'done')")
    except duckdb.ConstraintException as exc:
        assert "CHECK constraint" in str(exc)
    else:
        raise AssertionError("status 'done' was accepted")


def test_public_contract_columns_exist():
    contract = {
        "documents": "document_id path vendor format status error parser_version ingested_at",
        "roles": "role_id vendor title job_code job_level summary responsibilities education reports_to document_id",
        "competencies": "competency_id vendor name definition category family",
        "scale_levels": "vendor level label",
        "competency_levels": "competency_id level label behaviors_hidden",
        "behaviors": "competency_id level text document_id",
        "role_competencies": "role_id competency_id competency_name category rank required_level required_level_normalized displayed_level visibility document_id",
        "role_skill_counts": "role_id category declared extracted",
        "salaries": "role_id kind percentile amount currency",
        "related_titles": "role_id competency_id title relation",
        "interview_questions": "competency_id text document_id",
        "role_behaviors": "role_id text document_id",
    }
    tables = {t.name: t.columns for t in TABLES}
    for name, cols in contract.items():
        assert set(cols.split()) <= set(tables[name]), name


def test_views_have_their_documented_columns(tmp_path):
    from pipeline.load import write_catalog
    from pipeline.views import VIEWS

    write_catalog(tmp_path, "empty")
    con = duckdb.connect(str(tmp_path / "catalog.duckdb"), read_only=True)
    for v in VIEWS:
        cols = [r[0] for r in con.execute(f"DESCRIBE {v.name}").fetchall()]
        assert cols == [name for name, _ in v.columns], v.name
