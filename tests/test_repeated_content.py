"""A page that carries its content twice (a copy for another screen size or for print, both in
the saved DOM; a text copied twice) gives each document once: the repeat is reported, not
loaded a second time (it loaded every role, salary, behavior and question twice)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, RAW, rows_without_ids

from pipeline.parse import parse_file

HTML_PAGES = [RAW / "salary_com" / "customer_service_manager.html", RAW / "kenexa" / "customer_service_management.html"]
TEXT_PAGES = [FIXTURES / "text" / "salary_com_customer_service_manager.txt", FIXTURES / "text" / "kenexa_customer_service_management.txt",
              RAW / "nih" / "federal_budget_process.txt"]


def _with_a_second_copy(html: str, second=lambda main: main) -> str:
    """The page with its <main> content given again after it, in a <div> (synthetic: how
    responsive sites carry a copy for small screens)."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    copy = second(main).replace("<main", "<div class=\"mobile-copy\"", 1).replace("</main>", "</div>")
    return html.replace(main, main + copy)


def _repeated(title: str) -> tuple[str, str]:
    return ("repeated_content", f"the file gives {title!r} again, the same rows (its content repeated, as for another screen size or for print): loaded once")


def _other_copy(title: str, loaded: str) -> tuple[str, str]:
    return ("repeated_content", f"the file gives {title!r} again with other content: the {loaded} was loaded, the other was not")


def _assert_loaded_as(result, alone, status: str, warnings: list) -> None:
    """`result` gives `alone`'s rows (the copy loaded), with `status` and `warnings`."""
    assert result.status == status
    assert rows_without_ids(result) == rows_without_ids(alone)
    assert result.warnings == warnings


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.stem)
def test_html_with_its_content_twice_loads_it_once(page):
    once = parse_file(page.name, page.read_bytes())
    twice = parse_file(page.name, _with_a_second_copy(page.read_text(encoding="utf-8")).encode("utf-8"))
    assert twice.title == once.title
    _assert_loaded_as(twice, once, "ok", once.warnings + [_repeated(once.title)])


@pytest.mark.parametrize("page", TEXT_PAGES, ids=lambda p: p.stem)
def test_text_copied_twice_loads_once(page):
    text = page.read_text(encoding="utf-8")
    once = parse_file(page.name, text.encode("utf-8"))
    twice = parse_file(page.name, (text + "\n" + text).encode("utf-8"))
    _assert_loaded_as(twice, once, once.status, once.warnings + [_repeated(once.title)])


def test_a_second_copy_cut_short_leaves_the_whole_first_one_loaded():
    page = RAW / "salary_com" / "customer_service_manager.html"
    once = parse_file(page.name, page.read_bytes())
    # (the copy stops after its first skill section: a page still loading when it was saved)
    def cut(main: str) -> str:
        return main[:main.index("soft skills or competencies")]

    twice = parse_file(page.name, _with_a_second_copy(page.read_text(encoding="utf-8"), cut).encode("utf-8"))
    _assert_loaded_as(twice, once, "ok", [_other_copy("Customer Service Manager", "first copy (the whole one)")])


def test_a_whole_copy_after_one_missing_a_level_is_the_one_loaded():
    page = FIXTURES / "text" / "kenexa_customer_service_management.txt"
    text = page.read_text(encoding="utf-8")
    level_4 = text.index("Proficiency Level 4")
    without_level_4 = text[:level_4] + text[text.index("Interview Questions"):]
    once = parse_file(page.name, text.encode("utf-8"))
    both = parse_file(page.name, (without_level_4 + "\n" + text).encode("utf-8"))
    _assert_loaded_as(both, once, "ok", [_other_copy("Customer Service Management", "later copy (the whole one)")])


def test_different_documents_in_one_file_are_still_each_loaded():
    a = FIXTURES / "text" / "kenexa_customer_service_management.txt"
    b = FIXTURES / "synthetic" / "kenexa_extra_paragraph.txt"
    together = parse_file("both.txt", (a.read_text(encoding="utf-8") + "\n" + b.read_text(encoding="utf-8") + "\n" + a.read_text(encoding="utf-8")).encode("utf-8"))
    names = [c["name"] for c in together.rows["competencies"]]
    assert names == ["Customer Service Management", "Records Management"]
    assert together.warnings[-2:] == [("several_competencies", "the file holds 2 competencies, each loaded: Customer Service Management, Records Management"),
                                      _repeated("Customer Service Management")]


def test_of_two_partial_copies_the_one_with_more_rows_is_loaded():
    page = FIXTURES / "text" / "kenexa_customer_service_management.txt"
    text = page.read_text(encoding="utf-8")
    short = text[:text.index("Proficiency Level 3")]  # levels 1 and 2
    longer = text[:text.index("Interview Questions")]  # every level, then the page stops
    alone = parse_file(page.name, longer.encode("utf-8"))
    both = parse_file(page.name, (short + "\n" + longer).encode("utf-8"))
    assert alone.status == "partial"
    _assert_loaded_as(both, alone, "partial", alone.warnings + [_other_copy("Customer Service Management", "later copy (the one with more rows)")])


def _salary_text() -> str:
    return (FIXTURES / "text" / "salary_com_customer_service_manager.txt").read_text(encoding="utf-8")


def test_a_profile_given_twice_before_its_closing_line_is_loaded_once():
    # (no "It's Easy to Get Started" between the copies: the title line begins the profile
    # again, and the sections after it repeat those before it)
    text = _salary_text()
    end, start = re.search(r"It.s Easy to Get Started", text).start(), text.index("Skills & Competencies for")
    once = parse_file("page.txt", text.encode("utf-8"))
    twice = parse_file("page.txt", (text[:end] + text[start:end] + text[end:]).encode("utf-8"))
    _assert_loaded_as(twice, once, "ok", [_repeated("Customer Service Manager")])


def test_a_title_line_repeated_above_a_section_begins_no_profile():
    # (a sticky header: the title again above the soft skills, which the page has not shown yet)
    text = _salary_text()
    at = text.rfind("\n", 0, text.index("soft skills or competencies")) + 1
    once = parse_file("page.txt", text.encode("utf-8"))
    sticky = parse_file("page.txt", (text[:at] + "Skills & Competencies for Customer Service Manager\n" + text[at:]).encode("utf-8"))
    _assert_loaded_as(sticky, once, "ok", [("unrecognized_text", "1 line(s) not recognized as part of a Salary.com profile, e.g. "
                                                                  "'Skills & Competencies for Customer Service Manager'")])


def test_of_two_whole_copies_as_long_as_each_other_the_first_is_loaded():
    page = FIXTURES / "text" / "kenexa_customer_service_management.txt"
    text = page.read_text(encoding="utf-8")
    other = text.replace("Seeks help, as needed, in satisfying customers.", "Seeks help when needed (SYNTHETIC).")
    once = parse_file(page.name, text.encode("utf-8"))
    both = parse_file(page.name, (text + "\n" + other).encode("utf-8"))
    _assert_loaded_as(both, once, "ok", [_other_copy("Customer Service Management", "first copy (as long as the other)")])
