"""Assemble per-document rows into catalog tables (the transform stage's last step).

A competency is one row per (vendor, name) however many documents mention it; behaviors
and levels seen on several pages are merged without duplicates. The first document by
path wins where documents disagree, and the disagreement is reported as a warning.
"""

from __future__ import annotations

from .schema import TABLES, table, to_columns


# A competency's category or family can differ from one role page to the next (it is kept
# per role in role_competencies.category); two definitions of one name cannot both be right.
REPORTED_CONFLICTS = ("definition",)


# Tables whose rows go to the catalog as they are: the parsing worker turns a chunk of
# documents' rows into one set of columns per table (stream_tables), and each document keeps
# its span of rows in them; the ingest process turns a chunk's columns into one Arrow batch
# when the chunk's first document is merged (the workers never import pyarrow, nor the pandas
# it imports on its first conversion) and memory holds compact columns, not a dict per row.
BATCH_ROWS = 10_000
STREAMED_TABLES = ("role_competencies", "salaries", "role_skill_counts", "interview_questions", "role_behaviors", "competency_aliases")


def stream_tables(rows_by_document: list[dict[str, list[dict]]]) -> tuple[dict[str, dict[str, list]], list[dict[str, tuple[int, int]]]]:
    """Take the streamed tables' rows out of each document's rows (in place) and return one
    set of columns per table for all of them, with each document's (start, stop) span in it."""
    held = {name: {c: [] for c in table(name).columns} for name in STREAMED_TABLES}
    spans: list[dict[str, tuple[int, int]]] = []
    for rows in rows_by_document:
        doc_spans = {}
        for name in STREAMED_TABLES:
            table_rows = rows.pop(name, None)
            if table_rows:
                cols, doc_cols = held[name], to_columns(name, table_rows)
                start = len(next(iter(cols.values())))
                for c, values in cols.items():
                    values.extend(doc_cols[c])
                doc_spans[name] = (start, start + len(table_rows))
        spans.append(doc_spans)
    return {name: cols for name, cols in held.items() if next(iter(cols.values()))}, spans


def _as_batches(chunk: dict[str, object]) -> None:
    """A chunk's streamed columns as Arrow batches, converted in place once: every document of
    the chunk shares the dict, so the next ones find the batches."""
    from .load import record_batch

    for name, cols in chunk.items():
        if isinstance(cols, dict):
            chunk[name] = record_batch(name, cols)


class CatalogBuilder:
    """Takes each document's rows in path order: merges competencies, levels and behaviors
    across documents, and turns the other large tables into Arrow batches as they fill."""

    def __init__(self, warn, batch_rows: int | None = None):
        self.warn = warn
        self.batch_rows = batch_rows or BATCH_ROWS
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
        self.batches: dict[str, list] = {name: [] for name in STREAMED_TABLES}
        self.columns: dict[str, dict[str, list]] = {name: {c: [] for c in table(name).columns} for name in STREAMED_TABLES}
        self.spans: dict[str, list[list]] = {name: [] for name in STREAMED_TABLES}  # [batch, start, stop], consecutive spans joined
        self.competencies: dict[str, dict] = {}
        self.levels: dict[tuple, dict] = {}
        self.behavior_keys: set[tuple] = set()

    def add(self, document_id: str, rows: dict[str, list[dict]], streamed: tuple[dict, dict] | None = None) -> None:
        """One document's rows; its streamed tables as rows too, or as (its chunk's columns, its
        spans in them) from stream_tables."""
        for row in rows.get("competencies", []):
            have = self.competencies.get(row["competency_id"])
            if have is None:
                self.competencies[row["competency_id"]] = dict(row)
                continue
            for col in ("definition", "category", "family", "notes"):
                new = row.get(col)
                if new is None:
                    continue
                old = have.get(col)
                if old is None:
                    have[col] = new
                elif new != old and col in REPORTED_CONFLICTS:
                    self.warn(document_id, "conflicting_value", f"{have['name']}: this document's {col} {new!r} differs from {have[col]!r} given by an earlier document; the earlier one is kept")
        for row in rows.get("competency_levels", []):
            have = self.levels.get((row["competency_id"], row["level"]))
            if have is None:
                self.levels[(row["competency_id"], row["level"])] = dict(row)
            else:
                for col in ("label", "behaviors_hidden"):
                    new = row.get(col)
                    if new is not None and have.get(col) is None:
                        have[col] = new
        for row in rows.get("behaviors", []):
            key = (row["competency_id"], row["level"], row["text"])
            if key not in self.behavior_keys:
                self.behavior_keys.add(key)
                self.rows["behaviors"].append(row)
        for name, table_rows in rows.items():
            if name in ("competencies", "competency_levels", "behaviors") or not table_rows:
                continue
            if name in self.columns:
                self._extend(name, to_columns(name, table_rows))
            else:
                self.rows[name].extend(table_rows)
        if streamed:
            batches, spans = streamed
            _as_batches(batches)
            for name, (start, stop) in spans.items():
                held = self.spans[name]
                if held and held[-1][0] is batches[name] and held[-1][2] == start:
                    held[-1][2] = stop  # the next document of the same chunk: one span
                else:
                    held.append([batches[name], start, stop])

    def _extend(self, name: str, cols: dict[str, list]) -> None:
        held = self.columns[name]
        for c, values in held.items():
            values.extend(cols[c])
        if len(values) >= self.batch_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        from .load import record_batch

        held = self.columns[name]
        if held[next(iter(held))]:
            self.batches[name].append(record_batch(name, held))
            self.columns[name] = {c: [] for c in held}

    def finish(self) -> tuple[dict[str, list[dict]], dict[str, list]]:
        self.rows["competencies"] = list(self.competencies.values())
        self.rows["competency_levels"] = list(self.levels.values())
        for name in STREAMED_TABLES:
            self._flush(name)
            self.batches[name].extend(batch.slice(start, stop - start) for batch, start, stop in self.spans[name])
            self.spans[name] = []
        return self.rows, self.batches
