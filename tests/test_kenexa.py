"""Kenexa competency dictionary pages: the seed as HTML, text and PDF print, page variations, partial pages."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, RAW, golden_view, load_golden, parse_path, rows_without_ids

from pipeline.ids import unnamed_competency_id
from pipeline.parse import parse_file

SEED = {"text": FIXTURES / "text" / "kenexa_customer_service_management.txt", "html": RAW / "kenexa" / "customer_service_management.html",
        "pdf": FIXTURES / "pdf" / "kenexa_customer_service_management_print.pdf"}  # a browser print of the page (tools/render_documents.py)
SYNTHETIC = FIXTURES / "synthetic"


@pytest.mark.parametrize("fmt", SEED)
def test_seed_matches_golden(fmt):
    result = parse_path(SEED[fmt])
    assert result.format == fmt
    assert golden_view(result) == load_golden("kenexa_customer_service_management")


@pytest.mark.parametrize("fmt", SEED)
def test_seed_values(fmt):
    r = parse_path(SEED[fmt])
    (comp,) = r.rows["competencies"]
    assert comp["name"] == "Customer Service Management" and r.title_source == "heading"
    assert comp["definition"] == ("Knowledge of and ability to utilize tools and techniques for maintaining an environment where all understand, "
                                  "and are committed to, providing excellent service to internal and external customers.")
    per_level = [sum(1 for b in r.rows["behaviors"] if b["level"] == n) for n in (1, 2, 3, 4)]
    assert per_level == [4, 5, 6, 6]
    assert [lv["label"] for lv in r.rows["competency_levels"]] == ["Basic understanding", "Working experience", "Extensive experience", "Subject matter depth and breadth"]
    assert [q["text"] for q in r.rows["interview_questions"]][1] == "Tell me how your last organization tracked customer related issues."
    assert len(r.rows["interview_questions"]) == 4
    assert "related_titles" not in r.rows  # an empty titles list is a valid page
    assert r.status == "ok" and r.warnings == []


def test_bullets_footnote_marker_group_line_and_titles():
    r = parse_path(SYNTHETIC / "kenexa_bullets_footnote_group.html")
    (comp,) = r.rows["competencies"]
    assert (comp["name"], comp["family"]) == ("Advocacy", "Management and Leadership Competencies")
    assert r.rows["competency_aliases"][0]["raw_name"] == "Advocacy*"
    assert [(b["level"], b["text"]) for b in r.rows["behaviors"]][:2] == [(1, "Describes the needs of the group one represents."), (1, "Explains why advocacy matters to the group.")]
    assert [t["title"] for t in r.rows["related_titles"]] == ["Assistant Director, Student Affairs", "Ombudsperson"]
    assert {t["relation"] for t in r.rows["related_titles"]} == {"shared_competency"}
    assert r.status == "ok"


def test_statements_without_separators_and_no_interview_questions():
    r = parse_path(SYNTHETIC / "kenexa_no_separators_no_questions.txt")
    assert [(b["level"], b["text"]) for b in r.rows["behaviors"] if b["level"] == 1] == [
        (1, "Describes the parts of a unit budget."), (1, "Explains the budget calendar."), (1, "Identifies the sources of a unit's funds.")]
    assert "interview_questions" not in r.rows
    assert r.status == "ok" and r.warnings == []
    assert r.rows["competencies"][0]["name"] == "Budget Planning"


def test_extra_paragraph_is_kept_as_a_note_not_as_definition():
    r = parse_path(SYNTHETIC / "kenexa_extra_paragraph.txt")
    (comp,) = r.rows["competencies"]
    assert comp["definition"].endswith("dispose of records as policy requires.")
    assert comp["notes"] == "Records schedules differ by department; see the retention policy for details."
    assert r.warnings == [("extra_text", "1 paragraph(s) between the definition and the behavior statements were kept as notes")]


def test_name_from_html_title_when_heading_is_missing():
    r = parse_path(SYNTHETIC / "kenexa_title_only_name.html")
    assert (r.title, r.title_source) == ("Conflict Resolution", "html_title")


NO_NAME_LINE = ("missing_section", "no competency name in the page's text or title (a copy without the name line): "
                                   "the competency is loaded without a name")


def test_real_page_without_a_name_line_loads_a_null_name_not_its_file_name():
    # (it was loaded as "Accountability", a name made from the file name)
    r = parse_path(RAW / "kenexa" / "accountability.txt")
    assert (r.status, r.title, r.title_source) == ("partial", None, None)
    (comp,) = r.rows["competencies"]
    assert (comp["competency_id"], comp["name"]) == ("kenexa:unnamed-1856d8dbafc6", None)
    assert comp["definition"].startswith("The ability to create a culture based on clear standards")
    assert comp["family"] == "Management and Leadership Competencies"
    assert [sum(1 for b in r.rows["behaviors"] if b["level"] == n) for n in (1, 2, 3, 4)] == [4, 5, 6, 6]
    assert {b["competency_id"] for b in r.rows["behaviors"]} == {row["competency_id"] for row in r.rows["competency_levels"]} == {comp["competency_id"]}
    assert [q["text"] for q in r.rows["interview_questions"]] == ["What are some of the techniques you use to manage multiple commitments?"]
    assert r.warnings == [NO_NAME_LINE, ("truncated", "page stops part-way (saved before it finished loading); missing: Titles with Shared Competencies")]


def test_an_unnamed_competency_has_the_same_id_whatever_its_file_is_called():
    text = (RAW / "kenexa" / "accountability.txt").read_bytes()
    ids = {parse_file(name, text).rows["competencies"][0]["competency_id"] for name in ("accountability.txt", "teamwork-2.txt", "x/1.txt")}
    assert ids == {"kenexa:unnamed-1856d8dbafc6"}


def test_an_unnamed_competency_without_definition_is_identified_by_its_first_statement():
    text = (RAW / "kenexa" / "accountability.txt").read_text(encoding="utf-8")
    without = text.replace("The ability to create a culture based on clear standards and the expectation that personal responsibility "
                           "is the norm across all work units\n", "")
    r = parse_file("accountability.txt", without.encode("utf-8"))
    (comp,) = r.rows["competencies"]
    assert (comp["competency_id"], comp["name"], comp["definition"]) == (unnamed_competency_id("kenexa", "Completes assigned tasks, seeking help when needed."),
                                                                        None, None)
    assert len(r.rows["behaviors"]) == 21 and {b["competency_id"] for b in r.rows["behaviors"]} == {comp["competency_id"]}
    assert r.warnings[:2] == [NO_NAME_LINE, ("missing_field", "the unnamed competency: no definition")]


def test_a_page_without_a_name_line_keeps_the_name_its_html_title_gives():
    html = (RAW / "kenexa" / "customer_service_management.html").read_text(encoding="utf-8")
    without = html.replace('<h1 class="entry-title">Customer Service Management</h1>', "")
    assert without != html
    r = parse_file("some-other-name.html", without.encode("utf-8"))
    assert (r.title, r.title_source, r.rows["competencies"][0]["competency_id"]) == ("Customer Service Management", "html_title", "kenexa:customer-service-management")
    assert ("name_from_title", "the page text has no competency name; took 'Customer Service Management' from the HTML title") in r.warnings
    untitled = parse_file("customer_service_management.html", re.sub(r"<title>.*?</title>", "", without, flags=re.S).encode("utf-8"))
    assert (untitled.status, untitled.title, untitled.rows["competencies"][0]["name"]) == ("partial", None, None)
    assert NO_NAME_LINE in untitled.warnings


@pytest.mark.parametrize("name, questions", [("customer_interaction", 0), ("service_excellence", 1)])
def test_real_partial_pages_drop_the_cut_question(name, questions):
    r = parse_path(RAW / "kenexa" / f"{name}.txt")
    assert r.status == "partial"
    assert len(r.rows.get("interview_questions", [])) == questions
    assert [c for c, _ in r.warnings] == ["truncated_text", "truncated"]
    assert all(not q["text"].endswith(("difficult", "resolv")) for q in r.rows.get("interview_questions", []))


def test_unknown_section_is_reported_not_absorbed():
    html = (RAW / "kenexa" / "customer_service_management.html").read_text(encoding="utf-8")
    html = html.replace("<h2>Titles with Shared Competencies</h2>", "<h2>Related Training</h2><ul><li>Service Basics 101</li></ul><h2>Titles with Shared Competencies</h2>")
    from pipeline.parse import parse_file

    r = parse_file("drift.html", html.encode("utf-8"))
    assert ("unknown_section", "unknown section 'Related Training': its content was not loaded") in r.warnings
    clean = parse_file("clean.html", (RAW / "kenexa" / "customer_service_management.html").read_bytes())
    assert [q["text"] for q in r.rows["interview_questions"]] == [q["text"] for q in clean.rows["interview_questions"]]
    assert "Service Basics 101" not in repr(r.rows)


def test_level_label_on_its_own_line():
    text = (FIXTURES / "text" / "kenexa_customer_service_management.txt").read_text(encoding="utf-8")
    text = text.replace("Proficiency Level 1 - Basic understanding", "Proficiency Level 1\n\n- Basic understanding")
    from pipeline.parse import parse_file

    r = parse_file("variant.txt", text.encode("utf-8"))
    assert golden_view(r)["rows"] == load_golden("kenexa_customer_service_management")["rows"]


def test_other_sites_level_and_question_styles():
    text = (FIXTURES / "text" / "kenexa_customer_service_management.txt").read_text(encoding="utf-8")
    text = text.replace("Proficiency Level 2 - Working experience", "Level 2: Working Experience")
    text = text.replace("  \u2022 Tell me how your last", "2. Tell me how your last")
    from pipeline.parse import parse_file

    r = parse_file("other-site.txt", text.encode("utf-8"))
    assert [sum(1 for b in r.rows["behaviors"] if b["level"] == n) for n in (1, 2, 3, 4)] == [4, 5, 6, 6]
    assert r.rows["competency_levels"][1]["label"] == "Working Experience"
    assert r.rows["interview_questions"][1]["text"] == "Tell me how your last organization tracked customer related issues."
    assert r.warnings == []


def test_browser_print_to_pdf_of_the_seed_page():
    """A one-page print: the browser's date/title header and URL/page footer are not content."""
    from fpdf import FPDF

    from pipeline.parse import parse_file

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(True, margin=50)
    pdf.add_page()
    pdf.set_font("helvetica", size=8)
    pdf.text(30, 24, "11/1/26, 9:14 AM      Customer Service Management - Teams & Titles")
    for line in (FIXTURES / "text" / "kenexa_customer_service_management.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and pdf.page == 1:
            pdf.set_font("helvetica", "B" if line.startswith(("Behavior", "Interview", "Titles", "Proficiency")) else "", 10)
            pdf.set_x(54)
            pdf.multi_cell(500, 12, line.strip().replace("\u2022", "-"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.set_font("helvetica", size=8)
    pdf.text(30, pdf.h - 20, "https://teams-titles.hr.ufl.edu/job-competency/customer-service-management/")
    pdf.text(pdf.w - 50, pdf.h - 20, "1/1")
    r = parse_file("print.pdf", bytes(pdf.output()))
    assert (r.status, r.title, r.page_count) == ("ok", "Customer Service Management", 1)
    assert golden_view(r)["rows"] == load_golden("kenexa_customer_service_management")["rows"]


def test_html_page_cut_inside_the_titles_list_is_partial_and_loads_no_cut_title():
    html = (FIXTURES / "synthetic" / "kenexa_bullets_footnote_group.html").read_text(encoding="utf-8")
    whole = parse_file("whole.html", html.encode("utf-8"))
    assert [r["title"] for r in whole.rows["related_titles"]] == ["Assistant Director, Student Affairs", "Ombudsperson"]
    cut = html[: html.index("Student Affairs") + len("Student Af")]
    r = parse_file("cut.html", cut.encode("utf-8"))
    assert r.status == "partial" and "related_titles" not in r.rows
    assert r.warnings == [
        ("truncated_text", "the page stops mid-text; its last line 'Assistant Director, Student Af' is cut off and was not loaded"),
        ("truncated", "page stops part-way (saved before it finished loading); missing: the rest of Titles with Shared Competencies")]
    # Cut right after the heading: the heading is whole, the list is missing.
    r = parse_file("cut.html", html[: html.index("<ul><li>Assistant")].encode("utf-8"))
    assert r.warnings == [("truncated", "page stops part-way (saved before it finished loading); missing: the rest of Titles with Shared Competencies")]


ONE_COMPETENCY_PAGES = [FIXTURES / "text" / "kenexa_customer_service_management.txt", FIXTURES / "synthetic" / "kenexa_extra_paragraph.txt",
                        RAW / "nih" / "federal_budget_process.txt"]


@pytest.mark.parametrize("markup", ["paragraphs", "line_breaks", "site_chrome"])
@pytest.mark.parametrize("fixture", ONE_COMPETENCY_PAGES, ids=lambda p: p.stem)
def test_the_same_page_in_other_markup_gives_the_same_rows(fixture, markup):
    from markup_variants import render

    text = fixture.read_text(encoding="utf-8")
    as_text, as_html = parse_file("page.txt", text.encode("utf-8")), parse_file("page.html", render(text, markup))
    assert as_html.status == as_text.status and rows_without_ids(as_html) == rows_without_ids(as_text)


@pytest.mark.parametrize("title", ["{name} | Office of Human Resources", "{name} \u2013 Teams & Titles", "Office of Human Resources"])
@pytest.mark.parametrize("fixture", ONE_COMPETENCY_PAGES, ids=lambda p: p.stem)
def test_the_page_inside_its_site_gives_the_same_rows(fixture, title):
    # A skip link, an official-site banner, a cookie notice, the site's name and a breadcrumb
    # come before the name: the NIH definition was "Skip to main content", the Kenexa name
    # "Office of Human Resources" and its definition the banner's sentence. The sidebar after
    # the content, with a heading of its own, is not loaded.
    from markup_variants import render

    text = fixture.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.strip() and line != "unit logo")
    as_text = parse_file("page.txt", text.encode("utf-8"))
    in_site = parse_file("page.html", render(text, "page_furniture", title=title.format(name=name)))
    assert (in_site.status, in_site.title) == (as_text.status, as_text.title)
    assert rows_without_ids(in_site) == rows_without_ids(as_text)
    sidebar = [] if "nih" in fixture.parts else [("unknown_section", "unknown section 'Related Links': its content was not loaded")]
    assert in_site.warnings == as_text.warnings + sidebar


def test_nih_bullets_end_at_a_heading_when_the_closing_line_is_missing():
    from markup_variants import render

    text = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    shorter = text[:text.index("  \u2022 Presents the financial")]  # the last bullet kept has no period
    r = parse_file("page.html", render(shorter, "page_furniture", title="Federal Budget Process | Office of Human Resources"))
    # The sidebar's heading shows the bullets are whole: the last one is not taken for a cut one.
    assert [b["text"] for b in r.rows["behaviors"]] == [
        "Understands the hierarchy of financial authority within the Federal Government",
        "Possesses knowledge of current laws, regulations and guidance affecting the Federal budget process",
        "Uses written strategic business plans to support financial assumptions",
        "Uses forecasting and historical data to prepare detailed financial plans"]
    assert (r.status, r.warnings) == ("ok", [("unknown_section", "unknown section 'Related Links' after the Key Behaviors: its content was not loaded")])


def test_section_headings_in_the_wording_of_other_sites():
    text = SEED["text"].read_text(encoding="utf-8")
    variant = (text.replace("Behavior Statements", "Behavioral Indicators").replace("Interview Questions", "Sample Interview Questions")
               .replace("Titles with Shared Competencies", "Job Titles with this Competency"))
    assert "Behavioral Indicators" in variant and "Sample Interview Questions" in variant and "Job Titles with this Competency" in variant
    r = parse_file("variant.txt", variant.encode("utf-8"))
    assert golden_view(r)["rows"] == load_golden("kenexa_customer_service_management")["rows"]
    assert (r.status, r.warnings) == ("ok", [])


def test_level_and_label_in_adjacent_elements():
    # "Proficiency Level 1" and "Basic understanding" in two spans: their texts glued together.
    html = SEED["html"].read_text(encoding="utf-8")
    import re

    glued = re.sub(r"(Proficiency Level \d) - ([A-Z][a-z]+ [a-z ]+)<", r"<span>\1</span><span>\2</span><", html)
    assert glued.count("</span><span>") == 4
    r = parse_file("glued.html", glued.encode("utf-8"))
    assert golden_view(r)["rows"] == load_golden("kenexa_customer_service_management")["rows"]
    assert (r.status, r.warnings) == ("ok", [])
    # Without a dash, only the scale's own labels make a level heading: a statement is not one.
    r = parse_file("statement.txt", SEED["text"].read_text(encoding="utf-8").replace(
        "Seeks help, as needed, in satisfying customers.", "Level 3 support issues are escalated promptly.").encode("utf-8"))
    assert [lv["level"] for lv in r.rows["competency_levels"]] == [1, 2, 3, 4]
    assert "Level 3 support issues are escalated promptly." in [b["text"] for b in r.rows["behaviors"] if b["level"] == 1]


@pytest.mark.parametrize("variant", [
    (r"Proficiency Level (\d) - (.+)", r"\2 (Level \1)"),                  # "Basic understanding (Level 1)"
    (r"Proficiency Level (\d) - (.+)", r"Proficiency Level \1 (\2)"),       # "Proficiency Level 1 (Basic understanding)"
    (r"Proficiency Level 1 - ", "Proficiency Level I - "),                 # Roman numerals
    (r"Proficiency Level 2 - ", "Proficiency Level II - "),
    (r"Proficiency Level 3 - ", "Proficiency Level Three - "),             # words
    (r"  \u2022 ", "Q1: "),                                                # questions numbered "Q1:" ("Q1:" was loaded into the text)
], ids=["label-level", "level-parenthesized", "roman", "roman-2", "word", "q-numbered"])
def test_other_sites_wordings_of_levels_and_questions(variant):
    # Level headings in these forms were not recognized: their statements were lost, or with
    # every level so written the page was not recognized as Kenexa at all ('failed').
    import re

    text = SEED["text"].read_text(encoding="utf-8")
    variant_text = re.sub(variant[0], variant[1], text)
    assert variant_text != text
    whole, r = parse_file("page.txt", text.encode("utf-8")), parse_file("variant.txt", variant_text.encode("utf-8"))
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))


