"""A table's rows from the parsing worker to the writer, in one place.

Parsers give each table's rows as dicts (readable, one per entry they find). From there rows
take one of two shapes, both declared here:
- in the worker, a chunk of documents' rows of the large tables become one set of columns per
  table (`chunk_columns`), each document keeping its span in them: serialized once per chunk;
- in the ingest process and on to the writer, every table is a `TableRows`: Arrow record
  batches in the table's declared schema (a chunk's columns become one batch when its first
  document is merged), plus the rows the merge still holds as dicts; or, for a table another
  process writes, a `ParquetFromElsewhere`.
pyarrow is imported only here and in the writer, never by a worker.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .schema import Table, arrow_schema, table

Row = dict[str, Any]
Columns = dict[str, list]

# Tables whose rows go to the catalog as the parser gave them (no merge across documents):
# carried from the worker as a chunk's columns and spans, held as Arrow batches.
STREAMED_TABLES = ("role_competencies", "salaries", "role_skill_counts", "interview_questions", "role_behaviors", "competency_aliases")
# Rows given as dicts become an Arrow batch every this many rows (memory holds compact columns).
BATCH_ROWS = 10_000


def columns_of(name: str, rows: list[Row]) -> Columns:
    """Rows of a table as a list of values per declared column (missing keys are NULL)."""
    return {c: [r.get(c) for r in rows] for c in table(name).columns}


# -- in the worker ---------------------------------------------------------------------------

Spans = dict[str, tuple[int, int]]  # table name -> a document's (start, stop) in its chunk's columns


def chunk_columns(rows_by_document: list[dict[str, list[Row]]]) -> tuple[dict[str, Columns], list[Spans]]:
    """Take the streamed tables' rows out of each document's rows (in place) and return one set
    of columns per table for all of them, with each document's span in it."""
    held: dict[str, Columns] = {name: {c: [] for c in table(name).columns} for name in STREAMED_TABLES}
    spans: list[Spans] = []
    for rows in rows_by_document:
        doc_spans = {}
        for name in STREAMED_TABLES:
            table_rows = rows.pop(name, None)
            if table_rows:
                cols, doc_cols = held[name], columns_of(name, table_rows)
                start = len(next(iter(cols.values())))
                for c, values in cols.items():
                    values.extend(doc_cols[c])
                doc_spans[name] = (start, start + len(table_rows))
        spans.append(doc_spans)
    return {name: cols for name, cols in held.items() if next(iter(cols.values()))}, spans


# -- Arrow -----------------------------------------------------------------------------------

# pyarrow imports pandas (0.2 s, ~35 MiB of peak here) the first time it converts a Python list,
# only to ask whether the list is a pandas object; the ingest never hands it one. Where the
# command-line tool sets pipeline.ARROW_WITHOUT_PANDAS, pyarrow's one look for pandas finds none.
# A program calling the library keeps pyarrow as it is: pandas there is the caller's.


class _PandasNotImported:
    """A meta path finder that fails the import of pandas (pyarrow takes ImportError as 'no pandas')."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("pandas is not needed by the ingest", name="pandas")
        return None


def pyarrow_module():
    import pyarrow as pa

    import pipeline

    if pipeline.ARROW_WITHOUT_PANDAS and "pandas" not in sys.modules:
        pipeline.ARROW_WITHOUT_PANDAS = False
        sys.meta_path.insert(0, _PandasNotImported)
        try:
            pa.array([], pa.null())  # pyarrow looks for pandas once, now
        finally:
            sys.meta_path.remove(_PandasNotImported)
    return pa


def record_batch(name: str, columns: Columns):
    """One table's columns as an Arrow batch with the declared schema."""
    pa = pyarrow_module()
    t = table(name)
    schema = arrow_schema(t)
    return pa.RecordBatch.from_arrays([pa.array(columns[c], type=schema.field(c).type) for c in t.columns], schema=schema)


def _sorted(arrow, keys):
    try:  # pyarrow >= 25: null placement per key
        return arrow.sort_by([(k, "ascending", "at_start") for k in keys])
    except (TypeError, ValueError):
        return arrow.sort_by([(k, "ascending") for k in keys], null_placement="at_start")


def write_parquet(arrow, where) -> None:
    """One table's Parquet file (at a path, or into a pyarrow buffer): the same bytes either way."""
    import pyarrow.parquet as pq

    pq.write_table(arrow, where, compression="zstd")


# -- in the ingest process and the writer ----------------------------------------------------


class TableRows:
    """One table's rows on their way to the catalog: Arrow batches in the declared schema, and
    rows still held as dicts (where the merge or the crosswalk reads them) or as columns."""

    def __init__(self, name: str, rows: Iterable[Row] = (), batch_rows: int | None = None):
        self.table: Table = table(name)
        self.rows: list[Row] = list(rows)
        self.batches: list = []
        self.slices: list[list] = []  # [batch, start, stop] of chunks' batches, after `batches`
        self.batch_rows = batch_rows or BATCH_ROWS
        self._columns: Columns = {c: [] for c in self.table.columns}

    @property
    def name(self) -> str:
        return self.table.name

    def add_columns(self, columns: Columns) -> None:
        """Rows given as columns; they become an Arrow batch every `batch_rows` rows."""
        held = self._columns
        for c, values in held.items():
            values.extend(columns[c])
        if len(held[self.table.columns[0]]) >= self.batch_rows:
            self.flush()

    def add_batch_slice(self, batch, start: int, stop: int) -> None:
        """Rows start..stop of an Arrow batch (a chunk's); consecutive slices of one batch are joined."""
        if self.slices and self.slices[-1][0] is batch and self.slices[-1][2] == start:
            self.slices[-1][2] = stop
        else:
            self.slices.append([batch, start, stop])

    def flush(self) -> None:
        """The columns held so far as one Arrow batch."""
        if self._columns[self.table.columns[0]]:
            self.batches.append(record_batch(self.name, self._columns))
            self._columns = {c: [] for c in self.table.columns}

    def arrow(self):
        """All the rows as one Arrow table in the table's sort order (NULLs first), so that every
        load writes the same bytes; releases what it held."""
        import pyarrow as pa

        self.flush()
        parts = [*self.batches, *(batch.slice(start, stop - start) for batch, start, stop in self.slices)]
        if self.rows or not parts:
            parts.append(record_batch(self.name, columns_of(self.name, self.rows)))
        self.rows, self.batches, self.slices = [], [], []
        arrow = pa.Table.from_batches(parts, schema=arrow_schema(self.table))
        if self.table.sort_key and arrow.num_rows > 1:
            arrow = _sorted(arrow, self.table.sort_key)
        return arrow.combine_chunks()

    def write_parquet(self, path: Path) -> None:
        write_parquet(self.arrow(), path)

    def parquet_bytes(self) -> bytes:
        """The table's Parquet file as bytes (for a table written in another process: it sends back
        the file, sorted, encoded and compressed there, not its rows)."""
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        write_parquet(self.arrow(), sink)
        return sink.getvalue().to_pybytes()


class ParquetFromElsewhere:
    """A table whose Parquet file another process makes meanwhile (the crosswalk's): asked for
    last, once the writer has loaded the other tables."""

    def __init__(self, name: str, file_bytes: Callable[[], bytes]):
        self.name = name
        self._file_bytes = file_bytes

    def write_parquet(self, path: Path) -> None:
        path.write_bytes(self._file_bytes())


TableData = TableRows | ParquetFromElsewhere
