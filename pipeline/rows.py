"""Rows as Arrow, in the tables' declared types.

Parsers give each table's rows as dicts (readable, one per entry they find); a worker writes
them as its chunk's Parquet files (pipeline.chunks). The few tables the ingest process makes
itself (the load's row, the scales, the crosswalk's) go to the database as a `TableRows`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from .schema import Table, arrow_schema, table

Row = dict[str, Any]
Columns = dict[str, list]

def columns_of(name: str, rows: list[Row]) -> Columns:
    """Rows of a table as a list of values per declared column (missing keys are NULL)."""
    return {c: [r.get(c) for r in rows] for c in table(name).columns}


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


class TableRows:
    """One table's rows on their way to the catalog: held as dicts or columns, and given as one
    Arrow table in the table's sort order."""

    def __init__(self, name: str, rows: Iterable[Row] = ()):
        self.table: Table = table(name)
        self.rows: list[Row] = list(rows)
        self._columns: Columns = {c: [] for c in self.table.columns}

    @property
    def name(self) -> str:
        return self.table.name

    def add_columns(self, columns: Columns) -> None:
        """Rows given as columns."""
        for c, values in self._columns.items():
            values.extend(columns[c])

    def arrow(self):
        """All the rows as one Arrow table in the table's sort order (NULLs first)."""
        import pyarrow as pa

        parts = [record_batch(self.name, self._columns), record_batch(self.name, columns_of(self.name, self.rows))]
        arrow = pa.Table.from_batches(parts, schema=arrow_schema(self.table))
        if self.table.sort_key and arrow.num_rows > 1:
            arrow = _sorted(arrow, self.table.sort_key)
        return arrow.combine_chunks()
