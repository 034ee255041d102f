"""Exports: tables and views as CSV / Parquet, the views as an Excel workbook, and CASE 1.1
packages valid against the official 1EdTech schema that read back into the same catalog."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import uuid
from pathlib import Path

import duckdb
import jsonschema
import pyarrow.parquet as pq
import pytest
from case_package import load_packages
from conftest import FIXTURES, RAW
from openpyxl import load_workbook

from pipeline import workbook
from pipeline.cli import main
from pipeline.export import export
from pipeline.schema import TABLES
from pipeline.views import VIEWS

OFFICIAL_SCHEMA = FIXTURES / "case" / "case-v1p1-cfpackage-schema.json"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 0
    return str(out / "catalog.duckdb")


@pytest.fixture(scope="module")
def con(catalog):
    connection = duckdb.connect(catalog, read_only=True)
    yield connection
    connection.close()


def _query(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# -- CSV and Parquet: tables and views ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_hold_every_table_and_view(catalog, con, tmp_path, fmt):
    assert main(["export", "--format", fmt, "--out", str(tmp_path), "--catalog", catalog]) == 0
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted([t.name for t in TABLES] + [v.name for v in VIEWS])
    for view in ("role_summary", "competency_requirements", "competency_crosswalk"):
        want = con.execute(f"SELECT * FROM {view} ORDER BY ALL").fetchall()  # files are written in that order
        if fmt == "parquet":
            got = [tuple(r.values()) for r in pq.read_table(tmp_path / f"{view}.parquet").to_pylist()]
        else:  # CSV: compare as text, as a reader of the file sees it
            with open(tmp_path / f"{view}.csv", newline="", encoding="utf-8") as fh:
                got = [tuple(r) for r in list(csv.reader(fh))[1:]]
            want = [tuple("" if v is None else str(v) for v in r) for r in want]
        assert got == want and len(got) > 0, view
    # (an exact row's score is its similarity, as every row's: the names make it exact, not the score)
    crosswalk = _query(con, "SELECT * FROM competency_crosswalk WHERE left_competency_id = 'kenexa:service-excellence' AND relation = 'exact'")
    assert crosswalk == [{"left_vendor": "kenexa", "left_competency_id": "kenexa:service-excellence", "left_name": "Service Excellence",
                          "relation": "exact", "right_vendor": "salary_com", "right_competency_id": "salary_com:service-excellence",
                          "right_name": "Service Excellence", "score": 0.5566, "method": "minilm-name-definition-behaviors/3"}]
    unnamed = _query(con, "SELECT right_name FROM competency_crosswalk WHERE right_competency_id = 'kenexa:unnamed-1856d8dbafc6'")
    assert unnamed and all(r["right_name"] is None for r in unnamed)  # (its page gives no name: none is made up)


# -- the Excel workbook ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["export", "--format", "xlsx", "--out", str(out), "--catalog", catalog]) == 0
    assert printed.getvalue() == f"wrote {out / 'catalog.xlsx'}\n"  # the one file, named
    assert [p.name for p in out.iterdir()] == ["catalog.xlsx"]
    return load_workbook(out / "catalog.xlsx")


def test_the_workbook_has_a_sheet_per_view_the_analysts_first(book):
    assert book.sheetnames == ["role_summary", "competency_requirements", "competency_crosswalk", "esco_pivot", "role_history",
                               "roles_current", "role_competencies_current", "competency_links", "vendor_match_coverage", "coverage", "vendor_coverage", "about"]
    assert book.active.title == "role_summary"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title  # the header row stays in view
        assert all(c.font.b for c in sheet[1]), sheet.title
    about = [tuple(c.value for c in row) for row in book["about"].iter_rows(min_row=2)]
    assert ("role_summary", "base_salary_p50", "base salary, 50th percentile (per year)") in about


def _cell_value(value):
    return _Instant(value) if isinstance(value, dt.datetime) else value


class _Instant:
    """A time as a workbook keeps it: to the millisecond (a day's fraction in a float), so equal
    to the catalog's within one millisecond, whichever way the rounding went."""

    def __init__(self, value: dt.datetime):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, _Instant) and abs(self.value - other.value) <= dt.timedelta(milliseconds=1)

    def __repr__(self):
        return repr(self.value)


@pytest.mark.parametrize("view", [v.name for v in VIEWS])
def test_every_sheet_holds_its_view(book, con, view):
    sheet = book[view]
    cur = con.execute(f"SELECT * FROM {view} ORDER BY ALL")
    want = [tuple(_cell_value(v) for v in r) for r in cur.fetchall()]
    rows = [tuple(_cell_value(c.value) for c in row) for row in sheet.iter_rows()]
    assert rows[0] == tuple(d[0] for d in cur.description)
    assert rows[1:] == want and len(want) > 0
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(rows[0])).column_letter}{len(rows)}"