@pytest.mark.parametrize("markup", [None, "paragraphs"])
def test_a_file_holding_several_competencies_loads_each(markup):
    # Pages saved or printed together, or a library published as one file: the second and third
    # competencies' levels, statements and questions were merged into the first.
    from markup_variants import render

    files = [FIXTURES / "text" / "kenexa_customer_service_management.txt", FIXTURES / "synthetic" / "kenexa_extra_paragraph.txt",
             FIXTURES / "synthetic" / "kenexa_no_separators_no_questions.txt"]
    alone = [parse_file(f.name, f.read_bytes()) for f in files]
    text = "\n\n".join(f.read_text(encoding="utf-8") for f in files)
    together = parse_file("library.txt", text.encode("utf-8")) if markup is None else parse_file("library.html", render(text, markup))
    expected: dict[str, list] = {}
    for r in alone:
        for table, rows in rows_without_ids(r).items():
            expected.setdefault(table, []).extend(rows)
    assert rows_without_ids(together) == expected
    assert (together.status, together.title) == ("ok", "Customer Service Management")
    assert together.warnings == [
        ("extra_text", "Records Management: 1 paragraph(s) between the definition and the behavior statements were kept as notes"),
        ("several_competencies", "the file holds 3 competencies, each loaded: Customer Service Management, Records Management, Budget Planning")]


