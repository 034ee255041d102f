"""Load: write the catalog tables as Parquet and a DuckDB database, swapped in atomically.

Layout of the output folder:
    catalog.duckdb -> current/catalog.duckdb
    parquet        -> current/parquet          (one <table>.parquet per table)
    current        -> .loads/<load_id>

A load is written completely under .loads/<load_id>/ first; then the single `current`
link is replaced with os.replace, which is atomic. A load that fails or is interrupted
before that leaves the previous catalog exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .schema import TABLES, arrow_schema, ddl, table, to_columns
from .views import create_views


# pyarrow imports pandas (0.2 s, ~35 MiB of peak here) the first time it converts a Python list,
# only to ask whether the list is a pandas object; the ingest never hands it one. The
# command-line tool (cli.console) sets this: in its own process pyarrow's one look for pandas
# finds none. A program calling the library keeps pyarrow as it is: pandas there is the caller's.
ARROW_WITHOUT_PANDAS = False


class _PandasNotImported:
    """A meta path finder that fails the import of pandas (pyarrow takes ImportError as 'no pandas')."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("pandas is not needed by the ingest", name="pandas")
        return None


def pyarrow_module():
    global ARROW_WITHOUT_PANDAS
    import pyarrow as pa

    if ARROW_WITHOUT_PANDAS and "pandas" not in sys.modules:
        ARROW_WITHOUT_PANDAS = False
        sys.meta_path.insert(0, _PandasNotImported)
        try:
            pa.array([], pa.null())  # pyarrow looks for pandas once, now
        finally:
            sys.meta_path.remove(_PandasNotImported)
    return pa


def record_batch(name: str, columns: dict[str, list]):
    """One table's columns (a list of values per declared column) as an Arrow batch with the
    declared schema."""
    pa = pyarrow_module()
    t = table(name)
    schema = arrow_schema(t)
    return pa.RecordBatch.from_arrays([pa.array(columns[c], type=schema.field(c).type) for c in t.columns], schema=schema)


def rows_batch(name: str, rows: list[dict]):
    """Row dicts as an Arrow batch, built column by column (several times faster than
    from_pylist over row dicts)."""
    return record_batch(name, to_columns(name, rows))


def arrow_table(t, rows: list[dict], batches: list):
    """One table as Arrow, in its sort order (NULLs first): each load writes the same bytes."""
    import pyarrow as pa

    parts = list(batches)
    if isinstance(rows, dict):  # already columns
        parts.append(record_batch(t.name, rows))
    elif rows or not parts:
        parts.append(rows_batch(t.name, rows))
    arrow = pa.Table.from_batches(parts, schema=arrow_schema(t))
    if t.sort_key and arrow.num_rows > 1:
        arrow = _sorted(arrow, t.sort_key)
    return arrow.combine_chunks()


def write_parquet(arrow, where) -> None:
    """One table's Parquet file (at a path, or into a pyarrow buffer): the same bytes either way."""
    import pyarrow.parquet as pq

    pq.write_table(arrow, where, compression="zstd")


