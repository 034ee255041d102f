"""Adding a vendor takes one parser module and one registry line: the NIH format was added
that way, and a made-up fifth format is added here the same way, with nothing else changed."""

from __future__ import annotations

import importlib.util

import duckdb
from conftest import FIXTURES, RAW, golden_view, load_golden, parse_path, rows_without_ids

from pipeline import vendors
from pipeline.cli import main


def test_nih_page_matches_golden():
    assert golden_view(parse_path(RAW / "nih" / "federal_budget_process.txt")) == load_golden("nih_federal_budget_process")


def test_nih_html_page():
    r = parse_path(FIXTURES / "synthetic" / "nih_written_communication.html")
    assert (r.vendor, r.status, r.title) == ("nih", "ok", "Written Communication")
    assert [(b["level"], b["text"]) for b in r.rows["behaviors"]] == [
        (None, "Organizes information logically before writing"), (None, "Adapts tone and vocabulary to the reader"), (None, "Reviews drafts for accuracy and clarity.")]


def test_nih_page_without_its_closing_line_is_partial():
    text = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    from pipeline.parse import parse_file

    r = parse_file("cut.txt", text[: text.index("Developmental")].encode())
    assert r.status == "partial"
    assert r.warnings == [("truncated", "page stops part-way (no closing 'Developmental opportunities' line); missing: the rest of the Key Behaviors")]
    whole = parse_file("whole.txt", text.encode())
    assert [b["text"] for b in r.rows["behaviors"]] == [b["text"] for b in whole.rows["behaviors"]]  # the last one ends like a sentence: whole
    assert r.rows["behaviors"][-1]["text"] == "Possesses knowledge of Federal proprietary/accrual and budgetary accounting."

    # Cut inside a behavior: it is not loaded, and the warning quotes it.
    r = parse_file("cut.txt", text[: text.index("current laws") + 7].encode())
    assert [b["text"] for b in r.rows["behaviors"]] == ["Understands the hierarchy of financial authority within the Federal Government"]
    assert r.warnings[0] == ("truncated_text", "the page stops mid-text; its last line 'Possesses knowledge of current' is cut off and was not loaded")

    # Cut right after a bullet: nothing is loaded for it.
    r = parse_file("cut.txt", text[: text.index("Possesses knowledge of current") - 1].encode())
    assert [b["text"] for b in r.rows["behaviors"]] == ["Understands the hierarchy of financial authority within the Federal Government"]


def test_whole_nih_html_page_without_its_closing_line_is_partial():
    from pipeline.parse import parse_file

    html = (FIXTURES / "synthetic" / "nih_written_communication.html").read_text(encoding="utf-8")
    start = html.index("<p>Developmental")
    r = parse_file("whole.html", (html[:start] + html[html.index("</p>", start) + 4:]).encode())
    assert r.status == "partial"
    assert r.warnings == [("missing_section", "no closing 'Developmental opportunities' line: the page may have been saved before it finished loading")]
    assert [b["text"] for b in r.rows["behaviors"]] == [
        "Organizes information logically before writing", "Adapts tone and vocabulary to the reader", "Reviews drafts for accuracy and clarity."]


def test_a_new_vendor_needs_only_its_package_and_a_registry_line(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURES / "synthetic"))
    toy = importlib.import_module("toy_vendor")  # a package of its own, like pipeline/vendors/<vendor>/
    monkeypatch.setattr(vendors, "PARSERS", vendors.PARSERS + (toy,))  # the registry line
    out = tmp_path / "out"
    assert main(["ingest", str(FIXTURES / "synthetic" / "toy_vendor_page.txt"), str(RAW / "nih"), "--out", str(out), "--quiet"]) == 0
    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT vendor, name, definition FROM competencies ORDER BY 1, 2").fetchall() == [
        ("nih", "Federal Budget Process", "Understands and complies with the Federal Budget process, including budget formulation, presentation and execution."),
        ("toy", "Juggling", "Keeps three objects in the air. SYNTHETIC."), ("toy", "Whistling", "Produces a tune. SYNTHETIC.")]
    assert con.execute("SELECT vendor, level, label FROM scale_levels WHERE vendor = 'toy' ORDER BY level").fetchall() == [
        ("toy", 1, "Learning"), ("toy", 2, "Doing"), ("toy", 3, "Teaching")]


def test_rows_that_break_the_schema_fail_the_document_with_what_is_wrong():
    from pipeline.parse import _invalid_rows

    good = {"role_id": "v:r", "vendor": "salary_com", "title": "R", "document_id": None}
    assert _invalid_rows({"roles": [good, dict(good)]}) is None
    assert _invalid_rows({"roles": [good, {**good, "colour": "red"}]}) == "roles has unknown columns ['colour']"
    assert _invalid_rows({"roles": [good, {**good, "title": None}]}) == "roles.title is NULL"
    assert _invalid_rows({"roles": [good, {k: v for k, v in good.items() if k != "title"}]}) == "roles.title is NULL"
    assert _invalid_rows({"roles": [good, {**good, "vendor": "acme"}]}).startswith("roles.vendor = 'acme' is not one of (")


def test_nih_page_printed_to_pdf_gives_the_rows_of_its_text():
    as_text = parse_path(RAW / "nih" / "federal_budget_process.txt")
    as_pdf = parse_path(FIXTURES / "pdf" / "nih_federal_budget_process_print.pdf")  # a browser print of the page (tools/render_documents.py)
    assert (as_pdf.format, as_pdf.vendor, as_pdf.status, as_pdf.warnings) == ("pdf", "nih", "ok", [])


    assert rows_without_ids(as_pdf) == rows_without_ids(as_text)
    assert as_pdf.rows["competencies"][0]["name"] == "Federal Budget Process"
    assert as_pdf.rows["behaviors"][4]["text"] == ("Presents the financial planning/budgeting process and/or financial model to a variety of "
                                                   "audiences (i.e. co-workers, new employees, Congress)")  # wrapped across two PDF lines


def test_ids_are_the_same_whichever_apostrophe_or_accent_a_page_typed():
    from pipeline.ids import competency_id, role_id

    assert competency_id("kenexa", "Customer\u2019s Needs") == competency_id("kenexa", "Customer's Needs") == "kenexa:customers-needs"
    assert role_id("salary_com", "Caf\u00e9 Manager & Host") == role_id("salary_com", "Cafe Manager and Host") == "salary_com:cafe-manager-and-host"