def test_a_level_repeated_without_a_new_name_is_the_same_competency():
    text = SEED["text"].read_text(encoding="utf-8")
    repeated = text.replace("Proficiency Level 2 - Working experience", "Proficiency Level 1 - Basic understanding", 1)
    r = parse_file("variant.txt", repeated.encode("utf-8"))
    assert [c["name"] for c in r.rows["competencies"]] == ["Customer Service Management"]
    # Said, and the level's row not written twice (its statements go on under the first).
    assert ("repeated_level", "level 1 appears a second time ('Proficiency Level 1 - Basic understanding'): its statements were added "
                              "to those of its first appearance") in r.warnings
    assert [lv["level"] for lv in r.rows["competency_levels"]] == [1, 3, 4]
    assert [b["text"] for b in r.rows["behaviors"] if b["level"] == 1][-1] == "Analyzes problem trends and takes steps to avoid recurrence."


def test_nih_dictionary_pages_saved_together_load_each_competency():
    # After the first page's closing line the others were left out without a word.
    page = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    second = page.replace("Federal Budget Process\n", "Budget Execution\n", 1).replace("Understands and complies", "SYNTHETIC. Understands and executes")
    alone = [parse_file("a.txt", page.encode("utf-8")), parse_file("b.txt", second.encode("utf-8"))]
    together = parse_file("dictionary.txt", (page + "\n\n" + second).encode("utf-8"))
    assert [c["name"] for c in together.rows["competencies"]] == ["Federal Budget Process", "Budget Execution"]
    assert rows_without_ids(together)["behaviors"] == rows_without_ids(alone[0])["behaviors"] + rows_without_ids(alone[1])["behaviors"]
    assert (together.status, together.warnings) == ("ok", [("several_competencies", "the file holds 2 competencies, each loaded: Federal Budget Process, Budget Execution")])