def parquet_bytes(name: str, rows) -> bytes:
    """One table's Parquet file as bytes, for a table computed in another process: it sends back
    the file (sorted, encoded and compressed there), not its rows."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    write_parquet(arrow_table(table(name), rows, []), sink)
    return sink.getvalue().to_pybytes()


def _sorted(arrow, keys):
    try:  # pyarrow >= 25: null placement per key
        return arrow.sort_by([(k, "ascending", "at_start") for k in keys])
    except (TypeError, ValueError):
        return arrow.sort_by([(k, "ascending") for k in keys], null_placement="at_start")


def write_duckdb(parquet_dir: Path, db_path: Path, pending: dict | None = None) -> None:
    """Fill the database from the Parquet files just written: DuckDB streams them, so the
    Arrow tables are already released and the two copies never sit in memory together.
    `pending`: table name -> a function writing its Parquet file, called once the other tables
    are loaded (the files are written meanwhile in another process: the crosswalk's)."""
    import duckdb

    # One thread and a memory cap keep the load's peak small; DuckDB spills if it needs more.
    # Each table is checkpointed once inserted, so DuckDB's memory holds one table at a time
    # (one transaction around all of them held every table until the commit). Atomicity comes
    # from the staging folder: nothing reads this database before it is swapped in whole.
    con = duckdb.connect(str(db_path), config={"threads": 1, "memory_limit": "256MB", "preserve_insertion_order": True})
    try:
        _load_tables(con, parquet_dir, pending or {})
    except (duckdb.InterruptException, RuntimeError) as exc:
        # DuckDB catches Ctrl-C during a query and raises "Query interrupted" instead.
        if isinstance(exc, duckdb.InterruptException) or "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from exc
        raise
    finally:
        con.close()


def _load_tables(con, parquet_dir: Path, pending: dict) -> None:
    from .vendors import vendor_names

    for t in TABLES:  # created in schema order, filled with the pending ones last
        con.execute(ddl(t, vendor_names()))
    for t in sorted(TABLES, key=lambda t: t.name in pending):
        if t.name in pending:
            pending[t.name]()
        source = str(parquet_dir / f"{t.name}.parquet").replace("'", "''")
        con.execute(f"INSERT INTO {t.name} BY NAME SELECT * FROM read_parquet('{source}')")
        con.execute("CHECKPOINT")
    create_views(con)
    con.execute("CHECKPOINT")


def write_catalog(tables: dict[str, list[dict]], out_dir: Path, load_id: str, batches: dict[str, list] | None = None) -> Path:
    """Write a complete load and swap it in. Consumes `tables` and `batches` (each table's rows
    are released once written). A table's rows are a list of dicts or columns (a dict of
    lists); given as a callable (computed meanwhile in another process), it gives the table's
    Parquet file (parquet_bytes), asked for last, once DuckDB has loaded the other tables."""
    out_dir.mkdir(parents=True, exist_ok=True)
    loads = out_dir / ".loads"
    target = loads / load_id
    staging = loads / f"{load_id}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "parquet").mkdir(parents=True)
    import pyarrow as pa

    pending = {}
    for t in TABLES:  # one table at a time, its rows released as it is written
        rows = tables.pop(t.name, [])
        path = staging / "parquet" / f"{t.name}.parquet"
        if callable(rows):  # computed elsewhere meanwhile (the crosswalk): asked for last, once DuckDB holds the others
            pending[t.name] = lambda path=path, file_bytes=rows: path.write_bytes(file_bytes())
        else:
            write_parquet(arrow_table(t, rows, (batches or {}).pop(t.name, [])), path)
    pa.default_memory_pool().release_unused()  # hand the freed Arrow buffers back before DuckDB runs
    write_duckdb(staging / "parquet", staging / "catalog.duckdb", pending)
    os.replace(staging, target)
    _point(out_dir / "current", Path(".loads") / load_id)
    _ensure_link(out_dir / "catalog.duckdb", Path("current") / "catalog.duckdb")
    _ensure_link(out_dir / "parquet", Path("current") / "parquet")
    remove_stale_loads(out_dir)
    return target


def remove_stale_loads(out_dir: Path) -> None:
    """Delete earlier loads and the staging folders of interrupted ones: only `current` is reachable."""
    loads = Path(out_dir) / ".loads"
    try:
        keep = os.readlink(Path(out_dir) / "current")
        entries = list(loads.iterdir())
    except OSError:
        return
    for old in entries:
        if old.name != Path(keep).name:
            shutil.rmtree(old, ignore_errors=True)


def _point(link: Path, target: Path) -> None:
    tmp = link.with_name(link.name + ".new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _ensure_link(link: Path, target: Path) -> None:
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    _point(link, target)
