"""The schema's primary and foreign keys are checked on every catalog the tests write
(conftest.keys_hold_in_every_catalog); here, that the checks catch what they are for."""

from __future__ import annotations

import duckdb
import pytest
from conftest import RAW
from keys import key_violations

from pipeline.ingest import ingest
from pipeline.schema import TABLES


@pytest.fixture
def catalog(tmp_path):
    ingest([str(RAW)], tmp_path / "out", workers=1)
    db = tmp_path / "copy.duckdb"
    db.write_bytes((tmp_path / "out" / "catalog.duckdb").read_bytes())
    return duckdb.connect(str(db))


def test_every_table_declares_a_primary_key_and_its_foreign_keys_name_real_columns():
    names = {t.name: set(t.columns) for t in TABLES}
    for t in TABLES:
        assert t.primary_key, t.name
        for fk in t.foreign_keys:
            assert set(fk.ref_columns) <= names[fk.ref_table], (t.name, fk)


def test_the_keys_hold_on_the_catalog_of_raw(catalog):
    assert catalog.execute("SELECT count(*) FROM role_competencies").fetchone()[0] > 0
    assert key_violations(catalog) == []


def test_a_role_competency_given_twice_breaks_the_primary_key(catalog):
    catalog.execute("INSERT INTO role_competencies SELECT * FROM role_competencies WHERE competency_id IS NULL LIMIT 1")
    (problem,) = key_violations(catalog)
    assert problem.startswith("role_competencies: primary key (role_id, document_id, category, rank) not unique: [(")


def test_a_competency_a_role_lists_twice_in_one_document_breaks_the_unique_key(catalog):
    # The same (role, competency, document) at another rank: a role saved once counted twice.
    catalog.execute("""INSERT INTO role_competencies SELECT * REPLACE (rank + 100 AS rank) FROM role_competencies
                       WHERE competency_id IS NOT NULL LIMIT 1""")
    (problem,) = key_violations(catalog)
    assert problem.startswith("role_competencies: (role_id, competency_id, document_id) not unique: [(")


def test_a_row_of_a_role_no_document_gives_breaks_the_foreign_key(catalog):
    catalog.execute("UPDATE salaries SET role_id = 'salary_com:no-such-role' WHERE rowid = (SELECT min(rowid) FROM salaries)")
    (problem,) = key_violations(catalog)
    assert problem.startswith("salaries (role_id, document_id) -> roles (role_id, document_id): no row for [('salary_com:no-such-role', ")


def test_a_behavior_of_an_unknown_competency_breaks_two_foreign_keys(catalog):
    catalog.execute("UPDATE behaviors SET competency_id = 'kenexa:nothing' WHERE rowid = (SELECT min(rowid) FROM behaviors)")
    problems = key_violations(catalog)
    assert [p.split(":")[0] for p in problems] == ["behaviors (competency_id) -> competencies (competency_id)",
                                                   "behaviors (competency_id, level) -> competency_levels (competency_id, level)"]