@pytest.mark.parametrize("label", ["Definition: ", "Definition:\n", "Description - "])
@pytest.mark.parametrize("fixture", [SEED["text"], RAW / "nih" / "federal_budget_process.txt"], ids=["kenexa", "nih"])
def test_a_definition_label_is_not_part_of_the_definition(fixture, label):
    text = fixture.read_text(encoding="utf-8")
    whole = parse_file("page.txt", text.encode("utf-8"))
    definition = whole.rows["competencies"][0]["definition"]
    r = parse_file("labelled.txt", text.replace(definition, label + definition, 1).encode("utf-8"))
    assert (r.status, r.warnings, rows_without_ids(r)) == (whole.status, whole.warnings, rows_without_ids(whole))


@pytest.mark.parametrize("heading", ["Key behaviors include:", "Key Behavioral Indicators:", "KEY BEHAVIOURS"])
def test_nih_key_behaviors_heading_in_other_wordings(heading):
    # Worded so, the page was not recognized at all ('failed', unknown vendor).
    text = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    whole, r = parse_file("page.txt", text.encode("utf-8")), parse_file("variant.txt", text.replace("Key Behaviors:", heading).encode("utf-8"))
    assert (r.vendor, r.status, r.warnings, rows_without_ids(r)) == ("nih", whole.status, whole.warnings, rows_without_ids(whole))


