"""The command line: help everywhere, report, read-only query, exports (tests/test_export.py has their contents), errors."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import RAW, ROOT

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


def test_report_is_one_screen(catalog, capsys, monkeypatch):
    # The tables are rich's now, right-aligned numbers (they were left-aligned, hand-written).
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["report", "--catalog", catalog]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 40 and max(map(len, out.splitlines())) <= 100
    assert "\nvendor      ok  partial  failed  roles  competencies\n" in out
    assert "\nsalary_com   3        3       0      6            15\n" in out
    assert "\nsalary_com      6        87         20       23%\n" in out
    assert "3 role(s) come from pages saved part-way" in out
    assert "    6  truncated        partial  page stops part-way (saved before it finished loading); missing: s…\n" in out
    assert "    1  missing_section  partial  no competency name in the page's text or title (a copy without the…" in out


def test_report_for_other_tools_and_documents(catalog, capsys):
    assert main(["report", "--catalog", catalog, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["load"]["documents"] == 12 and data["partial_roles"] == 3 and data["failed"] == []
    assert {"vendor": "salary_com", "ok": 3, "partial": 3, "failed": 0, "roles": 6, "competencies": 15} in data["vendors"]
    assert data["coverage"] == [{"vendor": "salary_com", "roles": 6, "declared": 87, "extracted": 20, "coverage": 0.2299}]  # (the view rounds it)
    assert data["warnings"][0] == {"count": 6, "code": "truncated", "effect": "partial",
                                   "example": "page stops part-way (saved before it finished loading); missing: skill sections, Summary of skills and competencies"}
    assert main(["report", "--catalog", catalog, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert ("## Coverage: skills extracted with a name / skills the role pages declare\n\n"
            "| vendor     |   roles |   declared |   extracted |   coverage |\n"
            "|:-----------|--------:|-----------:|------------:|-----------:|\n"
            "| salary_com |       6 |         87 |          20 |        23% |\n") in out


SALARIES = "SELECT title, base_salary_p50 AS base FROM role_summary WHERE completeness = 'complete' AND base_salary_p50 < 200000 ORDER BY base"


@pytest.mark.parametrize("fmt, expected", [
    ("csv", "title,base\nClient Service Specialist II,63586.0\nCustomer Service Manager,100228.0"),
    ("tsv", "title\tbase\nClient Service Specialist II\t63586.0\nCustomer Service Manager\t100228.0"),
    ("json", '[\n {\n  "title": "Client Service Specialist II",\n  "base": 63586.0\n },\n {\n  "title": "Customer Service Manager",\n  "base": 100228.0\n }\n]'),
    ("ndjson", '{"title": "Client Service Specialist II", "base": 63586.0}\n{"title": "Customer Service Manager", "base": 100228.0}'),
    # Numbers right-aligned and written for reading (they were "63586.0", left-aligned).
    ("markdown", "| title                        |    base |\n|:-----------------------------|--------:|\n"
                 "| Client Service Specialist II |  63,586 |\n| Customer Service Manager     | 100,228 |"),
    ("table", "title                            base\n" + "─" * 37 + "\nClient Service Specialist II   63,586\nCustomer Service Manager      100,228\n(2 rows)"),
])
def test_query_formats(catalog, capsys, fmt, expected):
    assert main(["query", SALARIES, "--format", fmt, "--catalog", catalog]) == 0
    assert capsys.readouterr().out.rstrip("\n") == expected


def test_a_table_fits_the_terminal(catalog, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["query", "SELECT vendor, name, definition FROM competencies ORDER BY competency_id LIMIT 3", "--catalog", catalog]) == 0
    assert capsys.readouterr().out == ("vendor   name                 definition\n" + "─" * 60 + "\n"
                                       "caliper  Accountability       They take responsibility for …\n"
                                       "caliper  Adaptability         NULL\n"
                                       "caliper  Analytical thinking  They have the capability and …\n"
                                       "(3 rows)\n")
    assert main(["query", "SELECT * FROM role_summary ORDER BY role_id", "--catalog", catalog, "--max-rows", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= 60 and len(lines) == 2 + 5 + 1
    assert lines[0].split() == ["role_id", "vendor", "title", "job_lev…", "documen…", "complet…"]
    assert lines[4].split() == ["…"] * 6
    assert lines[-1] == "(7 rows, 4 shown; 6 of 18 columns: --format csv for all)"


def test_sql_from_a_file_standard_input_and_several_statements(catalog, capsys, monkeypatch, tmp_path):
    script = tmp_path / "counts.sql"
    script.write_text("-- two statements\nSELECT count(*) AS roles FROM roles;\nSELECT count(*) AS vendors FROM vendor_coverage;\n")
    assert main(["query", "-f", str(script), "--format", "csv", "--catalog", catalog]) == 0
    assert capsys.readouterr().out == "roles\n7\n\nvendors\n4\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT 'from stdin' AS source"))
    assert main(["query", "-", "--format", "ndjson", "--catalog", catalog]) == 0
    assert capsys.readouterr().out == '{"source": "from stdin"}\n'


@pytest.mark.parametrize("argv, message", [
    (["query"], "error: no SQL: give it as an argument, with -f FILE, or on standard input with -"),
    (["query", "SELECT 1", "-f", "x.sql"], "error: give the SQL as an argument or with -f FILE, not both"),
    (["query", "-f", "/nonexistent/x.sql"], "error: cannot read the SQL file /nonexistent/x.sql: No such file or directory"),
    (["query", "  "], "error: no SQL in the argument"),
    (["query", "SELECT 1", "--max-rows", "-1"], "compcat query: error: argument --max-rows: -1 is not 0 or more"),
    (["query", "SELECT 1", "--timeout", "soon"], "compcat query: error: argument --timeout: 'soon' is not a number"),
    (["query", "SELECT 1", "--format", "xml"], "compcat query: error: argument --format: invalid choice: 'xml' (choose from 'table', 'csv', 'tsv', 'json', 'ndjson', 'markdown')"),
    (["ingest", "--max-file-mb", "0"], "compcat ingest: error: argument --max-file-mb: 0 is not more than 0"),
    (["ingest", "--out", "/etc/passwd"], "error: /etc/passwd is a file, not a folder: the catalog is a folder (it holds catalog.duckdb and parquet/)"),
    (["ingest", "--catalog", "normalized/catalog.duckdb"],
     "error: --catalog normalized/catalog.duckdb: give the catalog's folder (ingest writes catalog.duckdb and parquet/ in it), not a .duckdb file"),
])
def test_usage_errors_are_one_line(catalog, capsys, argv, message):
    try:
        code = main(argv + (["--catalog", catalog] if argv[0] == "query" else []))
    except SystemExit as done:  # (argparse's own checks)
        code = done.code
    assert code == 2 and capsys.readouterr().err == message + "\n"


@pytest.mark.parametrize("sql, message", [
    ("SELECT * FROM competences", 'error: SQL: Catalog Error: Table with name competences does not exist! Did you mean "competencies"?'),
    ("SELECT nam FROM competencies", 'error: SQL: Binder Error: Referenced column "nam" not found in FROM clause! '
                                     'Candidate bindings: "name", "family", "notes", "vendor"'),
])
def test_sql_errors_keep_duckdbs_hints_on_one_line(catalog, capsys, sql, message):
    assert main(["query", sql, "--catalog", catalog]) == 1
    assert capsys.readouterr().err == message + "\n"


@pytest.mark.parametrize("sql, message, code", [
    ("DELETE FROM roles", 'error: SQL not allowed: Invalid Input Error: Cannot execute statement of type "DELETE" on database "catalog" which is attached in read-only mode!; '
                          "queries read the catalog and write nothing", 2),
    ("DROP TABLE roles", 'error: SQL not allowed: Invalid Input Error: Cannot execute statement of type "DROP" on database "catalog" which is attached in read-only mode!; '
                         "queries read the catalog and write nothing", 2),
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
    assert capsys.readouterr().err == "error: query stopped: it ran past 0.5 s (--timeout S sets the limit; 0 for none)\n"


def test_missing_catalog_and_unknown_format_are_usage_errors(tmp_path, capsys, monkeypatch):
    assert main(["report", "--catalog", str(tmp_path / "none.duckdb")]) == 2
    assert capsys.readouterr().err == (f"error: no catalog at {tmp_path / 'none.duckdb'}: run `make ingest` in the repository (or `compcat ingest PATH --catalog DIR`) "
                                       "first, or pass --catalog DIR or set COMPCAT_CATALOG\n")
    monkeypatch.chdir(tmp_path)  # the default, normalized/ here: the message says where that is
    monkeypatch.delenv("COMPCAT_CATALOG", raising=False)
    assert main(["query", "SELECT 1"]) == 2
    assert capsys.readouterr().err.startswith(f"error: no catalog at {tmp_path / 'normalized' / 'catalog.duckdb'}: ")
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "xml", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert capsys.readouterr().err == "compcat export: error: argument --format: invalid choice: 'xml' (choose from 'csv', 'parquet', 'xlsx', 'case')\n"


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
        assert done.value.code == 2 and capsys.readouterr().err == f"compcat ingest: error: argument --workers: {message}\n"  # one line, no usage block


def test_a_closed_pipe_is_not_an_error(catalog):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "query", "SELECT * FROM range(500000)", "--catalog", catalog],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT))
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    assert proc.wait(timeout=60) == 0 and proc.stderr.read() == b""


def test_compcat_alone_lists_its_commands_and_schema_doc_elsewhere_is_one_line(capsys, tmp_path, monkeypatch):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: compcat") and all(name in err for name in ("ingest", "report", "query", "export", "site", "schema-doc"))
    monkeypatch.chdir(tmp_path)
    assert main(["schema-doc"]) == 2
    assert capsys.readouterr().err == "error: no folder docs/ here to write docs/schema.md in: run from the repository root, or pass --out FILE\n"