def test_numbers_are_formatted_by_what_they_hold_and_columns_fit(book, con):
    summary = book["role_summary"]
    header = {c.value: c.column_letter for c in summary[1]}
    row = next(r for r in range(2, summary.max_row + 1) if summary[f"{header['role_id']}{r}"].value == "salary_com:customer-service-manager")
    assert summary[f"{header['base_salary_p50']}{row}"].value == 100228.0
    assert summary[f"{header['base_salary_p50']}{row}"].number_format == "#,##0"
    assert summary[f"{header['mean_required_level_normalized']}{row}"].number_format == "0.0"
    assert summary[f"{header['shown']}{row}"].number_format == "0"
    assert int(summary.column_dimensions[header["vendor"]].width) == len("salary_com") + 2  # (Excel adds its cell padding)
    assert int(summary.column_dimensions[header["document_id"]].width) == 60  # 64 hex digits: capped
    assert int(summary.column_dimensions[header["base_salary_p50"]].width) == len("base_salary_p50") + 2
    crosswalk = book["competency_crosswalk"]
    assert {c.number_format for c in next(crosswalk.iter_cols(min_col=8, max_col=8, min_row=2))} == {"0.000"}  # score
    share = book["vendor_match_coverage"]
    assert {c.number_format for c in next(share.iter_cols(min_col=5, max_col=5, min_row=2))} == {"0.0%"}  # share_matched
    history = book["role_history"]
    assert {c.number_format for c in next(history.iter_cols(min_col=6, max_col=6, min_row=2))} == {"yyyy-mm-dd hh:mm:ss"}


def test_text_stays_text_in_the_workbook(catalog, tmp_path):
    # Names and behaviors come from vendor pages: one starting with '=' must not become a formula, nor a URL a link.
    con = _catalog_with(catalog, tmp_path, """
        UPDATE competencies SET name = '=HYPERLINK("http://example.com/x","click")' WHERE competency_id = 'caliper:accountability';
    """)
    export(con, "xlsx", tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / "catalog.xlsx")["competency_crosswalk"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2) if row[1].value == "caliper:accountability"]
    assert cells and all(c.value == '=HYPERLINK("http://example.com/x","click")' and c.data_type == "s" for c in cells)
    assert all(c.hyperlink is None for row in load_workbook(tmp_path / "out" / "catalog.xlsx")["esco_pivot"].iter_rows() for c in row)


def test_a_view_too_long_for_a_sheet_fails_the_workbook_and_writes_nothing(con, tmp_path, monkeypatch):
    count = con.execute("SELECT count(*) FROM competency_requirements").fetchone()[0]
    monkeypatch.setattr(workbook, "EXCEL_MAX_ROWS", count)  # one row short of its rows and header
    with pytest.raises(ValueError) as failed:
        export(con, "xlsx", tmp_path)
    assert str(failed.value) == f"the view competency_requirements has {count} rows, more than an Excel sheet holds ({count - 1}): export it as csv or parquet"
    assert list(tmp_path.iterdir()) == []


# -- CASE 1.1 -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_dir(catalog, tmp_path_factory):
    out = tmp_path_factory.mktemp("case")
    assert main(["export", "--format", "case", "--out", str(out), "--catalog", catalog]) == 0
    return out


def _validator():
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Competencies and Academic Standards Exchange (CASE) Service Version 1.1 1EdTech Final Release")
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert not checker.conforms("not a uri", "uri") and not checker.conforms("2026-12-04 10:00", "date-time")  # formats are checked
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def test_every_package_is_valid_against_the_official_case_1_1_schema(case_dir, con):
    validator = _validator()
    vendors = [v for (v,) in con.execute("SELECT DISTINCT vendor FROM competencies ORDER BY 1").fetchall()]
    assert sorted(p.stem for p in case_dir.glob("*.json")) == vendors
    for vendor in vendors:
        package = json.loads((case_dir / f"{vendor}.json").read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(package)] == [], vendor


