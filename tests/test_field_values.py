"""Salary.com fields validated by their form (issue 25, item 2): a job code, a job level, an
education, a salary, a person or role for "reports to". A label whose value is missing or
malformed gives NULL and an `invalid_value` warning; the next label or value is never taken."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from markup_variants import render

from pipeline.parse import parse_file
from pipeline.vendors.salary_com.text import field_of_value

REAL = FIXTURES / "real" / "salary_com" / "paralegal-ii__head.txt"
SYNTHETIC = FIXTURES / "synthetic"


def _fields(result) -> tuple:
    (role,) = result.rows["roles"]
    return role["job_code"], role["job_level"], role["education"], role["reports_to"]


def test_the_real_page_gives_each_field_its_value():
    r = parse_file(REAL.name, REAL.read_bytes())
    assert _fields(r) == ("LE11000004", "P02", "Bachelor's Degree", "Attorney")
    assert not [w for w in r.warnings if w[0] == "invalid_value"]


def test_a_real_page_with_empty_values_loads_none_of_the_next_labels_values():
    # Real page (Benefits Manager): its salary, job level, job code and reports-to values are
    # empty, and the Education/Degree label is missing. The old code loaded the education's
    # value, "Bachelor's Degree", as the job code.
    path = FIXTURES / "real" / "salary_com" / "benefits-manager.txt"
    r = parse_file(path.name, path.read_bytes())
    assert _fields(r) == (None, None, None, None)
    assert "salaries" not in r.rows
    assert [m for c, m in r.warnings if c == "invalid_value"] == [
        "BASE 50% has no value (the next line, 'Job Level', is not a salary): left NULL",
        "Job Level has no value (the next line, 'Job Code', is not a job level): left NULL",
        "Job Code has no value (the next line, \"Bachelor's Degree\", is not a job code): left NULL",
        "Reports To has no value (the next line, 'Benefits Manager Skills and Competencies List', is not a person or role): left NULL",
    ]


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_a_missing_job_code_is_null_and_never_the_next_fields_value(fmt):
    # SYNTHETIC (the real page with the job code's value and the Education/Degree label removed):
    # the education's value follows "Job Code". The old code loaded it as the job code.
    text = (SYNTHETIC / "salary_com_job_code_missing.txt").read_text(encoding="utf-8")
    data = text.encode() if fmt == "text" else render(text, "table_fields")
    r = parse_file(f"page.{'txt' if fmt == 'text' else 'html'}", data)
    assert _fields(r) == (None, "P02", None, "Attorney")
    assert ("invalid_value", "Job Code has no value (the next line, \"Bachelor's Degree\", is not a job code): left NULL") in r.warnings


def test_a_malformed_value_is_null_with_a_warning():
    # SYNTHETIC (the real page with its job level given as "N/A"): the old code loaded "N/A".
    r = parse_file("page.txt", (SYNTHETIC / "salary_com_job_level_na.txt").read_bytes())
    assert _fields(r) == ("LE11000004", None, "Bachelor's Degree", "Attorney")
    assert ("invalid_value", "Job Level has no value ('N/A' is not a job level): left NULL") in r.warnings


def test_a_value_on_the_labels_line_is_checked_too():
    # SYNTHETIC: "Reports To: Bachelor's Degree" (an education where a person or role goes).
    text = REAL.read_text(encoding="utf-8").replace("Reports To\nAttorney", "Reports To: Bachelor's Degree")
    r = parse_file("page.txt", text.encode())
    assert _fields(r) == ("LE11000004", "P02", "Bachelor's Degree", None)
    assert ("invalid_value", "Reports To has no value (\"Bachelor's Degree\" is not a person or role): left NULL") in r.warnings


def test_a_salary_label_without_its_amount_is_reported_and_the_next_amount_is_the_next_labels():
    # SYNTHETIC: the base salary's amount removed; the old code dropped it without a word.
    text = REAL.read_text(encoding="utf-8").replace("BASE 50%\n$78,678\n", "BASE 50%\n")
    r = parse_file("page.txt", text.encode())
    assert [(s["kind"], s["amount"]) for s in r.rows["salaries"]] == [("total", 82098.0)]
    assert ("invalid_value", "BASE 50% has no value (the next line, 'TOTAL 50%', is not a salary): left NULL") in r.warnings


def test_a_label_at_the_end_of_a_cut_page_has_no_value():
    text = REAL.read_text(encoding="utf-8")
    r = parse_file("page.txt", text[:text.index("Attorney")].encode())
    assert _fields(r)[3] is None
    assert ("invalid_value", "Reports To has no value (the page stops after it): left NULL") in r.warnings


@pytest.mark.parametrize(("value", "field"), [
    ("SM15000495", "job_code"), ("LE11000004", "job_code"), ("P02", "job_level"), ("M05", "job_level"),
    ("Bachelor's Degree", "education"), ("High School Diploma or equivalent", "education"), ("$78,678", "salary"),
    ("Attorney", "reports_to"), ("Manager or Head of a Unit/Department", "reports_to"),
    ("N/A", None), ("--", None), ("Assists attorneys with research.", None),
])
def test_each_form_is_data(value, field):
    assert field_of_value(value) == field
