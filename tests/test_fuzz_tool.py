"""tools/fuzz.py (`make fuzz`) finds an invented value: a check that cannot fail proves nothing."""

from __future__ import annotations

import sys

import duckdb
from conftest import RAW, ROOT

from pipeline.ingest import ingest

sys.path.insert(0, str(ROOT / "tools"))
import fuzz  # noqa: E402


def test_the_fuzzer_reports_a_value_the_page_does_not_hold(tmp_path):
    page = tmp_path / "in" / "nih.txt"
    page.parent.mkdir()
    data = (RAW / "nih" / "federal_budget_process.txt").read_bytes()
    page.write_bytes(data)
    ingest([str(page.parent)], tmp_path / "out", workers=1)
    db = tmp_path / "copy.duckdb"
    db.write_bytes((tmp_path / "out" / "catalog.duckdb").read_bytes())
    con = duckdb.connect(str(db))
    assert fuzz.invented(con, {str(page): data}) == []
    con.execute("UPDATE behaviors SET text = 'Approves the lunar budget' WHERE seq = 1")
    assert fuzz.invented(con, {str(page): data}) == [f"{page}: behaviors.text = 'Approves the lunar budget' ('Approves' is not in the page)"]
