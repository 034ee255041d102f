"""Property-based tests: mutated real documents never crash a parser and never yield text
that is not in the input."""

from __future__ import annotations

import sys

from conftest import FIXTURES, RAW, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.parse import parse_file

sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import fuzz  # noqa: E402

SEEDS = {
    "salary_com.txt": (FIXTURES / "text" / "salary_com_client_service_specialist_ii.txt").read_text(encoding="utf-8"),
    "caliper.txt": (FIXTURES / "text" / "caliper_client_service_specialist.txt").read_text(encoding="utf-8"),
    "kenexa.txt": (FIXTURES / "text" / "kenexa_customer_service_management.txt").read_text(encoding="utf-8"),
    "salary_com.html": (RAW / "salary_com" / "top_customer_service_executive.html").read_text(encoding="utf-8"),
    "kenexa.html": (RAW / "kenexa" / "customer_service_management.html").read_text(encoding="utf-8"),
}
# Columns whose values are copied from the document's text, and the comparison: shared with
# `make fuzz` (tools/fuzz.py), which checks the same over the CLI.
TEXT_COLUMNS, _norm = fuzz.TEXT_COLUMNS, fuzz._norm


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[name]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "insert", "swap_lines"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 400)))
        if kind == "truncate":
            text = text[:i]
        elif kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif kind == "insert":
            text = text[:i] + draw(st.text(max_size=40)) + text[i:]
        else:
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return name, text


def _visible_text(name: str, text: str) -> str:
    if name.endswith(".html"):
        import html

        import lxml.html

        # Entities decoded, markup kept (a mutated page may turn a tag into visible text),
        # plus the tree's text nodes joined as the reader joins inline elements.
        try:
            nodes = "".join(lxml.html.document_fromstring(text).itertext())
        except Exception:
            nodes = ""
        text = html.unescape(text) + " " + nodes
    return _norm(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_parsers_report_instead_of_crashing_and_invent_nothing(case):
    name, text = case
    result = parse_file(name, text.encode("utf-8"))
    _assert_nothing_invented(name, text, result)


def _assert_nothing_invented(name: str, text: str, result, case: str = "") -> None:
    """No crash, and every loaded string value is in the document's text (`case`: named in messages)."""
    codes = [c for c, _ in result.warnings]
    assert "parser_error" not in codes and "invalid_rows" not in codes, result.warnings
    assert result.status in ("ok", "partial", "failed")
    source = _visible_text(name, text)
    for table, columns in TEXT_COLUMNS.items():
        for row in result.rows.get(table, []):
            for col in columns:
                value = row.get(col)
                if value is None:
                    continue
                for piece in _norm(value).split(" "):
                    assert piece.strip("*") in source, f"{name}{case}: {table}.{col} = {value!r} is not in the input"


# -- real pages and their variations (tests/page_variants.py) ------------------------------------

# A field's labels as pages write them (lowercase), independent of the parser's own table.
FIELD_LABELS = {"job_code": ("job code",), "job_level": ("job level",), "education": ("education/degree", "education"), "reports_to": ("reports to",)}


def _real_pages() -> list[tuple[str, str]]:
    pages = sorted(p for base in (RAW, FIXTURES / "real") for p in base.rglob("*") if p.suffix in (".txt", ".html") and p.is_file())
    return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in pages]


def _field_values(data: bytes, name: str) -> dict[str, set[str]]:
    """Per field, the values its label gives on the page: on the label's line after it, or on
    the line after a bare label."""
    from pipeline.readers import read_document

    lines = [_norm(line) for line in read_document(data, name).lines]
    found: dict[str, set[str]] = {field: set() for field in FIELD_LABELS}
    for i, line in enumerate(lines):
        low = line.lower()
        for field, labels in FIELD_LABELS.items():
            for label in labels:
                if low == label and i + 1 < len(lines):
                    found[field].add(lines[i + 1].lower())
                elif low.startswith(label) and (rest := line[len(label):].strip(" :\t")) and not rest.startswith("/"):
                    found[field].add(rest.lower())
    return found


def _assert_values_are_their_labels(name: str, result, real: dict[str, set[str]]) -> None:
    """A field's value is the one its own label gives on the real page the case was made from,
    never another label's value."""
    for role in result.rows.get("roles", []):
        for field in FIELD_LABELS:
            value = role.get(field)
            if value is None:
                continue
            value = _norm(value).lower()
            others = {f for f, values in real.items() if f != field and value in values}
            assert value in real[field], f"{name}: roles.{field} = {value!r} is not what its label gives on the real page"
            assert not others, f"{name}: roles.{field} = {value!r} is the value of {sorted(others)} on the real page"


def _assert_unknown_section_kept_apart(name: str, result) -> None:
    """What page_variants.unknown_heading put under an unknown heading (its words all start
    "Widget") is in no row of a known section: only in Salary.com entries of no category."""
    apart = {rc["competency_id"] for rc in result.rows.get("role_competencies", []) if rc["category"] is None and result.vendor == "salary_com"}
    for table, columns in TEXT_COLUMNS.items():
        for row in result.rows.get(table, []):
            if row.get("competency_id") in apart and row.get("competency_id") is not None:
                continue
            for col in columns:
                assert "Widget" not in str(row.get(col)), f"{name}: {table}.{col} = {row.get(col)!r} is filed under a known section"


def _cases() -> list[tuple[str, str, str, str]]:
    """(name, variation, text, the real page's text): every real page, and each variation that
    applies to it, as text and (for text pages) rendered as HTML."""
    from markup_variants import render
    from page_variants import variants

    cases = []
    for name, text in _real_pages():
        cases.append((name, "real", text, text))
        if name.endswith(".txt"):
            for kind, changed in variants(text).items():
                cases.append((name, kind, changed, text))
                markup = "headings_and_lists" if "salary_com" in name else "page_furniture"
                cases.append((name.removesuffix(".txt") + ".html", kind, render(changed, markup).decode("utf-8"), text))
    return cases


def test_real_pages_and_their_variations_invent_nothing_and_give_each_label_its_own_value():
    """Over the real pages of raw/ and tests/fixtures/real/ and their variations
    (tests/page_variants.py, as text and as HTML): no loaded string value is absent from the
    document's text, no label's value is another label's, and an unknown section's content is
    filed under no known one."""
    cases = _cases()
    kinds = {kind for _, kind, _, _ in cases}
    assert kinds == {"real", "value_missing", "value_missing_next_value", "value_malformed", "no_responsibilities_heading", "abbreviation",
                     "cut_after_heading", "unknown_heading"}, kinds
    truths: dict[str, dict[str, set[str]]] = {}
    for name, kind, text, real in cases:
        result = parse_file(name, text.encode("utf-8"))
        _assert_nothing_invented(name, text, result, f" ({kind})")
        truth = truths.setdefault(real, _field_values(real.encode("utf-8"), "real" + name[name.rindex("."):]))
        _assert_values_are_their_labels(f"{name} ({kind})", result, truth)
        if kind == "unknown_heading":
            _assert_unknown_section_kept_apart(f"{name} ({kind})", result)