def test_titles_are_the_vendors_names_and_identifiers_are_stable(case_dir):
    package = json.loads((case_dir / "salary_com.json").read_text(encoding="utf-8"))
    assert (package["CFDocument"]["creator"], package["CFDocument"]["title"], package["CFDocument"]["caseVersion"]) == \
        ("Salary.com", "Salary.com competencies", "1.1")
    assert package["CFRubrics"][0]["title"] == "Salary.com proficiency levels and behaviors"
    sop = next(i for i in package["CFItems"] if i.get("humanCodingScheme") == "salary_com:standard-operating-procedures-sop")
    assert sop["abbreviatedStatement"] == "Standard Operating Procedures (SOP)"
    # UUIDv5 of the competency id in the project's namespace: the identifier of earlier exports too.
    assert sop["identifier"] == str(uuid.uuid5(uuid.UUID("5b7d2f0e-3c1a-4a8e-9a57-0c0a7e5c0a11"), "CFItem:salary_com:standard-operating-procedures-sop"))
    assert sop["uri"] == f"urn:uuid:{sop['identifier']}"


def test_the_items_form_a_tree_framework_group_competency(case_dir, con):
    for path in case_dir.glob("*.json"):
        package = json.loads(path.read_text(encoding="utf-8"))
        document = package["CFDocument"]["identifier"]
        parents = {a["originNodeURI"]["identifier"]: a["destinationNodeURI"]["identifier"] for a in package["CFAssociations"]
                   if a["associationType"] == "isChildOf"}
        siblings: dict[str, list[int]] = {}
        for a in package["CFAssociations"]:
            if a["associationType"] == "isChildOf":
                siblings.setdefault(a["destinationNodeURI"]["identifier"], []).append(a["sequenceNumber"])
        assert all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in siblings.values()), path.name  # an order among siblings
        for item in package["CFItems"]:  # no orphan: every item reaches the framework, a group in one step, a competency in one or two
            steps, node = 0, item["identifier"]
            while node != document:
                node, steps = parents[node], steps + 1
            assert steps == (1 if item["CFItemType"] != "Competency" else 2 if parents[item["identifier"]] != document else 1), item
    back = load_packages(sorted(case_dir.glob("*.json")))
    item = {c: uuid.uuid5(uuid.UUID("5b7d2f0e-3c1a-4a8e-9a57-0c0a7e5c0a11"), f"CFItem:{c}") for c in back["competencies"]}
    parent = {c: back["parent"][str(item[c])] for c in back["competencies"]}
    assert parent["caliper:accountability"] == "Self-Management"  # Caliper's family
    assert parent["salary_com:standard-operating-procedures-sop"] == "Soft skills"  # Salary.com's category
    assert parent["kenexa:unnamed-1856d8dbafc6"] == "Management and Leadership Competencies"  # Kenexa's group
    assert parent["nih:federal-budget-process"] == "NIH competencies"  # neither: the framework
    assert back["parent"][str(uuid.uuid5(uuid.UUID("5b7d2f0e-3c1a-4a8e-9a57-0c0a7e5c0a11"), "CFItem:salary_com:Skill Category:Soft skills"))] == \
        "Salary.com competencies"


def test_packages_read_back_into_the_same_catalog(case_dir, con):
    back = load_packages(sorted(case_dir.glob("*.json")))
    assert back["competencies"] == {r.pop("competency_id"): r for r in _query(con, "SELECT competency_id, vendor, name, definition, notes FROM competencies")}
    assert back["levels"] == {(c, lv): (label, hidden) for c, lv, label, hidden in con.execute("SELECT * FROM competency_levels").fetchall()}
    behaviors: dict = {}
    for c, lv, text in con.execute("SELECT competency_id, level, text FROM behaviors ORDER BY competency_id, level, document_id, seq").fetchall():
        behaviors.setdefault((c, lv), []).append(text)
    assert back["behaviors"] == behaviors and (("nih:federal-budget-process", None) in behaviors)
    assert back["links"] == {(left, right): rel for left, right, rel in con.execute(
        "SELECT left_competency_id, right_competency_id, relation FROM competency_matches").fetchall()}
    assert back["esco"] == {(c, rank): (uri, rel) for c, rank, uri, rel in con.execute(
        "SELECT competency_id, rank, esco_uri, relation FROM competency_esco").fetchall()}
    assert back["behaviors"][("salary_com:standard-operating-procedures-sop", 4)] == [
        "Leverages the use of SOPs to solve business and operation problems.",
        "Coaches others on the implementation of SOP to reduce errors and improve quality."]


