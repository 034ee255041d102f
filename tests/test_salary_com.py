"""Salary.com job profiles: golden rows in three formats, the partial real pages, drift."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, RAW, golden_view, load_golden, parse_path, rows_without_ids
from markup_variants import MARKUPS, render

from pipeline.parse import parse_file

SEEDS = ["client_service_specialist_ii", "top_customer_service_executive", "customer_service_manager"]
FORMATS = {
    "text": lambda s: FIXTURES / "text" / f"salary_com_{s}.txt",
    "html": lambda s: RAW / "salary_com" / f"{s}.html",
    "pdf": lambda s: FIXTURES / "pdf" / f"salary_com_{s}_print.pdf",
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_matches_golden_in_every_format(seed, fmt):
    result = parse_path(FORMATS[fmt](seed))
    assert result.format == fmt
    assert golden_view(result) == load_golden(f"salary_com_{seed}")


def rows(result, table, **where):
    return [r for r in result.rows.get(table, []) if all(r.get(k) == v for k, v in where.items())]


def test_client_service_specialist_values():
    r = parse_path(RAW / "salary_com" / "client_service_specialist_ii.html")
    (role,) = r.rows["roles"]
    assert (role["title"], role["job_code"], role["job_level"], role["education"], role["reports_to"], role["declared_skills_total"]) == (
        "Client Service Specialist II", "SM15000495", "P02", "Bachelor's Degree", "Manager or Head of a Unit/Department", 21)
    assert {(s["kind"], s["percentile"], s["amount"], s["currency"]) for s in r.rows["salaries"]} == {("base", 50, 63586.0, "USD"), ("total", 50, 66040.0, "USD")}
    ccr = rows(r, "role_competencies", competency_name="Customer Complaint Resolution")[0]
    assert (ccr["category"], ccr["rank"], ccr["required_level"], ccr["required_level_normalized"], ccr["displayed_level"], ccr["visibility"]) == ("general", 1, 2, 25.0, None, "shown")
    # Placeholders: the level they show is a teaser equal to their rank, never a requirement.
    placeholders = [x for x in r.rows["role_competencies"] if x["visibility"] != "shown"]
    assert [(x["category"], x["rank"], x["displayed_level"], x["required_level"]) for x in placeholders] == [
        ("general", 3, 3, None), ("general", 4, 4, None), ("general", 5, 5, None), ("soft", 3, 3, None), ("soft", 4, 4, None), ("soft", 5, 5, None)]
    named = [(x["category"], x["rank"], x["competency_name"], x["visibility"]) for x in placeholders if x["competency_name"]]
    assert named == [("general", 3, "Customer Interaction", "named_in_summary"), ("soft", 3, "Customer Focus", "named_in_summary")]
    assert {(c["category"], c["declared"], c["extracted"]) for c in r.rows["role_skill_counts"]} == {("general", 11, 3), ("soft", 10, 3), ("hard", 0, 0)}
    levels = rows(r, "competency_levels", competency_id="salary_com:customer-escalation-management")
    assert [(lv["level"], lv["label"], lv["behaviors_hidden"]) for lv in levels] == [
        (1, "General Familiarity", 4), (2, "Light Experience", 4), (3, "Moderate Experience", 4), (4, "Extensive Experience", 4), (5, "Mastery", 4)]
    assert rows(r, "behaviors", competency_id="salary_com:standard-operating-procedures-sop", level=4)[0]["text"] == "Leverages the use of SOPs to solve business and operation problems."


def test_partial_page_with_hard_skills_loads_what_it_has():
    r = parse_path(RAW / "salary_com" / "software_engineer_ii.txt")
    assert r.status == "partial"
    assert [c for c, _ in r.warnings] == ["truncated_text", "truncated"]
    assert "'Supports user resea'" in r.warnings[0][1]
    assert r.warnings[1][1] == "page stops part-way (saved before it finished loading); missing: Summary of skills and competencies"
    (rc,) = r.rows["role_competencies"]
    assert (rc["competency_name"], rc["category"], rc["rank"], rc["required_level"]) == ("Application Design", "hard", 1, 2)
    assert r.rows["role_skill_counts"] == [{"role_id": "salary_com:software-engineer-ii", "category": "hard", "declared": 8, "extracted": 1, "document_id": r.document_id}]
    # Level 2 was cut mid-sentence: its label is loaded, the cut behavior is not.
    assert [(b["level"], b["text"]) for b in r.rows["behaviors"]] == [(1, "Explains the key steps on how to design an aesthetically pleasing mobile or web application.")]
    assert [(lv["level"], lv["label"], lv["behaviors_hidden"]) for lv in r.rows["competency_levels"]] == [(1, "General Familiarity", 4), (2, "Light Experience", None)]


def test_partial_page_with_header_and_salary_only():
    r = parse_path(RAW / "salary_com" / "network_administrator_i.txt")
    assert r.status == "partial"
    assert r.warnings == [("truncated", "page stops part-way (saved before it finished loading); missing: skill sections, Summary of skills and competencies")]
    (role,) = r.rows["roles"]
    assert (role["job_code"], role["job_level"], role["reports_to"], role["declared_skills_total"]) == ("IT10000275", "P01", "Supervisor or Manager", None)
    assert sorted(s["amount"] for s in r.rows["salaries"]) == [69902.0, 71335.0]
    assert "role_competencies" not in r.rows and "role_skill_counts" not in r.rows


def test_partial_page_cut_inside_first_behavior():
    r = parse_path(RAW / "salary_com" / "database_administrator_i.txt")
    assert r.status == "partial"
    (comp,) = r.rows["competencies"]
    assert comp["name"] == "Data Architecture" and comp["definition"].startswith("Designing, and implementing policies")
    assert "behaviors" not in r.rows  # 'Follows the' is a cut fragment, not a behavior
    assert r.rows["role_skill_counts"][0]["declared"] == 13


# -- drift: variants of a real page, made in the test by editing its text ---------------------

SEED_TEXT = (FIXTURES / "text" / "salary_com_client_service_specialist_ii.txt").read_text(encoding="utf-8")


def parse_text(text: str):
    return parse_file("variant.txt", text.encode("utf-8"))


def test_missing_salary_section_is_reported():
    start, end = SEED_TEXT.index("Client Service Specialist II SALARY RANGE"), SEED_TEXT.index("Client Service Specialist II Skills and Competencies List")
    r = parse_text(SEED_TEXT[:start] + SEED_TEXT[end:])
    assert r.status == "partial"
    assert ("missing_section", "page has no SALARY RANGE section") in r.warnings
    assert "salaries" not in r.rows and r.rows["roles"][0]["job_code"] is None


def test_unknown_new_section_is_reported_not_absorbed():
    text = SEED_TEXT.replace("Client Service Specialist II Skills and Competencies List", "Career Path for Client Service Specialist II\nNext step: Client Service Team Lead\n\nClient Service Specialist II Skills and Competencies List")
    r = parse_text(text)
    assert ("unrecognized_text", "2 line(s) not recognized as part of a Salary.com profile, e.g. 'Career Path for Client Service Specialist II'; 'Next step: Client Service Team Lead'") in r.warnings
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]


def test_label_and_value_on_one_line():
    text = SEED_TEXT.replace("Job Code\nSM15000495", "Job Code: SM15000495").replace("BASE 50%\n$63,586", "BASE 50% $63,586")
    r = parse_text(text)
    assert r.rows["roles"][0]["job_code"] == "SM15000495"
    assert ("base", 63586.0) in {(s["kind"], s["amount"]) for s in r.rows["salaries"]}


def test_renamed_entry_label_is_read_and_reported():
    r = parse_text(SEED_TEXT.replace("1 Job Family Competencies – Customer Complaint Resolution", "1 Functional Skill – Customer Complaint Resolution"))
    assert ("unknown_label", "entry '1 Functional Skill – Customer Complaint Resolution' has an unknown label 'Functional Skill'; read 'Customer Complaint Resolution' as its name") in r.warnings
    assert r.rows["role_competencies"][0]["competency_name"] == "Customer Complaint Resolution"


def test_summary_that_disagrees_with_the_list_recovers_no_names():
    r = parse_text(SEED_TEXT.replace("Client Service Specialist II, Customer Complaint Resolution, Customer Escalation", "Client Service Specialist II, Customer Escalation Management, Customer Complaint"))
    assert any(code == "summary_mismatch" for code, _ in r.warnings)
    general = [x for x in r.rows["role_competencies"] if x["category"] == "general"]
    assert [x["visibility"] for x in general] == ["shown", "shown", "locked", "locked", "locked"]


def test_labels_with_their_values_on_the_next_line():
    """Markup that puts a label and its value in separate elements (other saves of the page)."""
    text = (SEED_TEXT.replace("Proficiency Level -2\nSkill definition-Determining", "Proficiency Level\n2\nSkill definition\nDetermining", 1)
            .replace("Proficiency Level -3\nSkill definition-A set", "Proficiency Level: 3\nSkill definition: A set", 1))
    r = parse_text(text)
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]
    assert r.warnings == []


def test_level_labels_without_their_parentheses():
    """Labels a page draws in parentheses with CSS lose them in a saved DOM or a copied text."""
    import re

    text = re.sub(r"\n\((General Familiarity|Light Experience|Moderate Experience)\)\n", r"\n\1\n", SEED_TEXT)  # on their own line
    text = re.sub(r"Behaviors\n\((Extensive Experience|Mastery)\)\n", r"Behaviors - \1\n", text)  # after a dash on the level's line
    assert "(Mastery)" not in text and "Level 5 Behaviors - Mastery" in text and "\nGeneral Familiarity\n" in text
    r = parse_text(text)
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]
    assert r.warnings == []


def test_entries_without_their_rank_numbers_take_their_place_in_the_list():
    """An ordered list or a CSS counter draws the rank: it is not in a saved DOM or copied text."""
    import re

    text = re.sub(r"(?m)^\d{1,2} (?=(Job Family|Core|Industry) Competenc|Client Service Specialist II - |Skill and Competency - |Competency for - )", "", SEED_TEXT)
    assert "\nJob Family Competencies – Customer Complaint Resolution\n" in text and "\nClient Service Specialist II - Skill and Competency\n" in text
    r = parse_text(text)
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]
    assert r.warnings == []
    # A behavior that mentions the title and skills, with a dash, is not a placeholder.
    r = parse_text(SEED_TEXT.replace("Keeps abreast of industry regulation", "Client Service Specialist II - skilled staff keep abreast of industry regulation"))
    assert golden_view(r)["rows"]["role_competencies"] == load_golden("salary_com_client_service_specialist_ii")["rows"]["role_competencies"]


def test_links_to_more_behaviors_in_other_wording():
    text = SEED_TEXT.replace("See 4 More Skill Behaviors", "Show 4 more behaviors", 3).replace("See 4 More Skill Behaviors", "View 4 More Skill Behaviours \u203a", 2)
    assert text.count("Show 4 more behaviors") == 3 and text.count("View 4 More Skill Behaviours \u203a") == 2
    r = parse_text(text)
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]


def test_page_cut_after_a_fixed_line_keeps_what_the_line_says():
    # "See 4 More Skill Behaviors" and "Proficiency Level -2" cannot be cut short and still match: they are loaded.
    first = SEED_TEXT.index("See 4 More Skill Behaviors") + len("See 4 More Skill Behaviors")
    r = parse_text(SEED_TEXT[:first])
    assert r.rows["competency_levels"] == [{"competency_id": "salary_com:customer-complaint-resolution", "level": 1, "label": "General Familiarity",
                                            "behaviors_hidden": 4}]
    assert not any(code == "truncated_text" for code, _ in r.warnings)
    second = SEED_TEXT.index("Proficiency Level -2") + len("Proficiency Level -2")
    r = parse_text(SEED_TEXT[:second])
    assert [(x["competency_name"], x["required_level"]) for x in r.rows["role_competencies"]] == [("Customer Complaint Resolution", 2)]


def test_behaviors_the_more_link_hides_but_the_saved_page_holds_are_loaded():
    # A page whose "See 4 More" link only unhides a list already in the saved DOM: the four are
    # loaded, and behaviors_hidden still says what the link says.
    hidden = "\n".join(f"SYNTHETIC hidden behavior {n}." for n in range(1, 5))
    text = SEED_TEXT.replace("See 4 More Skill Behaviors\nLevel 2 Behaviors", f"See 4 More Skill Behaviors\n{hidden}\nLevel 2 Behaviors", 1)
    r = parse_text(text)
    first = [b["text"] for b in r.rows["behaviors"] if b["competency_id"] == "salary_com:customer-complaint-resolution" and b["level"] == 1]
    assert first[1:] == [f"SYNTHETIC hidden behavior {n}." for n in range(1, 5)] and len(first) == 5
    levels = {(x["competency_id"], x["level"]): x["behaviors_hidden"] for x in r.rows["competency_levels"]}
    assert levels[("salary_com:customer-complaint-resolution", 1)] == 4
    assert r.warnings == []


@pytest.mark.parametrize("control", ["See Less", "Show less", "See Less Skill Behaviors", "Hide Skill Behaviors"])
def test_a_page_saved_with_a_list_opened_loads_its_behaviors_and_not_the_control(control):
    # The analyst clicked "See 4 More" before saving: the four are in the page, and the link
    # became one that closes the list again.
    hidden = "\n".join(f"SYNTHETIC shown behavior {n}." for n in range(1, 5))
    text = SEED_TEXT.replace("See 4 More Skill Behaviors\nLevel 2 Behaviors", f"{hidden}\n{control}\nLevel 2 Behaviors", 1)
    r = parse_text(text)
    first = [b["text"] for b in r.rows["behaviors"] if b["competency_id"] == "salary_com:customer-complaint-resolution" and b["level"] == 1]
    assert first == ["Identifies the importance of showing empathy in handling customer complaints.",
                     *(f"SYNTHETIC shown behavior {n}." for n in range(1, 5))]
    assert r.warnings == []
    # Cut right after the control: what it follows is whole.
    cut = parse_text(text[:text.index(control) + len(control)])
    assert [b["text"] for b in cut.rows["behaviors"]][-1] == "SYNTHETIC shown behavior 4."
    assert [code for code, _ in cut.warnings] == ["truncated"]


def test_text_extract_with_tabs_and_runs_of_spaces():
    """Copied from a browser, table cells come as tabs and layout as runs of spaces."""
    text = (SEED_TEXT.replace("Proficiency Level -", "Proficiency  Level\t-").replace("Job Code\nSM15000495", "Job Code\tSM15000495")
            .replace("Level 1 Behaviors", "Level  1 Behaviors").replace("BASE 50%\n$63,586", "BASE\t50%\t$63,586"))
    r = parse_text(text)
    assert golden_view(r)["rows"] == load_golden("salary_com_client_service_specialist_ii")["rows"]
    assert r.warnings == []


def test_a_missing_definition_is_not_taken_from_the_next_part_of_the_page():
    text = SEED_TEXT.replace("Skill definition-Determining and investigating root causes of customer complaints to create prompt resolutions and deliver a high-quality service experience.\n",
                             "Skill definition\n", 1)
    assert text != SEED_TEXT
    r = parse_text(text)
    (comp,) = [c for c in r.rows["competencies"] if c["name"] == "Customer Complaint Resolution"]
    assert comp["definition"] is None
    assert ("missing_field", "Customer Complaint Resolution: no definition") in r.warnings


def test_every_header_word_carries_a_hint_the_fast_path_checks_first():
    # _headerish rules a line out when it has none of the hints; a header word without one
    # would never be recognized again.
    from pipeline.vendors.salary_com import text as salary_com_text

    assert all(any(h in w for h in salary_com_text._HEADER_HINTS) for w in salary_com_text._HEADER_WORDS)
    assert salary_com_text.headerish("Security Analyst Senior SALARY RANGE")
    assert not salary_com_text.headerish("Designs process design activities to meet level 4 expectations.")


def test_page_cut_inside_the_closing_summary_is_partial_and_invents_no_skill():
    text = (FIXTURES / "text" / "salary_com_client_service_specialist_ii.txt").read_text(encoding="utf-8")
    cut = text[: text.index("Customer Escalation Management, Customer Int") + len("Customer Escalation Management, Customer Int")]
    r = parse_file("cut.txt", cut.encode("utf-8"))
    assert r.status == "partial"
    assert r.warnings[-2:] == [
        ("truncated_text", "the page stops mid-text; its last line '11 general skills for Client Service Specialist II, Customer Complaint "
                           "Resolution, Customer Escalation Management, Customer Int' is cut off and was not loaded"),
        ("truncated", "page stops part-way (saved before it finished loading); missing: the rest of the Summary of skills and competencies")]
    names = {c["name"] for c in r.rows["competencies"]}
    assert "Customer Int" not in names and "Customer Interaction" not in names  # named only by the cut summary line
    assert {row["visibility"] for row in r.rows["role_competencies"] if row["category"] == "general" and row["rank"] >= 3} == {"locked"}
    assert r.rows["roles"][0]["declared_skills_total"] is None  # its line was never reached


def test_whole_closing_summary_without_the_pages_closing_line_is_complete():
    text = (FIXTURES / "text" / "salary_com_client_service_specialist_ii.txt").read_text(encoding="utf-8")
    whole = parse_file("whole.txt", text.encode("utf-8"))
    r = parse_file("no_footer.txt", text[: text.index("It's Easy to Get Started")].encode("utf-8"))

    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))
    # The summary's last sentence cut short: not complete, and its phrases are not trusted.
    r = parse_file("cut.txt", text[: text.index("and be skilled in Customer Focus.") + len("and be skilled in Cust")].encode("utf-8"))
    assert r.status == "partial" and r.warnings[-1][0] == "truncated"
    assert r.rows["roles"][0]["declared_skills_total"] == 21


@pytest.mark.parametrize("markup", sorted(MARKUPS))
@pytest.mark.parametrize("fixture", ["client_service_specialist_ii", "customer_service_manager", "top_customer_service_executive"])
def test_the_same_page_in_other_markup_gives_the_same_rows(fixture, markup):
    text = (FIXTURES / "text" / f"salary_com_{fixture}.txt").read_text(encoding="utf-8")
    as_text, as_html = parse_file("page.txt", text.encode("utf-8")), parse_file("page.html", render(text, markup))


    assert (as_html.status, as_html.warnings) == (as_text.status, as_text.warnings)
    assert rows_without_ids(as_html) == rows_without_ids(as_text)


def test_page_saved_before_it_finished_loading_is_partial_though_its_html_is_closed():
    # A browser saving a page that is still loading writes the DOM it has, closing tags and all.
    html = (RAW / "salary_com" / "customer_service_manager.html").read_text(encoding="utf-8")
    cut = html[: html.index("Forecasts call volumes") + len("Forecasts call vol")] + "</li></ul></div></main></body></html>"
    r = parse_file("saved_early.html", cut.encode("utf-8"))
    assert r.status == "partial"
    assert r.warnings == [("truncated_text", "the page stops mid-text; its last line 'Forecasts call vol' is cut off and was not loaded"),
                          ("truncated", "page stops part-way (saved before it finished loading); missing: Summary of skills and competencies")]
    assert not any(b["text"].startswith("Forecasts call vol") for b in r.rows["behaviors"])


# Real Salary.com titles that start with a field label or a salary word: the page's headings
# naming the role ("Education Coordinator Skills and Competencies List") are headings, not the
# label's value.
@pytest.mark.parametrize("title", ["Education Coordinator", "Job Developer", "Total Rewards Manager", "Base Operations Manager",
                                   "Summary Writer", "Education/Training Manager"])
def test_a_title_starting_with_a_field_label_reads_like_any_other(title):
    original = "Client Service Specialist II"
    whole = parse_text(SEED_TEXT)
    r = parse_text(SEED_TEXT.replace(original, title))
    assert (r.status, r.title, r.warnings) == (whole.status, title, whole.warnings)
    (role,) = r.rows["roles"]
    assert (role["education"], role["job_code"], role["job_level"], role["reports_to"]) == (
        "Bachelor's Degree", "SM15000495", "P02", "Manager or Head of a Unit/Department")
    renamed = {t: [{k: v for k, v in row.items() if k not in ("document_id", "role_id", "title")} for row in rows]
               for t, rows in rows_without_ids(r).items()}
    expected = {t: [{k: v for k, v in row.items() if k not in ("document_id", "role_id", "title")} for row in rows]
                for t, rows in rows_without_ids(whole).items()}
    assert renamed == expected


def test_a_section_heading_in_the_singular_opens_its_section():
    # A section of one skill may read "1 hard skill or competency"; as a line of the section
    # before it, it was taken for a locked placeholder (it names the role and a skill word).
    text = SEED_TEXT.replace("10 soft skills or competencies (core competencies)", "10 soft skill or competency (core competency)")
    assert text != SEED_TEXT
    whole, r = parse_text(SEED_TEXT), parse_text(text)
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))


@pytest.mark.parametrize("behavior", ["Reports to senior management on complaint trends.", "Education programs on complaint handling are attended."])
def test_a_behavior_starting_like_a_field_label_stays_a_behavior(behavior):
    # The salary block's labels were matched anywhere: the behavior overwrote the role's field
    # ("reports_to": "senior management on complaint trends.") and was lost, the page still 'ok'.
    original = "Responds to unexpected customer requests and resolves complaints positively."
    r = parse_text(SEED_TEXT.replace(original, behavior))
    whole = parse_text(SEED_TEXT)
    assert (r.status, r.warnings, rows_without_ids(r)["roles"]) == (whole.status, whole.warnings, rows_without_ids(whole)["roles"])
    assert [b["text"] for b in r.rows["behaviors"] if b["competency_id"] == "salary_com:customer-complaint-resolution" and b["level"] == 2] == [behavior]


def test_a_label_out_of_place_is_reported_and_takes_no_value():
    # A bare "Job Code" among the behaviors, and a "Reports To" whose value is missing before
    # the skill sections: neither takes the next line (a behavior, a section heading) as its value.
    text = SEED_TEXT.replace("Responds to unexpected customer requests and resolves complaints positively.\n",
                             "Responds to unexpected customer requests and resolves complaints positively.\nJob Code\n")
    text = text.replace("Reports To\nManager or Head of a Unit/Department\n", "Reports To\n")
    text = text[:text.index("Client Service Specialist II Skills and Competencies List")] + text[text.index("11 general skills"):]
    r = parse_text(text)
    (role,) = r.rows["roles"]
    assert (role["job_code"], role["reports_to"]) == ("SM15000495", None)
    assert ("unrecognized_text", "1 line(s) not recognized as part of a Salary.com profile, e.g. 'Job Code'") in r.warnings
    assert ("missing_field", "page gives no reports_to") in r.warnings
    assert {(c["category"], c["declared"], c["extracted"]) for c in r.rows["role_skill_counts"]} == {("general", 11, 3), ("soft", 10, 3), ("hard", 0, 0)}


# Titles that start with digits or a field label, or hold a dash of their own, in the markups
# that drop the entries' rank (ordered lists) or glue it to the entry (adjacent elements): the
# locked placeholders naming the role ("3911 Dispatcher - Skill and Competency") are entries.
@pytest.mark.parametrize("markup", ["ordered_lists", "adjacent_elements", "headings_and_lists"])
@pytest.mark.parametrize("title", ["911 Dispatcher", "3D Animator", "Teacher - K-12", "Education Coordinator"])
def test_titles_of_every_shape_in_other_markup_give_the_same_rows(title, markup):
    text = SEED_TEXT.replace("Client Service Specialist II", title)
    as_text, as_html = parse_file("page.txt", text.encode("utf-8")), parse_file("page.html", render(text, markup))
    assert (as_html.status, as_html.warnings) == (as_text.status, as_text.warnings) == ("ok", [])
    assert rows_without_ids(as_html) == rows_without_ids(as_text)
    assert [(x["rank"], x["visibility"]) for x in as_html.rows["role_competencies"] if x["category"] == "general"] == [
        (1, "shown"), (2, "shown"), (3, "named_in_summary"), (4, "locked"), (5, "locked")]


def test_a_block_with_a_heading_of_its_own_inside_the_skill_list_is_not_loaded():
    # A promotion or related-jobs box put between a level's behaviors and the next level: its
    # heading ends the level (its lines were loaded as behaviors); they are reported instead.
    from markup_variants import _headings_and_lists

    lines = [line.strip() for line in SEED_TEXT.splitlines() if line.strip()]
    body = _headings_and_lists(lines)
    at = next(i for i, part in enumerate(body) if "Level 3 Behaviors" in part) + 4  # after that level's "See 4 More" link
    assert "See 4 More" in body[at - 1]
    box = "<aside><h2>Related Jobs</h2><ul><li>Client Service Specialist II Salary</li><li>Customer Service Representative I</li></ul></aside>"
    page = "<html><head><title>x</title></head><body>" + "".join(body[:at] + [box] + body[at:]) + "</body></html>"
    whole, r = parse_text(SEED_TEXT), parse_file("page.html", page.encode("utf-8"))
    assert rows_without_ids(r) == rows_without_ids(whole)
    assert r.warnings == whole.warnings + [("unrecognized_text", "3 line(s) not recognized as part of a Salary.com profile, e.g. "
                                            "'Related Jobs'; 'Client Service Specialist II Salary'; 'Customer Service Representative I'")]


@pytest.mark.parametrize("separator", [": ", " | ", " ", ""])
def test_entry_labels_with_other_separators_or_none(separator):
    # A colon or a bar, or the dash drawn by CSS (a space or nothing in the text): every entry
    # had been lost, the page still 'ok'.
    text = SEED_TEXT.replace("Job Family Competencies \u2013 ", "Job Family Competencies" + separator).replace("Core Competencies \u2013 ", "Core Competencies" + separator)
    assert text != SEED_TEXT
    whole, r = parse_text(SEED_TEXT), parse_text(text)
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))


def test_a_section_none_of_whose_entries_can_be_read_makes_the_page_partial():
    start, end = SEED_TEXT.index("11 general skills or competencies"), SEED_TEXT.index("10 soft skills or competencies")
    general = SEED_TEXT[start:end]
    # Its two entries in a form no parser knows, its three locked placeholders left out.
    unreadable = "\n".join(line.replace("Job Family Competencies \u2013 ", "Job Family Competencies ~ ") for line in general.splitlines()
                           if "Skill and Competency" not in line and "Competency for" not in line and not line.startswith("Proficiency Level - "))
    r = parse_text(SEED_TEXT[:start] + unreadable + "\n" + SEED_TEXT[end:])
    assert r.status == "partial"
    assert ("missing_section", "the general skills section declares 11 skills but none of its entries could be read") in r.warnings
    # What is known of the section comes from the closing summary, which names its first three.
    assert [(x["rank"], x["competency_name"], x["visibility"]) for x in r.rows["role_competencies"] if x["category"] == "general"] == [
        (1, "Customer Complaint Resolution", "named_in_summary"), (2, "Customer Escalation Management", "named_in_summary"),
        (3, "Customer Interaction", "named_in_summary")]


@pytest.mark.parametrize("variant", [
    (r"(Level \d Behaviors)\n", r"\1:\n"),                                 # "Level 1 Behaviors:" (a ':' was loaded as a behavior)
    (r"(Level \d Behaviors)\n", r"\1 -\n"),
    (r"(Level \d Behaviors)\n\((.+?)\)\n", r"\1 (\2):\n"),                 # "Level 1 Behaviors (General Familiarity):"
    (r"Level (\d) Behaviors\n\((.+?)\)\n", r"Level \1 - \2\n"),             # "Level 1 - General Familiarity" (behaviors were lost)
    (r"Level (\d) Behaviors\n\((.+?)\)\n", r"\2 (Level \1)\n"),             # "General Familiarity (Level 1)"
    (r"Proficiency Level -", "Required Proficiency Level - "),             # (required levels were lost)
    (r"Skill definition-", "Definition: "),                                # (definitions were lost)
], ids=["behaviors-colon", "behaviors-dash", "label-colon", "level-dash-label", "label-level", "required-level", "definition"])
def test_other_wordings_of_an_entrys_lines(variant):
    import re

    text = re.sub(variant[0], variant[1], SEED_TEXT)
    assert text != SEED_TEXT
    whole, r = parse_text(SEED_TEXT), parse_text(text)
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))


def test_profiles_saved_together_load_each_and_a_link_named_like_a_title_is_no_profile():
    # After the first profile's closing line the others were left out without a word.
    texts = [(FIXTURES / "text" / f"salary_com_{s}.txt").read_text(encoding="utf-8") for s in SEEDS]
    alone = [parse_text(t) for t in texts]
    together = parse_file("profiles.txt", "\n\n".join(texts).encode("utf-8"))
    expected: dict[str, list] = {}
    for r in alone:
        for table, rows in rows_without_ids(r).items():
            expected.setdefault(table, []).extend(rows)
    assert rows_without_ids(together) == expected
    assert (together.status, together.warnings) == ("ok", [("several_job_profiles", "the file holds 3 job profiles, each loaded: Client Service "
                                                             "Specialist II, Top Customer Service Executive, Customer Service Manager")])
    # A related-jobs list after the closing line, its links worded like titles: one profile.
    linked = parse_text(texts[0] + "\nRelated jobs\nSkills & Competencies for Accountant I\nSkills & Competencies for Teller\n")
    assert rows_without_ids(linked) == rows_without_ids(alone[0]) and linked.warnings == alone[0].warnings


@pytest.mark.parametrize("wording", ["they need to", "he/she needs to"])
def test_the_closing_sentence_in_other_wordings_still_shows_the_summary_whole(wording):
    # Without the page's closing line, the summary's last sentence shows it is whole; in
    # another wording it was not recognized and the page was taken for cut ('partial').
    text = SEED_TEXT[:SEED_TEXT.index("It's Easy to Get Started")]
    whole, r = parse_text(text), parse_text(text.replace("he or she needs to", wording))
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole)) == ("ok", [], rows_without_ids(whole))


@pytest.mark.parametrize("line", ["3 Unlock this skill", "3 Sign in to view this skill"])
def test_an_entry_at_the_next_rank_in_no_known_form_is_a_locked_entry_not_a_behavior(line):
    # It was loaded as a behavior of the entry before, the page 'ok' without a word.
    text = SEED_TEXT.replace("3 Client Service Specialist II - Skill and Competency", line, 1)
    whole, r = parse_text(SEED_TEXT), parse_text(text)
    assert not any(line in b["text"] for b in r.rows["behaviors"])
    assert rows_without_ids(r)["role_competencies"] == rows_without_ids(whole)["role_competencies"]
    assert r.warnings == [("unreadable_entry", f"entry {line!r} at rank 3 of the general skills is in no known form; its name was not read")]


def test_a_summary_saying_there_are_no_skills_of_a_category():
    # "There are no hard skills for ..." was not read: the summary then lacked a category and a
    # page without its closing line was taken for cut.
    text = SEED_TEXT[:SEED_TEXT.index("It's Easy to Get Started")]
    whole, r = parse_text(text), parse_text(text.replace("There are 0 hard skills for", "There are no hard skills for"))
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))
    assert {(c["category"], c["declared"]) for c in r.rows["role_skill_counts"]} >= {("hard", 0)}


def test_a_total_of_one_distinct_skill_is_read():
    text = SEED_TEXT.replace("While the list totals 21 distinct skills", "While the list totals 1 distinct skill")
    assert text != SEED_TEXT
    assert parse_text(text).rows["roles"][0]["declared_skills_total"] == 1


@pytest.mark.parametrize("given, loaded, warning", [
    ("BASE 50%\n$63,586/yr", 63586.0, None),
    ("BASE 50%: $63,586 per year", 63586.0, None),
    ("BASE 50%\n$30.57/hr", None, "the base salary at the 50th percentile is given per hour ($30.57): not loaded (the catalog's salaries are per year)"),
    ("BASE 50%\n$30.57 an hour", None, "the base salary at the 50th percentile is given per hour ($30.57): not loaded (the catalog's salaries are per year)"),
    ("BASE 50%\n$5,299 monthly", None, "the base salary at the 50th percentile is given per month ($5,299): not loaded (the catalog's salaries are per year)"),
    ("BASE 50%\n$30.57", None, "the base salary at the 50th percentile is given as $30.57 with no period, too small for a yearly amount: "
                               "not loaded (the catalog's salaries are per year)"),
], ids=["per-year", "per-year-same-line", "hourly", "an-hour", "monthly", "bare-hourly-amount"])
def test_a_salary_not_given_per_year_is_reported_not_loaded_as_one(given, loaded, warning):
    # (synthetic amounts in the seed page's salary block: the catalog's salaries are per year)
    r = parse_file("page.txt", SEED_TEXT.replace("BASE 50%\n$63,586", given).encode("utf-8"))
    base = [s["amount"] for s in r.rows["salaries"] if s["kind"] == "base"]
    assert base == ([loaded] if loaded else [])
    assert [s["amount"] for s in r.rows["salaries"] if s["kind"] == "total"] == [66040.0]
    assert r.status == "ok"
    assert r.warnings == ([("salary_not_yearly", warning)] if warning else [])


def test_levels_outside_the_scale_are_reported_not_loaded():
    # (synthetic: a required level 7 and a "Level 6 Behaviors" block on the seed page; the scale is 1-5)
    page = SEED_TEXT.replace("Proficiency Level -2", "Proficiency Level -7", 1).replace("Level 5 Behaviors", "Level 6 Behaviors", 1)
    r = parse_file("page.txt", page.encode("utf-8"))
    clean = parse_file("page.txt", SEED_TEXT.encode("utf-8"))
    first = clean.rows["role_competencies"][0]["competency_name"]
    assert [x["required_level"] for x in r.rows["role_competencies"]][0] is None
    first_id = clean.rows["role_competencies"][0]["competency_id"]
    assert [x["level"] for x in r.rows["competency_levels"] if x["competency_id"] == first_id] == [1, 2, 3, 4]  # (5 is given as 6)
    assert [x["level"] for x in clean.rows["competency_levels"] if x["competency_id"] == first_id] == [1, 2, 3, 4, 5]
    assert r.warnings == [
        ("out_of_scale", f"entry 'Job Family Competencies \u2013 {first}': proficiency level 7 is outside the Salary.com scale (1-5): not loaded"),
        ("out_of_scale", f"{first}: level 6 is outside the Salary.com scale (1-5): its behaviors were not loaded"),
        ("missing_field", f"{first}: no required level, level 5 behaviors")]
