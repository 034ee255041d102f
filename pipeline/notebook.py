"""What the notebooks share: where the catalog is (one place), a read-only connection, tables
formatted for people (currency, levels, a bounded number of rows) and sentences that say how
much data there is.

The catalog is the one `make ingest` wrote, normalized/catalog.duckdb in the repository;
set COMPCAT_CATALOG to point the notebooks at another one (its folder or its .duckdb file, as
the command line takes it).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _catalog(given: str | None) -> Path:
    if not given:
        return REPO / "normalized" / "catalog.duckdb"
    path = Path(given)
    return path if path.suffix == ".duckdb" or path.is_file() else path / "catalog.duckdb"


CATALOG = _catalog(os.environ.get("COMPCAT_CATALOG"))
MAX_TABLE_ROWS = 20
MISSING = "—"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 role', '10,000 roles'; `nouns` for an irregular plural ('competencies')."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def connect():
    """A read-only connection to the catalog (from any folder: a notebook's is notebooks/)."""
    import duckdb

    catalog = _catalog(os.environ.get("COMPCAT_CATALOG"))  # (as set now: a notebook may set it after importing this)
    if not catalog.exists():
        where = "COMPCAT_CATALOG names it" if os.environ.get("COMPCAT_CATALOG") else "the repository's, as `make ingest` writes it"
        raise FileNotFoundError(f"no catalog at {catalog} ({where}): run `make ingest`, or set COMPCAT_CATALOG to a catalog folder")
    return duckdb.connect(str(catalog), read_only=True)


def money(value) -> str:
    """'$63,586'; a missing amount is a dash, never 'nan'."""
    return MISSING if value is None or value != value else f"${value:,.0f}"


def table(frame, money_columns=(), level_columns=(), percent_columns=(), formats: dict | None = None,
          max_rows: int = MAX_TABLE_ROWS, caption: str | None = None):
    """The first `max_rows` rows as a styled table: amounts in dollars, 0-100 levels rounded,
    percentages signed, other `formats` as given, missing values as a dash, no index. Column
    names read as words."""
    shown = frame.head(max_rows)
    formats = {c: money for c in money_columns} | (formats or {})
    formats |= {c: "{:.0f}" for c in level_columns}
    formats |= {c: "{:+.1f}%" for c in percent_columns}
    styler = shown.style.format(formats, na_rep=MISSING).hide(axis="index")
    styler = styler.format_index(lambda c: str(c).replace("_", " "), axis="columns")
    if caption or len(frame) > max_rows:
        styler = styler.set_caption(caption or showing(len(frame), max_rows, "row"))
    return styler.set_table_styles([{"selector": "td, th", "props": "text-align: left; vertical-align: top; max-width: 28em;"}])


def showing(total: int, shown: int, noun: str, which: str = "first", nouns: str | None = None) -> str:
    """'3 roles' when all are shown; '10,000 roles: showing the 20 highest-paid' when not."""
    if total <= shown:
        return plural(total, noun, nouns)
    return f"{plural(total, noun, nouns)}: showing the {shown:,} {which}"


def sample_size_note(n: int, noun: str = "role") -> str:
    """How far a reader can trust a picture of `n` items, in one sentence."""
    if n == 0:
        return f"No {noun}s with the figures needed: nothing to plot."
    if n < 10:
        return f"Very little data: {plural(n, noun)}. Each point is drawn and named; no trend is fitted. This is a picture of the sample, not a finding."
    if n < 300:
        return f"A small sample: {plural(n, noun)}, drawn as points with a trend and its 95% band; the band is wide and the few named points are the farthest from the trend."
    return f"{plural(n, noun)}: too many to draw one by one, so they are drawn as a density; the trend's 95% band shows how well it is pinned down, and only a few of the roles farthest from it (at most 5) are named."