# (synthetic additions to the seed page: two shared titles, and the site's footer as a page
# copied whole gives it, or as markup without a footer landmark)
_TITLES_AND_FOOTER = {
    "text": ("\n  \u2022 Customer Service Manager\n  \u2022 Call Center Supervisor\n\nUF Human Resources\n"
             "PO Box 115009, Gainesville, FL 32611\n(352) 392-2477\n"),
    "html": ("<ul><li>Customer Service Manager</li><li>Call Center Supervisor</li></ul>"
             "<div class=\"site-info\"><p>UF Human Resources</p><p>PO Box 115009, Gainesville, FL 32611</p><p>(352) 392-2477</p></div>"),
}


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_the_sites_footer_after_the_bulleted_titles_is_not_loaded_as_titles(fmt):
    if fmt == "text":
        page = SEED["text"].read_text(encoding="utf-8") + _TITLES_AND_FOOTER["text"]
    else:
        page = SEED["html"].read_text(encoding="utf-8").replace('<ul class="shared-titles"></ul>', _TITLES_AND_FOOTER["html"])
    r = parse_file(f"page.{'txt' if fmt == 'text' else 'html'}", page.encode("utf-8"))
    assert r.status == "ok"
    assert [(t["title"], t["seq"]) for t in r.rows["related_titles"]] == [("Customer Service Manager", 1), ("Call Center Supervisor", 2)]
    assert r.warnings == [("unrecognized_text", "3 line(s) after the last item of the Titles with Shared Competencies list are not list items "
                                                "(the site's footer?) and were not loaded as titles: 'UF Human Resources'; "
                                                "'PO Box 115009, Gainesville, FL 32611'; '(352) 392-2477'")]
    seed = parse_file(SEED[fmt].name, SEED[fmt].read_bytes())
    assert rows_without_ids(r)["interview_questions"] == rows_without_ids(seed)["interview_questions"]


