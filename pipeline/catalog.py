"""Assemble per-document rows into catalog tables (the transform stage's last step).

A competency is one row per (vendor, name) however many documents mention it; behaviors
and levels seen on several pages are merged without duplicates. The first document by
path wins where documents disagree, and the disagreement is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Callable

from .rows import STREAMED_TABLES, Columns, Row, Spans, TableRows, columns_of, record_batch
from .schema import TABLES

# A competency's category or family can differ from one role page to the next (it is kept
# per role in role_competencies.category); two definitions of one name cannot both be right.
REPORTED_CONFLICTS = ("definition",)
# What a later document may fill in where the first left it NULL.
_COMPETENCY_DETAILS = ("definition", "category", "family", "notes")
_LEVEL_DETAILS = ("label", "behaviors_hidden")
_MERGED_TABLES = ("competencies", "competency_levels", "behaviors")

Warn = Callable[[str, str, str], None]


def _as_batches(chunk: dict[str, Columns | object]) -> None:
    """A chunk's streamed columns as Arrow batches, converted in place once: every document of
    the chunk shares the dict, so the next ones find the batches (and the ingest process turns
    each chunk into batches as it merges: the workers never import pyarrow)."""
    for name, cols in chunk.items():
        if isinstance(cols, dict):
            chunk[name] = record_batch(name, cols)


class CatalogBuilder:
    """Takes each document's rows in path order: merges competencies, levels and behaviors
    across documents, and holds the other tables as TableRows (Arrow batches as they fill)."""

    def __init__(self, warn: Warn, batch_rows: int | None = None):
        self.warn = warn
        self.tables: dict[str, TableRows] = {t.name: TableRows(t.name, batch_rows=batch_rows) for t in TABLES}
        self.competencies: dict[str, Row] = {}
        self.levels: dict[tuple, Row] = {}
        self.behavior_keys: set[tuple] = set()

    def add(self, document_id: str, rows: dict[str, list[Row]], streamed: tuple[dict, Spans] | None = None) -> None:
        """One document's rows; its streamed tables as rows too, or as (its chunk's columns, its
        spans in them) from rows.chunk_columns."""
        for row in rows.get("competencies", []):
            self._add_competency(document_id, row)
        for row in rows.get("competency_levels", []):
            self._add_level(row)
        for row in rows.get("behaviors", []):
            key = (row["competency_id"], row["level"], row["text"])
            if key not in self.behavior_keys:
                self.behavior_keys.add(key)
                self.tables["behaviors"].rows.append(row)
        for name, table_rows in rows.items():
            if name in _MERGED_TABLES or not table_rows:
                continue
            if name in STREAMED_TABLES:
                self.tables[name].add_columns(columns_of(name, table_rows))
            else:
                self.tables[name].rows.extend(table_rows)
        if streamed:
            self._add_spans(*streamed)

    def _add_competency(self, document_id: str, row: Row) -> None:
        have = self.competencies.get(row["competency_id"])
        if have is None:
            self.competencies[row["competency_id"]] = dict(row)
            return
        for col in _COMPETENCY_DETAILS:
            new, old = row.get(col), have.get(col)
            if new is None:
                continue
            if old is None:
                have[col] = new
            elif new != old and col in REPORTED_CONFLICTS:
                self.warn(document_id, "conflicting_value",
                          f"{have['name']}: this document's {col} {new!r} differs from {old!r} given by an earlier document; the earlier one is kept")

    def _add_level(self, row: Row) -> None:
        key = (row["competency_id"], row["level"])
        have = self.levels.get(key)
        if have is None:
            self.levels[key] = dict(row)
            return
        for col in _LEVEL_DETAILS:
            if row.get(col) is not None and have.get(col) is None:
                have[col] = row[col]

    def _add_spans(self, chunk: dict, spans: Spans) -> None:
        _as_batches(chunk)
        for name, (start, stop) in spans.items():
            self.tables[name].add_batch_slice(chunk[name], start, stop)

    def finish(self) -> dict[str, TableRows]:
        """Every table of the catalog; the merged ones as rows, in first-seen order."""
        self.tables["competencies"].rows = list(self.competencies.values())
        self.tables["competency_levels"].rows = list(self.levels.values())
        return self.tables
