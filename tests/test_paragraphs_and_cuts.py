"""Paragraphs, statements and a page's last line (issue 25, item 3): paragraphs end where the
page ends them; statements are not split at an abbreviation; a last line is dropped as cut
only when it is not a complete unit (a known heading, a sentence with its end)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from pipeline.parse import parse_file
from pipeline.vendors.common import split_sentences

REAL = FIXTURES / "real"


def _parse(path):
    return parse_file(path.name, path.read_bytes())


def test_a_real_summary_followed_by_a_paragraph_with_no_heading_is_one_paragraph():
    # Real page (Benefits Manager): no JOB RESPONSIBILITIES heading between the summary and the
    # responsibilities paragraph; the old code loaded both as the summary.
    r = _parse(REAL / "salary_com" / "benefits-manager.txt")
    (role,) = r.rows["roles"]
    assert (role["summary"], role["responsibilities"]) == ("Develops, implements, administers, and maintains benefits programs, policies, and procedures.", None)
    assert ("unrecognized_text", "a paragraph after the job summary, with no heading before it, was not loaded: "
                                 "'Ensures programs are equitable, meet employee needs, comply with legal requireme'") in r.warnings


def test_a_summary_without_the_responsibilities_heading_does_not_swallow_their_paragraph():
    # SYNTHETIC (the real Paralegal II page without its JOB RESPONSIBILITIES heading): the old
    # code appended the responsibilities paragraph to the summary.
    r = _parse(FIXTURES / "synthetic" / "salary_com_no_responsibilities_heading.txt")
    (role,) = r.rows["roles"]
    assert (role["summary"], role["responsibilities"]) == (
        "Assists and supports attorneys with research and document preparation for court proceedings and legal transactions.", None)
    assert ("unrecognized_text", "a paragraph after the job summary, with no heading before it, was not loaded: "
                                 "'Utilizes a variety of sources such as statutes, recorded judicial decisions, leg'") in r.warnings


def test_a_summary_broken_mid_sentence_across_lines_is_one_paragraph():
    # SYNTHETIC: a hard-wrapped summary; its second line goes on with the sentence.
    text = (REAL / "salary_com" / "paralegal-ii__head.txt").read_text(encoding="utf-8").replace(
        "research and document preparation for", "research and document preparation\nfor")
    (role,) = parse_file("page.txt", text.encode()).rows["roles"]
    assert role["summary"] == "Assists and supports attorneys with research and document preparation for court proceedings and legal transactions."


@pytest.mark.parametrize(("page", "level", "statement"), [
    ("employee-health-and-safety.txt", 3, "Evaluates environment vs. OSHA and industry-specific health and safety guidelines."),
    ("candidate-sourcing.txt", 1, "Identifies common channels (e.g. Internet and recruitment agencies) for sourcing candidates."),
])
def test_a_statement_with_an_abbreviation_is_one_behavior(page, level, statement):
    # Real pages: the old code split these at "vs." and "e.g." into two behaviors each.
    r = _parse(REAL / "kenexa" / page)
    texts = [b["text"] for b in r.rows["behaviors"] if b["level"] == level]
    assert statement in texts
    assert not [t for t in texts if t.endswith(("vs.", "e.g."))]


def test_sentence_splitting_knows_common_abbreviations():
    assert split_sentences("Uses tools, e.g. Excel, i.e. spreadsheets, etc. Works with U.S. agencies vs. Acme Inc. Suppliers and Dr. Smith.") == [
        "Uses tools, e.g. Excel, i.e. spreadsheets, etc. Works with U.S. agencies vs. Acme Inc. Suppliers and Dr. Smith."]
    assert split_sentences("Identifies needs. Plans the work. Reports to J. Smith.") == ["Identifies needs.", "Plans the work.", "Reports to J. Smith."]


def test_a_page_cut_right_after_a_whole_section_heading_keeps_it_and_its_count():
    # Real page: it stops right after "10 general skills or competencies (Job family
    # competencies) for Paralegal II"; the old code dropped that line as cut, and the count with it.
    r = _parse(REAL / "salary_com" / "paralegal-ii__head.txt")
    assert [(c["category"], c["declared"], c["extracted"]) for c in r.rows["role_skill_counts"]] == [("general", 10, 0)]
    assert r.warnings == [("truncated", "page stops part-way (saved before it finished loading); missing: Summary of skills and competencies")]


def test_a_heading_naming_another_title_at_the_end_is_still_cut():
    # SYNTHETIC: "... for Paralegal I" on the Paralegal II page may be "... for Paralegal II" cut short.
    text = (REAL / "salary_com" / "paralegal-ii__head.txt").read_text(encoding="utf-8").rstrip().removesuffix("I")
    r = parse_file("page.txt", text.encode())
    assert r.warnings[0] == ("truncated_text", "the page stops mid-text; its last line '10 general skills or competencies (Job family competencies) "
                                               "for Paralegal I' is cut off and was not loaded")
    assert "role_skill_counts" not in r.rows


def test_a_kenexa_page_cut_after_a_whole_level_heading_keeps_the_level():
    # SYNTHETIC cut of a real page right after "Proficiency Level 2 - Working experience".
    text = (REAL / "kenexa" / "candidate-sourcing.txt").read_text(encoding="utf-8")
    text = text[:text.index("Proficiency Level 2 - Working experience") + len("Proficiency Level 2 - Working experience")]
    r = parse_file("candidate-sourcing.txt", text.encode())
    assert [(lv["level"], lv["label"]) for lv in r.rows["competency_levels"]] == [(1, "Basic understanding"), (2, "Working experience")]
    assert "truncated_text" not in [c for c, _ in r.warnings]


def test_a_caliper_text_cut_after_a_section_heading_keeps_it():
    # SYNTHETIC cut of the real text extract right after its "Representative behaviors" heading.
    text = (FIXTURES / "text" / "caliper_client_service_specialist.txt").read_text(encoding="utf-8")
    text = text[:text.index("Representative behaviors") + len("Representative behaviors")]
    r = parse_file("caliper.txt", text.encode())
    assert [c for c, _ in r.warnings] == ["truncated"]
    assert r.warnings[0][1] == "page stops part-way (saved before it finished loading); missing: Representative behaviors, JOB MODEL chart"


def test_a_page_cut_inside_an_abbreviation_does_not_load_its_last_line():
    """REAL (tests/fixtures/real/kenexa/written-communications.txt, cut by the page store at 2,000
    bytes inside "e.g."): "Monitors developments in writing, e." ends with a period but in the
    middle of an abbreviation; it was loaded as a sixth level-4 behavior."""
    from pipeline.parse import parse_file

    page = FIXTURES / "real" / "kenexa" / "written-communications.txt"
    res = parse_file(str(page), page.read_bytes())
    level_4 = [b["text"] for b in res.rows["behaviors"] if b["level"] == 4]
    assert len(level_4) == 5 and level_4[-1].startswith("Writes reports, articles, or books")
    assert ("truncated_text", "the page stops mid-text; its last line 'Monitors developments in writing, e.' is cut off and was not loaded") in res.warnings
