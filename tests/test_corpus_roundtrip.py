"""Round trip over a generated corpus: generate documents with known content (a fifth of the
pages saved as MHTML), ingest them (in parallel), and compare the catalog with what the
generator wrote."""

from __future__ import annotations

import sys

import duckdb
import pytest
from conftest import ROOT
from markup_variants import blink_mhtml

from pipeline.cli import main

sys.path.insert(0, str(ROOT / "tools"))
import corpus  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    expected = corpus.generate(root / "docs", salary=150, kenexa=40, caliper=4, seed=11)
    for page in sorted((root / "docs").glob("*/*.html"))[::5]:  # every fifth page saved as one file (MHTML) instead
        page.with_suffix(".mhtml").write_bytes(blink_mhtml(page.read_bytes()))
        page.unlink()
    assert main(["ingest", str(root / "docs"), "--out", str(root / "out"), "--quiet", "--workers", "2"]) == 0
    return expected, duckdb.connect(str(root / "out" / "catalog.duckdb"), read_only=True)


def test_every_document_ok(generated):
    _, con = generated
    assert con.execute("SELECT vendor, status, count(*) FROM documents GROUP BY ALL ORDER BY ALL").fetchall() == [
        ("caliper", "ok", 4), ("kenexa", "ok", 40), ("salary_com", "ok", 150)]
    assert con.execute("SELECT format, count(*) FROM documents GROUP BY ALL ORDER BY ALL").fetchall() == [
        ("html", 152), ("mhtml", 38), ("pdf", 4)]
    assert con.execute("SELECT count(*) FROM parse_warnings").fetchone()[0] == 0


def test_salary_com_roles_round_trip(generated):
    expected, con = generated
    roles = {r[0]: r[1:] for r in con.execute("""
        SELECT title, job_code, job_level, education, reports_to, declared_skills_total FROM roles WHERE vendor = 'salary_com'""").fetchall()}
    assert roles == {t: (e["job_code"], e["job_level"], e["education"], e["reports_to"], e["declared_total"]) for t, e in expected["salary_com"].items()}
    salaries = {(t, k): a for t, k, a in con.execute("SELECT r.title, s.kind, s.amount FROM salaries s JOIN roles r USING (role_id, document_id)").fetchall()}
    assert salaries == {(t, k): e[k] for t, e in expected["salary_com"].items() for k in ("base", "total")}
    got = sorted(con.execute("""SELECT r.title, rc.category, rc.rank, rc.competency_name, rc.required_level, rc.visibility
                                FROM role_competencies rc JOIN roles r USING (role_id, document_id) WHERE r.vendor = 'salary_com'""").fetchall(),
                 key=lambda r: (r[0], r[1], r[2]))
    want = sorted(((t, c["category"], c["rank"], c["name"], c["required_level"], c["visibility"]) for t, e in expected["salary_com"].items() for c in e["competencies"]),
                  key=lambda r: (r[0], r[1], r[2]))
    assert got == want
    declared = {(t, c): d for t, c, d in con.execute("SELECT r.title, k.category, k.declared FROM role_skill_counts k JOIN roles r USING (role_id, document_id)").fetchall()}
    assert declared == {(t, c): d for t, e in expected["salary_com"].items() for c, d in e["declared"].items()}


def test_kenexa_competencies_round_trip(generated):
    expected, con = generated
    for name, e in expected["kenexa"].items():
        (cid, definition), = con.execute("SELECT competency_id, definition FROM competencies WHERE vendor = 'kenexa' AND name = ?", [name]).fetchall()
        assert definition == e["definition"]
        assert con.execute("SELECT level, text FROM behaviors WHERE competency_id = ? ORDER BY seq", [cid]).fetchall() == [tuple(b) for b in e["behaviors"]]
        assert [q for (q,) in con.execute("SELECT text FROM interview_questions WHERE competency_id = ? ORDER BY seq", [cid]).fetchall()] == e["questions"]
        assert [t for (t,) in con.execute("SELECT title FROM related_titles WHERE competency_id = ? ORDER BY seq", [cid]).fetchall()] == e["titles"]


def test_caliper_models_round_trip(generated):
    expected, con = generated
    for title, e in expected["caliper"].items():
        (rid,) = con.execute("SELECT role_id FROM roles WHERE vendor = 'caliper' AND title = ?", [title]).fetchone()
        assert [t for (t,) in con.execute("SELECT title FROM related_titles WHERE role_id = ? ORDER BY seq", [rid]).fetchall()] == e["positions"]
        got = con.execute("""SELECT c.name, c.definition, c.family FROM role_competencies rc JOIN competencies c USING (competency_id)
                             WHERE rc.role_id = ? ORDER BY rc.rank""", [rid]).fetchall()
        assert [list(r) for r in got] == e["competencies"]
        assert [t for (t,) in con.execute("SELECT text FROM role_behaviors WHERE role_id = ? ORDER BY seq", [rid]).fetchall()] == e["behaviors"]