def test_a_crosswalk_link_is_one_association_in_both_packages(case_dir, con):
    kenexa, salary = (json.loads((case_dir / f"{v}.json").read_text(encoding="utf-8")) for v in ("kenexa", "salary_com"))
    shared = [a for a in kenexa["CFAssociations"] if a["associationType"] != "isChildOf" and a in salary["CFAssociations"]]
    assert len(shared) == con.execute("SELECT count(*) FROM competency_matches WHERE left_competency_id LIKE 'kenexa:%' "
                                      "AND right_competency_id LIKE 'salary_com:%'").fetchone()[0]
    exact = next(a for a in shared if a["originNodeURI"]["title"] == "Service Excellence" and a["associationType"] == "exactMatchOf")
    assert exact["destinationNodeURI"]["title"] == "Service Excellence"
    assert exact["notes"] == "Kenexa's Service Excellence is the same as Salary.com's Service Excellence (crosswalk: exact, score 0.56, minilm-name-definition-behaviors/3)"
    packages = [json.loads(p.read_text(encoding="utf-8")) for p in case_dir.glob("*.json")]
    competency_items = {i["identifier"] for p in packages for i in p["CFItems"] if i["CFItemType"] == "Competency"}
    every = [a["identifier"] for p in packages for a in p["CFAssociations"]
             if a["associationType"] != "isChildOf" and {a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]} <= competency_items]
    assert len(set(every)) == con.execute("SELECT count(*) FROM competency_matches").fetchone()[0]  # importing every package: each link once
    assert len(every) == 2 * len(set(every))  # in the packages of both its ends


def test_esco_anchors_are_associations_to_the_concept_uri_in_their_direction(case_dir, con):
    caliper = json.loads((case_dir / "caliper.json").read_text(encoding="utf-8"))
    to_esco = [a for a in caliper["CFAssociations"] if "ext:ESCO" in (a["originNodeURI"].get("targetType"), a["destinationNodeURI"].get("targetType"))]
    assert len(to_esco) == con.execute("SELECT count(*) FROM competency_esco WHERE competency_id LIKE 'caliper:%'").fetchone()[0]
    uri, label = con.execute("SELECT esco_uri, preferred_label FROM competency_esco JOIN esco_concepts USING (esco_uri) "
                             "WHERE competency_id = 'caliper:adaptability' AND rank = 1 AND relation = 'narrow'").fetchone()
    narrower = next(a for a in to_esco if a["originNodeURI"]["uri"] == uri)  # the ESCO skill is narrower: it is part of the competency
    assert narrower["associationType"] == "isPartOf" and narrower["destinationNodeURI"]["title"] == "Adaptability"
    assert narrower["originNodeURI"] == {"title": label, "identifier": uri.rsplit("/", 1)[1], "uri": uri, "targetType": "ext:ESCO"}
    assert narrower["sequenceNumber"] == 1


def _catalog_with(catalog: str, tmp_path: Path, sql: str) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / "catalog.duckdb"
    shutil.copyfile(Path(catalog).resolve(), copy)
    con = duckdb.connect(str(copy))
    con.execute(sql)
    return con


def test_broad_and_narrow_keep_their_direction(catalog, tmp_path):
    # The catalog of raw/ has no broad or narrow match: two of its matches made so.
    con = _catalog_with(catalog, tmp_path, """
        UPDATE competency_matches SET relation = 'broad' WHERE left_competency_id = 'caliper:service-focus' AND right_competency_id = 'kenexa:customer-service-management';
        UPDATE competency_matches SET relation = 'narrow' WHERE left_competency_id = 'kenexa:customer-interaction' AND right_competency_id = 'salary_com:customer-relations';
        UPDATE competency_esco SET relation = 'broad' WHERE competency_id = 'kenexa:unnamed-1856d8dbafc6' AND rank = 1;
    """)
    out = tmp_path / "case"
    export(con, "case", out)
    kenexa = json.loads((out / "kenexa.json").read_text(encoding="utf-8"))
    part_of = {(a["originNodeURI"]["title"], a["destinationNodeURI"]["title"]) for a in kenexa["CFAssociations"] if a["associationType"] == "isPartOf"}
    assert part_of == {
        ("Service focus", "Customer Service Management"),  # broad: the right one (Kenexa's) is broader; the narrower is the origin
        ("Customer Relations", "Customer Interaction"),  # narrow: the right one (Salary.com's) is narrower
        ("kenexa:unnamed-1856d8dbafc6", "maintain work standards"),  # the ESCO concept is broader (a competency without a name titled by its id)
    }
    back = load_packages(sorted(out.glob("*.json")))
    assert back["links"][("caliper:service-focus", "kenexa:customer-service-management")] == "broad"
    assert back["links"][("kenexa:customer-interaction", "salary_com:customer-relations")] == "narrow"
    assert back["esco"][("kenexa:unnamed-1856d8dbafc6", 1)][1] == "broad"
    validator = _validator()
    assert [e.message for p in out.glob("*.json") for e in validator.iter_errors(json.loads(p.read_text(encoding="utf-8")))] == []
