"""The command line: help everywhere, report, read-only query, exports (CASE round trip), errors."""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil

import duckdb
import jsonschema
import pyarrow.parquet as pq
import pytest
from case_package import load_case
from conftest import FIXTURES, RAW, ROOT

from pipeline.cli import build_parser, main


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    main(["ingest", str(RAW), "--out", str(out), "--quiet"])
    return str(out / "catalog.duckdb")


def test_every_command_and_option_has_help():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in subparsers._choices_actions}
    assert set(helps) == set(subparsers.choices) == {"ingest", "report", "query", "export", "site", "schema-doc"}
    for name, sub in subparsers.choices.items():
        assert helps[name] and sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest} has no help"


def test_report_is_one_screen(catalog, capsys):
    assert main(["report", "--catalog", catalog]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 40
    assert "salary_com  3   3        0       6      15" in out
    assert "salary_com  6      87        20         23%" in out
    assert "3 role(s) come from pages saved part-way" in out
    assert "truncated (partial): page stops part-way" in out and "name_from_file_name (note): the page has no competency name" in out


@pytest.mark.parametrize("fmt, expected", [
    ("csv", "title,base\nClient Service Specialist II,63586.0\nCustomer Service Manager,100228.0"),
    ("json", '[\n {\n  "title": "Client Service Specialist II",\n  "base": 63586.0\n },\n {\n  "title": "Customer Service Manager",\n  "base": 100228.0\n }\n]'),
    ("markdown", "| title | base |\n|---|---|\n| Client Service Specialist II | 63586.0 |\n| Customer Service Manager | 100228.0 |"),
    ("table", "title                         base    \n----------------------------  --------\nClient Service Specialist II  63586.0 \nCustomer Service Manager      100228.0\n(2 rows)"),
])
def test_query_formats(catalog, capsys, fmt, expected):
    sql = "SELECT title, base_salary_p50 AS base FROM role_summary WHERE completeness = 'complete' AND base_salary_p50 < 200000 ORDER BY base"
    assert main(["query", sql, "--format", fmt, "--catalog", catalog]) == 0
    assert capsys.readouterr().out.rstrip("\n") == expected


@pytest.mark.parametrize("sql, message, code", [
    ("DELETE FROM roles", 'error: SQL: Invalid Input Error: Cannot execute statement of type "DELETE" on database "catalog" which is attached in read-only mode!', 1),
    ("COPY roles TO '/tmp/stolen.csv'", 'error: SQL not allowed: Permission Error: Cannot access file "/tmp/stolen.csv" - file system operations are disabled by configuration; '
                                        "queries read the catalog and write nothing", 2),
    ("SELEC 1", "error: SQL: Parser Error: syntax error at or near \"SELEC\"", 1),
    # What made a query write a file or abort the process: a spill to a temp folder inside the live
    # load after lowering the memory limit, logging to a file.
    ("SET memory_limit='60MB'", 'error: SQL not allowed: Invalid Input Error: Cannot change configuration option "memory_limit" - the configuration has been locked', 2),
    ("CALL enable_logging(storage='file', storage_config={'path': '/tmp/compcat-query.log'})",
     'error: SQL not allowed: Invalid Input Error: Cannot change configuration option "enable_logging" - the configuration has been locked', 2),
    ("SET temp_directory='/tmp/compcat-spill'", 'error: SQL not allowed: Invalid Input Error: Cannot change configuration option "temp_directory" - the configuration has been locked', 2),
])
def test_query_is_read_only_and_errors_are_one_line(catalog, capsys, sql, message, code):
    assert main(["query", sql, "--catalog", catalog]) == code
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err
    assert duckdb.connect(catalog, read_only=True).execute("SELECT count(*) FROM roles").fetchone()[0] == 7
    assert not any(os.path.exists(p) for p in ("/tmp/stolen.csv", "/tmp/compcat-query.log", "/tmp/compcat-spill"))


def test_a_query_has_no_temporary_folder_and_a_time_limit(catalog, capsys):
    assert main(["query", "SELECT current_setting('temp_directory') AS t, current_setting('memory_limit') AS m", "--catalog", catalog,
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(",")  # no temporary folder: nothing spills to disk
    assert main(["query", "SELECT count(*) FROM range(1000000000) a, range(1000) b", "--catalog", catalog, "--timeout", "0.5"]) == 2
    assert capsys.readouterr().err == "error: SQL not allowed: the query ran past 0.5 s (--timeout); queries read the catalog and write nothing\n"


def test_missing_catalog_and_unknown_format_are_usage_errors(tmp_path, capsys):
    assert main(["report", "--catalog", str(tmp_path / "none.duckdb")]) == 2
    assert capsys.readouterr().err == f"error: no catalog at {tmp_path / 'none.duckdb'}: run `make ingest` (or `compcat ingest`) first, or pass --catalog\n"
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "xml", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_tables(catalog, tmp_path, fmt):
    assert main(["export", "--format", fmt, "--out", str(tmp_path), "--catalog", catalog]) == 0
    if fmt == "csv":
        with open(tmp_path / "salaries.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        rows = pq.read_table(tmp_path / "salaries.parquet").to_pylist()
    assert len(rows) == 12
    assert {float(r["amount"]) for r in rows if r["role_id"] == "salary_com:client-service-specialist-ii"} == {63586.0, 66040.0}


def test_case_export_is_valid_and_round_trips(catalog, tmp_path):
    assert main(["export", "--format", "case", "--out", str(tmp_path), "--catalog", catalog]) == 0
    schema = json.loads((FIXTURES / "case_1_1_package.schema.json").read_text())
    con = duckdb.connect(catalog, read_only=True)
    vendors = [v for (v,) in con.execute("SELECT DISTINCT vendor FROM competencies ORDER BY 1").fetchall()]
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == vendors
    for vendor in vendors:
        package = json.loads((tmp_path / f"{vendor}.json").read_text())
        jsonschema.validate(package, schema)
        back = load_case(tmp_path / f"{vendor}.json")
        want = {cid: (name, definition) for cid, name, definition in con.execute(
            "SELECT competency_id, name, definition FROM competencies WHERE vendor = ?", [vendor]).fetchall()}
        assert {cid: (c["name"], c["definition"]) for cid, c in back.items()} == want
        scale = con.execute("SELECT level, label FROM scale_levels WHERE vendor = ? ORDER BY level", [vendor]).fetchall()
        assert all([(lv, label) for lv, label, _ in c["levels"]] == scale for c in back.values())
    sop = load_case(tmp_path / "salary_com.json")["salary_com:standard-operating-procedures-sop"]
    assert sop["levels"][3][2] == ("Leverages the use of SOPs to solve business and operation problems.\n"
                                   "Coaches others on the implementation of SOP to reduce errors and improve quality.")
    kenexa = json.loads((tmp_path / "kenexa.json").read_text())
    exact = [a for a in kenexa["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert len(exact) == 3 and all(a["notes"].startswith("skos:exactMatch") for a in exact)


def test_ingest_says_which_files_in_the_folders_it_did_not_read(tmp_path, capsys):
    folder = tmp_path / "raw"
    shutil.copytree(RAW / "nih", folder)
    (folder / "notes.docx").write_bytes(b"SYNTHETIC")
    (folder / "salaries.xlsx").write_bytes(b"SYNTHETIC")
    (folder / "README.md").write_text("SYNTHETIC: documentation is passed over without a word\n")
    (folder / ".DS_Store").write_bytes(b"SYNTHETIC")
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"  not read: 2 file(s) of other types (.docx: 1, .xlsx: 1), e.g. {folder}/notes.docx\n" in out
    assert "README" not in out and "DS_Store" not in out
    main(["ingest", str(folder), "--out", str(tmp_path / "out")])  # nothing changed: still said
    assert "  not read: 2 file(s) of other types" in capsys.readouterr().out


def test_the_resource_folder_of_a_page_saved_complete_is_not_read(tmp_path, capsys):
    # "Webpage, Complete" saves the page's images, scripts and frames (ads: .html files) in a
    # folder named after it: those frames were loaded as failed documents.
    folder = tmp_path / "raw"
    shutil.copytree(RAW / "kenexa", folder)
    resources = folder / "customer_service_management_files"
    resources.mkdir()
    (resources / "ad_frame.html").write_bytes(b"<html><body><p>SYNTHETIC ad frame</p></body></html>")
    (resources / "style.css").write_bytes(b"/* SYNTHETIC */")
    (folder / "notes_files").mkdir()  # no page of that name beside it: an ordinary folder, searched
    (folder / "notes_files" / "stray.html").write_bytes(b"<html><body><p>SYNTHETIC stray page</p></body></html>")
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    paths = [r[0] for r in duckdb.connect(str(tmp_path / "out" / "catalog.duckdb"), read_only=True).execute(
        "SELECT path FROM documents WHERE status = 'failed'").fetchall()]
    assert paths == [str(folder / "notes_files" / "stray.html")]
    assert "style.css" not in capsys.readouterr().out


def test_version_and_argument_checks_are_one_line_usage_errors(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and re.fullmatch(r"compcat \d+\.\d+\.\d+\n", capsys.readouterr().out)
    for value, message in (("0", "0 is not 1 or more"), ("-3", "-3 is not 1 or more"), ("two", "'two' is not a whole number")):
        with pytest.raises(SystemExit) as done:
            main(["ingest", "raw", "--workers", value])
        assert done.value.code == 2 and capsys.readouterr().err.splitlines()[-1] == f"compcat ingest: error: argument --workers: {message}"


def test_a_closed_pipe_is_not_an_error(catalog):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "query", "SELECT * FROM range(500000)", "--catalog", catalog],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT))
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    assert proc.wait(timeout=60) == 0 and proc.stderr.read() == b""
