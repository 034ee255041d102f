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
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rows import TableData

# The schema, the tables' rows and the views are imported where a load is written: a re-ingest
# that finds nothing changed only tidies the loads folder (remove_stale_loads).


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
    from .schema import TABLES, ddl
    from .vendors import vendor_names
    from .views import create_views

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


def write_catalog(tables: dict[str, TableData], out_dir: Path, load_id: str) -> Path:
    """Write a complete load and swap it in. Consumes `tables` (each table's rows are released
    once written; a table not given is written empty). A ParquetFromElsewhere table's file is
    asked for last, once DuckDB has loaded the other tables."""
    out_dir.mkdir(parents=True, exist_ok=True)
    loads = out_dir / ".loads"
    target = loads / load_id
    staging = loads / f"{load_id}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "parquet").mkdir(parents=True)
    try:
        _write_load(tables, staging)
    except BaseException:  # a failed or interrupted load leaves nothing behind; the current catalog is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.replace(staging, target)
    _point(out_dir / "current", Path(".loads") / load_id)
    _ensure_link(out_dir / "catalog.duckdb", Path("current") / "catalog.duckdb")
    _ensure_link(out_dir / "parquet", Path("current") / "parquet")
    remove_stale_loads(out_dir)
    return target


def _write_load(tables: dict[str, TableData], staging: Path) -> None:
    """Every table's Parquet file and the DuckDB database, in the staging folder."""
    import pyarrow as pa

    from .rows import ParquetFromElsewhere, TableRows
    from .schema import TABLES

    pending = {}
    for t in TABLES:  # one table at a time, its rows released as it is written
        data = tables.pop(t.name, None) or TableRows(t.name)
        path = staging / "parquet" / f"{t.name}.parquet"
        if isinstance(data, ParquetFromElsewhere):  # computed elsewhere meanwhile: asked for last, once DuckDB holds the others
            pending[t.name] = lambda path=path, data=data: data.write_parquet(path)
        else:
            data.write_parquet(path)
    pa.default_memory_pool().release_unused()  # hand the freed Arrow buffers back before DuckDB runs
    write_duckdb(staging / "parquet", staging / "catalog.duckdb", pending)


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
    tmp = link.with_name(f"{link.name}.{os.getpid()}.new")  # (unique per process)
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
