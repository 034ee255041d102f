"""Unknown headings start an unknown section (issue 25, item 4): its entries are kept apart
(category NULL, or not loaded), with a warning naming the heading, never filed under the
section before it; the sections after it read as usual. Every vendor whose pages have sections."""

from __future__ import annotations

from conftest import FIXTURES, RAW

from pipeline.parse import parse_file

TEXT = FIXTURES / "text"


def _without_ids(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "document_id"} for row in rows]


def test_salary_com_unknown_skill_section_is_kept_apart_and_the_next_section_reads_as_usual():
    # SYNTHETIC (the real text extract with a "certifications or licenses" section before its
    # soft skills): the old code filed its entries under the general skills, at ranks the
    # general skills already had, and the summary's names no longer matched.
    r = parse_file("page.txt", (FIXTURES / "synthetic" / "salary_com_unknown_section.txt").read_bytes())
    clean = parse_file("page.txt", (TEXT / "salary_com_client_service_specialist_ii.txt").read_bytes())
    assert ("unknown_section", "unknown section '3 certifications or licenses (credential competencies) for Client Service Specialist II': "
                               "its entries were loaded apart, with no category") in r.warnings
    apart = [(c["competency_name"], c["rank"], c["visibility"]) for c in r.rows["role_competencies"] if c["category"] is None]
    assert apart == [("Certified Customer Experience Professional", 1, "shown"), (None, 2, "locked")]
    known = [c for c in r.rows["role_competencies"] if c["category"] is not None]
    assert _without_ids(known) == _without_ids(clean.rows["role_competencies"])
    assert _without_ids(r.rows["role_skill_counts"]) == _without_ids(clean.rows["role_skill_counts"])
    assert "summary_mismatch" not in [c for c, _ in r.warnings]


def test_kenexa_unknown_heading_in_a_text_extract_ends_the_statements():
    # SYNTHETIC: a "Related Training Courses" heading and a line under it, inserted before the
    # real page's Interview Questions; the old code loaded both as level 4 statements.
    text = (RAW / "kenexa" / "service_excellence.txt").read_text(encoding="utf-8")
    assert "Interview Questions" in text
    drift = text.replace("Interview Questions", "Related Training Courses\n\nWidget Inspection Basics, a course of two days.\n\nInterview Questions", 1)
    r = parse_file("service_excellence.txt", drift.encode())
    clean = parse_file("service_excellence.txt", text.encode())
    assert ("unknown_section", "unknown section 'Related Training Courses': its content was not loaded") in r.warnings
    assert [b["text"] for b in r.rows["behaviors"]] == [b["text"] for b in clean.rows["behaviors"]]
    assert [q["text"] for q in r.rows.get("interview_questions", [])] == [q["text"] for q in clean.rows.get("interview_questions", [])]


def test_caliper_unknown_heading_in_a_text_extract_keeps_its_entries_out_of_the_competencies():
    # SYNTHETIC: "Development Tips" with a "Name – text" line under it, before the real extract's
    # Representative behaviors; the old code loaded "Widget inspection" as a competency.
    text = (TEXT / "caliper_client_service_specialist.txt").read_text(encoding="utf-8")
    drift = text.replace("Representative behaviors", "Development Tips\n\nWidget inspection \u2013 Reads the widget inspection handbook.\n\nRepresentative behaviors", 1)
    r = parse_file("caliper.txt", drift.encode())
    clean = parse_file("caliper.txt", text.encode())
    assert ("unknown_section", "unknown section 'Development Tips': its content was not loaded") in r.warnings
    assert [c["name"] for c in r.rows["competencies"]] == [c["name"] for c in clean.rows["competencies"]]
    assert [b["text"] for b in r.rows["role_behaviors"]] == [b["text"] for b in clean.rows["role_behaviors"]]


def test_nih_unknown_heading_among_the_bullets_of_a_text_extract_ends_them():
    # SYNTHETIC: a "Related Resources" line and a bullet under it, among the real page's Key
    # Behaviors; the old code loaded the heading and the bullet as behaviors.
    text = (FIXTURES / "real" / "nih" / "conflict-resolution.txt").read_text(encoding="utf-8")
    last = "  \u2022 Identifies the truth in criticisms."
    drift = text.replace(last, "Related Resources\n  \u2022 Widget inspection handbook.\n" + last, 1)
    r = parse_file("conflict-resolution.txt", drift.encode())
    assert ("unknown_section", "unknown section 'Related Resources' after the Key Behaviors: its content was not loaded") in r.warnings
    texts = [b["text"] for b in r.rows["behaviors"]]
    assert texts[-1] == "Facilitates the development of creative solutions to conflict."
    assert not [t for t in texts if "Widget" in t or "Related" in t]
