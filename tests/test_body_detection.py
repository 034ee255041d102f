"""A vendor is recognized by the structure of a page's body, not only by its header; entries a
page shows without their names are loaded with a NULL name, never a made-up one (issue 25,
point 1).

REAL fixtures (tests/fixtures/real/, SOURCES.csv gives each address): Salary.com pages stored
from their skill sections onward (no header), NIH pages stored without their name line. The
golden values below were written by hand from the files' text. One SYNTHETIC variation: a real
seed page with one entry's name line left out.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT, rows_without_ids

from pipeline.cli import main
from pipeline.parse import parse_file
from pipeline.readers import read_document
from pipeline.vendors import detect_vendor, salary_com

REAL = FIXTURES / "real"


def _parse(path):
    return parse_file(str(path.relative_to(ROOT)), path.read_bytes())


def test_a_salary_com_page_copied_from_its_skill_sections_onward_is_recognized_and_partial():
    r = _parse(REAL / "salary_com" / "project-manager-i__mid-chunk.txt")
    assert (r.vendor, r.status, r.title, r.title_source) == ("salary_com", "partial", "Project Manager I", "section_heading")
    assert ("missing_section", "the page starts part-way, at '14 general skills or competencies (Job family competencies) for Project Manager I': "
                               "no 'Skills & Competencies for ...' header, job summary, salary range or role fields before its skill sections; "
                               "recognized by them, titled 'Project Manager I' as their headings name it") in r.warnings
    assert ("truncated", "page stops part-way (saved before it finished loading); missing: Summary of skills and competencies") in r.warnings
    rows = rows_without_ids(r)
    assert [(c["name"], c["category"], c["definition"]) for c in rows["competencies"]] == [
        (None, "general", "Implementing change by transforming our organization's goals, processes, or technologies to ensure business growth and success."),
        (None, "general", "Developing schedule, assigning resources to tasks, managing budget, and keeping project plans on time."),
    ]
    first, second = (c["competency_id"] for c in rows["competencies"])
    assert first.startswith("salary_com:unnamed-") and second.startswith("salary_com:unnamed-") and first != second
    assert [(rc["competency_id"], rc["competency_name"], rc["rank"], rc["required_level"], rc["visibility"]) for rc in rows["role_competencies"]] == [
        (first, None, 1, None, "shown"), (second, None, 2, None, "shown")]
    assert [(lv["level"], lv["label"], lv["behaviors_hidden"]) for lv in rows["competency_levels"] if lv["competency_id"] == first] == [
        (1, "General Familiarity", 4), (2, "Light Experience", 4), (3, "Moderate Experience", 4), (4, "Extensive Experience", 4), (5, "Mastery", 4)]
    assert [(b["level"], b["text"]) for b in rows["behaviors"] if b["competency_id"] == second] == [
        (1, "Describes the methodologies of utilizing Microsoft Project in scheduling plans."),
        (2, "Selects a Microsoft Project template according to the type of project assigned."),
        (3, "Implements various scheduling methods and tools in Microsoft Project software."),
        (4, "Facilitates project meetings to maintain the project schedule utilizing Microsoft Project."),
        (5, "Develops comprehensive project plans utilizing Microsoft Project software."),
    ]
    assert [(c["category"], c["declared"], c["extracted"]) for c in rows["role_skill_counts"]] == [("general", 14, 0), ("soft", 10, 0)]
    (role,) = rows["roles"]
    assert {k: v for k, v in role.items() if v is not None} == {"role_id": "salary_com:project-manager-i", "vendor": "salary_com", "title": "Project Manager I"}


@pytest.mark.parametrize(("name", "title", "sections"), [
    ("compensation-supervisor__mid-chunk.txt", "Compensation Supervisor", [("general", 7, 0), ("soft", 10, 0)]),
    # (ends on a whole section heading in the singular: "1 general skill or competency (Job family competency)")
    ("mechanical-engineer-i__mid-chunk.txt", "Mechanical Engineer I", [("general", 1, 0), ("hard", 10, 0)]),
    ("mechanical-engineer-i__mid-chunk__mirror-oraclebiwa.txt", "Mechanical Engineer I", [("general", 1, 0), ("hard", 10, 0)]),
])
def test_other_salary_com_pages_without_their_header(name, title, sections):
    r = _parse(REAL / "salary_com" / name)
    assert (r.vendor, r.status, r.title, r.title_source) == ("salary_com", "partial", title, "section_heading")
    rows = r.rows
    assert len(rows["competencies"]) == 2 and all(c["name"] is None and c["definition"] for c in rows["competencies"])
    assert len(rows["behaviors"]) == 10
    assert [(c["category"], c["declared"], c["extracted"]) for c in rows["role_skill_counts"]] == sections


def test_the_same_unnamed_competency_on_two_copies_has_one_id():
    # salary.com's copy and a mirror's of one page: the same definitions, the same ids.
    a = _parse(REAL / "salary_com" / "mechanical-engineer-i__mid-chunk.txt")
    b = _parse(REAL / "salary_com" / "mechanical-engineer-i__mid-chunk__mirror-oraclebiwa.txt")
    assert [c["competency_id"] for c in a.rows["competencies"]] == [c["competency_id"] for c in b.rows["competencies"]]


def test_a_body_only_page_is_recognized_by_the_structure_of_its_skill_sections():
    from pipeline.vendors.salary_com.detect import body_cues

    doc = read_document((REAL / "salary_com" / "project-manager-i__mid-chunk.txt").read_bytes(), "x.txt")
    assert body_cues("\n".join(doc.lines), "\n".join(doc.lines).lower()) == {
        "section heading", "more behaviors link", "skill definition", "level heading", "level label"}
    assert detect_vendor(doc) is salary_com
    # Level headings and labels alone are wording other pages have too: no page of this vendor.
    generic = read_document(b"Level 1 Behaviors\n(General Familiarity)\nListens.\nLevel 2 Behaviors\n(Light Experience)\nSpeaks.\n", "x.txt")
    assert salary_com.detect(generic) == 0.0


@pytest.mark.parametrize(("name", "definition", "behaviors"), [
    ("change-leadership__jobs-nih-gov-mirror.txt", "Takes responsibility for leading, directing, and managing organizational change.", 9),
    ("contract-management__jobs-nih-gov-mirror.txt",
     "Understands the process for managing and administering contracts and monitoring contractor performance.", 3),
    ("communications.txt", "Delivers clear, effective communication and takes responsibility for understanding others.", 8),
])
def test_an_nih_page_without_its_name_line_loads_its_definition_and_no_name(name, definition, behaviors):
    # Before, the definition was loaded as the name, and the definition left NULL.
    r = _parse(REAL / "nih" / name)
    assert (r.vendor, r.status, r.title) == ("nih", "partial", None)
    assert r.warnings[0] == ("missing_section", "no competency name before its definition (a copy without the name line): "
                                                "the competency is loaded without a name")
    (c,) = r.rows["competencies"]
    assert (c["name"], c["definition"]) == (None, definition)
    assert c["competency_id"].startswith("nih:unnamed-")
    assert len(r.rows["behaviors"]) == behaviors and {b["competency_id"] for b in r.rows["behaviors"]} == {c["competency_id"]}


def test_an_nih_page_without_its_name_line_takes_the_name_its_html_title_gives():
    # SYNTHETIC: the real mirror's text as an HTML page titled by the site.
    text = (REAL / "nih" / "change-leadership__jobs-nih-gov-mirror.txt").read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{line}</p>" if not line.startswith("- ") else f"<li>{line[2:]}</li>" for line in text)
    r = parse_file("x.html", f"<html><head><title>Change Leadership | NIH Office of Human Resources</title></head><body>{body}</body></html>".encode())
    assert (r.title, r.title_source, r.status) == ("Change Leadership", "html_title", "ok")
    assert r.rows["competencies"][0]["name"] == "Change Leadership"
    assert r.rows["competencies"][0]["definition"] == "Takes responsibility for leading, directing, and managing organizational change."


def test_an_entry_shown_without_its_name_line_keeps_its_own_definition_and_behaviors():
    # SYNTHETIC variation of a real seed: the line "2 Job Family Competencies – Customer
    # Analytics" and its required level left out. Before, its definition replaced Call Center
    # Management's and its behaviors were added to Call Center Management's levels.
    text = (FIXTURES / "text" / "salary_com_customer_service_manager.txt").read_text(encoding="utf-8")
    page = text.replace("2 Job Family Competencies \u2013 Customer Analytics\nProficiency Level -3\n", "")
    whole, changed = parse_file("page.txt", text.encode()), parse_file("page.txt", page.encode())
    defs = {c["name"]: c["definition"] for c in whole.rows["competencies"]}
    changed_defs = {c["name"]: c["definition"] for c in changed.rows["competencies"]}
    assert changed_defs["Call Center Management"] == defs["Call Center Management"]
    assert changed_defs[None] == defs["Customer Analytics"] and "Customer Analytics" not in changed_defs
    unnamed = next(c["competency_id"] for c in changed.rows["competencies"] if c["name"] is None)
    named = {c["competency_id"]: c["name"] for c in whole.rows["competencies"]}
    behaviors = sorted((b["level"], b["text"]) for b in whole.rows["behaviors"] if named[b["competency_id"]] == "Customer Analytics")
    assert sorted((b["level"], b["text"]) for b in changed.rows["behaviors"] if b["competency_id"] == unnamed) == behaviors
    (rc,) = [rc for rc in changed.rows["role_competencies"] if rc["competency_id"] == unnamed]
    assert (rc["competency_name"], rc["category"], rc["rank"], rc["required_level"], rc["visibility"]) == (None, "general", 2, None, "shown")
    assert changed.status == "partial"


def test_unnamed_competencies_go_through_the_whole_catalog(tmp_path):
    # An ingest of the real pages without names: loaded, crosswalked, anchored and exported
    # with NULL names (the key checks of conftest run on the catalog).
    import duckdb

    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in [*(REAL / "salary_com").glob("*mid-chunk*"), *(REAL / "nih").glob("*mirror*"), *(ROOT / "raw" / "kenexa").glob("*")]:
        (inputs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    main(["ingest", str(inputs), "--out", str(out), "--quiet"])
    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT vendor, count(*) FROM competencies WHERE name IS NULL GROUP BY vendor ORDER BY vendor").fetchall() == [
        ("kenexa", 1), ("nih", 3), ("salary_com", 6)]  # (Kenexa's: raw/kenexa/accountability.txt, without its name line)
    assert con.execute("SELECT count(*) FROM competencies WHERE name IS NULL AND definition IS NULL").fetchone() == (0,)
    con.close()
    assert main(["export", "--format", "case", "--out", str(tmp_path / "case"), "--catalog", str(out / "catalog.duckdb")]) == 0


def test_a_caliper_job_model_without_its_running_header_is_recognized_by_its_sections():
    # SYNTHETIC variation of the real seed's text extract: every "CALIPER COMPETENCY LIBRARY"
    # line left out. Before, no vendor was recognized; the title is not made up from the summary.
    text = (FIXTURES / "text" / "caliper_client_service_specialist.txt").read_text(encoding="utf-8")
    page = "\n".join(line for line in text.splitlines() if "CALIPER COMPETENCY LIBRARY" not in line)
    whole, r = parse_file("model.txt", text.encode()), parse_file("model.txt", page.encode())
    assert (r.vendor, r.status, r.title) == ("caliper", "partial", None)
    assert r.warnings[0] == ("missing_section", "no job model title (no 'CALIPER COMPETENCY LIBRARY' header or title line before its sections): "
                                                "its competencies are loaded, the role is not")
    assert r.rows["competencies"] == whole.rows["competencies"]
    assert set(r.rows) == {"competencies"}
    # A page that only speaks of competencies and job models is none.
    help_page = read_document((REAL / "caliper" / "related__talogy-caliper-job-models-overview.txt").read_bytes(), "x.txt")
    assert detect_vendor(help_page) is None


def test_an_nih_name_line_written_otherwise_is_still_the_name():
    # SYNTHETIC variation of a real page: its name line in lower case (not name-like), right
    # above the definition, is the name; only a page with no line above its definition has none.
    text = (REAL / "nih" / "contract-management.txt").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    r = parse_file("page.txt", text.replace(first, first.lower(), 1).encode())
    assert (r.title, r.rows["competencies"][0]["name"]) == (first.lower(), first.lower())


@pytest.mark.parametrize("name", ["change-leadership__jobs-nih-gov-mirror.txt", "communications.txt"])
def test_a_page_without_its_name_in_site_furniture_reads_the_same_saved_as_mhtml(name):
    # REAL text (tests/fixtures/real/nih), rendered in a site's furniture without its name heading
    # (tools/accuracy.py), then saved whole as MHTML: the archive's page has the same headings, so
    # a name is a heading there too (it took the site's name paragraph when only .html counted).
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from accuracy import html_of
    from markup_variants import blink_mhtml

    page, _ = html_of("nih", (REAL / "nih" / name).read_text(encoding="utf-8"), nameless=True)
    as_html, as_mhtml = parse_file("p.html", page), parse_file("p.mhtml", blink_mhtml(page))
    assert as_mhtml.format == "mhtml"
    (c,) = as_html.rows["competencies"]
    assert c["name"] is None and c["definition"]
    assert as_mhtml.rows["competencies"] == as_html.rows["competencies"] and as_mhtml.status == as_html.status
