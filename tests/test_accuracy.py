"""Fact-level accuracy on the real pages as text, against the goldens written by hand from their
text (tests/fixtures/real/goldens/; tools/accuracy.py, `make accuracy` for text and HTML)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import accuracy  # noqa: E402

# Right facts as measured when the goldens were written: a change that loses one fails here.
RIGHT_FLOORS = {"caliper": 1, "kenexa": 479, "nih": 134, "salary_com": 280}


def _text_results():
    return accuracy.measure(("text",))


def test_real_pages_as_text_keep_their_right_facts():
    results = _text_results()
    right = {vendor: by_format["text"]["right"] for vendor, by_format in results.items()}
    assert {v: n for v, n in right.items() if n < RIGHT_FLOORS[v]} == {}, right


def test_no_value_is_invented_on_the_real_pages():
    # (pages whose text shows no competency name were once named after their file: the names
    # of 9 Kenexa pages were invented)
    invented = [d for r in _text_results().values() for d in r["text"]["details"] if d["kind"] == "invented"]
    assert invented == []


def test_a_value_where_the_golden_has_null_or_no_key_is_invented_and_a_prefix_definition_right():
    golden = {"status": "partial", "role": {"title": "Paralegal I", "job_code": None},
              "competencies": [{"name": None, "definition": "Assists in", "behaviors": {"1": 1}}]}
    view = {"status": "partial", "role": {"title": "Paralegal I", "job_code": "Bachelor's Degree", "education": "Attorney"}, "declared": {},
            "competencies": [{"name": "Made Up", "definition": "Assists in research.", "category": None, "required_level": None,
                              "behaviors": {"1": 1, "2": 1}, "labels": {}, "interview_questions": 0},
                             {"name": "Extra", "definition": None, "category": None, "required_level": None,
                              "behaviors": {}, "labels": {}, "interview_questions": 0}]}
    tally = accuracy.Tally()
    accuracy.score_page(tally, "p.txt", golden, view)
    kinds = {(d["field"], d["kind"]) for d in tally.details}
    assert kinds == {("role.job_code", "invented"), ("role.education", "invented"), ("Assists in.name", "invented"),
                     ("Assists in.behaviors[2]", "invented"), ("competency", "invented")}
    assert tally.counts["right"] == 4  # status, title, definition, behaviors[1]
    assert tally.counts["facts"] == 6  # status, title, job_code, name, definition, behaviors[1]


def test_real_pages_as_html_in_site_furniture_invent_nothing():
    """The same pages rendered as HTML: a page without its name heading, inside a site's skip link,
    official-site banner (its explanation hidden), cookie notice, header and breadcrumb, loads its
    name as NULL and its own definition, never a line of the furniture (the site's name or a hidden
    banner sentence were taken for 14 NIH and 9 Kenexa names and definitions)."""
    results = accuracy.measure(("html",))
    invented = [(v, d["page"], d["field"]) for v, r in results.items() for d in r["html"].get("details", []) if d["kind"] == "invented"]
    assert invented == []
    right = {v: r["html"].get("right") for v, r in results.items()}
    assert right["nih"] >= 136 and right["kenexa"] >= 479, right
