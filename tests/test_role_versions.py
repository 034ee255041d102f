"""One role saved twice (two files, different bytes) is one role in every analyst-facing view,
and a document cannot give the same (role, competency) twice (issue 25, point 7).

The inputs are real raw/ pages, copied and changed here (SYNTHETIC: a copy cut part-way, a
second crawl with another salary, a section that lists a competency again)."""

from __future__ import annotations

import os

from conftest import FIXTURES, sql

from pipeline.cli import main
from pipeline.parse import parse_file

ROLE = "salary_com:customer-service-manager"


def _saved_twice(raw_copy, tmp_path, newer: bytes, older_time=1_700_000_000, newer_time=1_760_000_000):
    whole = raw_copy / "salary_com" / "customer_service_manager.html"
    copy = raw_copy / "salary_com" / "customer_service_manager (saved again).html"
    copy.write_bytes(newer)
    os.utime(whole, (older_time, older_time))
    os.utime(copy, (newer_time, newer_time))
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    return out


def test_a_newer_copy_saved_part_way_does_not_replace_the_whole_one(raw_copy, tmp_path):
    # Saved again later, but only part-way (cut before the core competencies): the whole copy
    # stays the current one. Before, the newest copy was current whatever it lacked.
    page = (raw_copy / "salary_com" / "customer_service_manager.html").read_bytes()
    out = _saved_twice(raw_copy, tmp_path, page[:page.index(b"Core Competencies")])
    statuses = sql(out, f"SELECT version, status, listed, path LIKE '%saved again%' FROM role_history WHERE role_id = '{ROLE}' ORDER BY version")
    assert statuses == [(1, "ok", 10, False), (2, "partial", 5, True)]
    assert sql(out, f"SELECT status, versions FROM roles_current WHERE role_id = '{ROLE}'") == [("ok", 2)]
    # The base table keeps both copies; the current view counts the role once.
    assert sql(out, f"SELECT count(*) FROM role_competencies WHERE role_id = '{ROLE}'") == [(15,)]
    assert sql(out, f"SELECT count(*), count(DISTINCT document_id) FROM role_competencies_current WHERE role_id = '{ROLE}'") == [(10, 1)]
    assert sql(out, f"SELECT completeness, shown, named_in_summary, locked FROM role_summary WHERE role_id = '{ROLE}'") == [("complete", 4, 2, 4)]


def test_two_whole_crawls_count_once_in_every_role_view(raw_copy, tmp_path):
    page = (raw_copy / "salary_com" / "customer_service_manager.html").read_bytes()
    out = _saved_twice(raw_copy, tmp_path, page.replace(b"$100,228", b"$104,500"))
    assert sql(out, f"SELECT count(*) FROM roles WHERE role_id = '{ROLE}'") == [(2,)]
    for view in ("roles_current", "role_summary", "coverage"):
        assert sql(out, f"SELECT count(*) FROM {view} WHERE role_id = '{ROLE}'") == [(1,)], view
    assert sql(out, f"SELECT base_salary_p50 FROM role_summary WHERE role_id = '{ROLE}'") == [(104500.0,)]
    # Every requirement of the role once: per competency, one row in the current view.
    assert sql(out, f"""SELECT max(n) FROM (SELECT count(*) AS n FROM role_competencies_current WHERE role_id = '{ROLE}'
                         AND competency_id IS NOT NULL GROUP BY competency_id)""") == [(1,)]
    assert sql(out, f"""SELECT max(n) FROM (SELECT count(*) AS n FROM competency_requirements WHERE role_id = '{ROLE}' AND relation = 'self'
                         GROUP BY competency_id)""") == [(1,)]


def test_a_competency_listed_twice_in_one_document_is_loaded_once():
    # The second core competency renamed to the first (SYNTHETIC): the page lists
    # "Products And Services" twice for the role.
    text = (FIXTURES / "text" / "salary_com_customer_service_manager.txt").read_text(encoding="utf-8")
    page = text.replace("2 Core Competencies \u2013 Standard Operating Procedures (SOP)", "2 Core Competencies \u2013 Products And Services")
    r = parse_file("page.txt", page.encode())
    listed = [(row["competency_id"], row["rank"]) for row in r.rows["role_competencies"] if row["competency_id"] == "salary_com:products-and-services"]
    assert listed == [("salary_com:products-and-services", 1)]
    assert ("repeated_competency", f"'Products And Services' is listed again for {ROLE} (rank 2 of the soft skills): not loaded twice") in r.warnings