def test_titles_given_as_plain_lines_are_all_kept():
    # Without bullets nothing marks where the list ends: every line is a title (as in
    # kenexa_no_separators_no_questions.txt), and nothing is reported.
    page = SEED["text"].read_text(encoding="utf-8") + "\nCustomer Service Manager\nCall Center Supervisor\n"
    r = parse_file("page.txt", page.encode("utf-8"))
    assert [t["title"] for t in r.rows["related_titles"]] == ["Customer Service Manager", "Call Center Supervisor"]
    assert r.warnings == []


def test_a_note_after_the_bulleted_questions_is_not_a_question():
    text = SEED["text"].read_text(encoding="utf-8")
    text = text.replace("\nTitles with Shared Competencies", "\nQuestions adapted from the Kenexa library.\n\nTitles with Shared Competencies")
    r = parse_file("page.txt", text.encode("utf-8"))
    assert [q["text"] for q in r.rows["interview_questions"]][-1] == "How did your organization prepare individuals to handle customer complaints or difficult customers?"
    assert len(r.rows["interview_questions"]) == 4
    assert r.warnings == [("unrecognized_text", "1 line(s) after the last item of the Interview Questions list are not list items "
                                                "(the site's footer?) and were not loaded as questions: 'Questions adapted from the Kenexa library.'")]


