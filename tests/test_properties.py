"""Property-based tests: mutated real documents never crash a parser and never yield text
that is not in the input."""

from __future__ import annotations

import sys

from conftest import FIXTURES, RAW, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.parse import parse_file

sys.path.insert(0, str(ROOT / "tools"))
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
    codes = [c for c, _ in result.warnings]
    assert "parser_error" not in codes and "invalid_rows" not in codes, result.warnings
    assert result.status in ("ok", "partial", "failed")
    source = _visible_text(name, text)
    for table, columns in TEXT_COLUMNS.items():
        for row in result.rows.get(table, []):
            for col in columns:
                value = row.get(col)
                if value is None or (table == "competencies" and col == "name" and result.title_source == "file_name"):
                    continue
                for piece in _norm(value).split(" "):
                    assert piece.strip("*") in source, f"{table}.{col} = {value!r} is not in the input"