def test_nih_footer_after_the_bulleted_key_behaviors_is_not_loaded_as_behaviors():
    # (synthetic: the real page without its closing line, then the site's footer lines)
    text = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    whole = parse_file("page.txt", text.encode("utf-8"))
    closing = "Developmental opportunities for this competency are available from the NIH Training Center."
    page = text.replace(closing, "") + "\nOffice of Human Resources\n6011 Executive Blvd, Rockville, MD 20852\nThis page last reviewed on March 5, 2024\n"
    r = parse_file("page.txt", page.encode("utf-8"))
    assert r.status == "ok"  # (text after the bullets: the list is whole)
    assert rows_without_ids(r) == rows_without_ids(whole)
    # (the last-reviewed line is page furniture, as a skip link: not content at all)
    assert r.warnings == [("unrecognized_text", "2 line(s) after the last item of the Key Behaviors list are not list items (the site's footer?) "
                                                "and were not loaded as behaviors: 'Office of Human Resources'; '6011 Executive Blvd, Rockville, MD 20852'")]


def test_a_level_outside_the_scale_is_reported_and_its_statements_not_loaded():
    # (synthetic: a fifth level on the seed page; the Kenexa scale has four)
    text = SEED["text"].read_text(encoding="utf-8")
    at = text.index("Interview Questions")
    r = parse_file("page.txt", (text[:at] + "Proficiency Level 5 - Expert\n\nDefines the service strategy.\n\n" + text[at:]).encode("utf-8"))
    seed = parse_file("seed.txt", text.encode("utf-8"))
    assert rows_without_ids(r) == rows_without_ids(seed)
    assert r.warnings == [("out_of_scale", "level 5 ('Proficiency Level 5 - Expert') is outside the Kenexa scale (1-4): its statements were not loaded")]
