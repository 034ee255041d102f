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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The schema, the tables' rows and the views are imported where a load is written: a re-ingest
# that finds nothing changed only tidies the loads folder (remove_stale_loads).


def write_catalog(out_dir: Path, load_id: str, fill: Callable[[Any], Later | None] | None = None) -> Path:
    """Write a complete load and swap it in: the catalog's tables are created in a new DuckDB
    database, `fill(connection)` fills them (or all but a few, which it fills later: see
    Later; no `fill`: an empty catalog), each table is written as Parquet from the database,
    and the views are created."""
    out_dir.mkdir(parents=True, exist_ok=True)
    loads = out_dir / ".loads"
    target = loads / load_id
    staging = loads / f"{load_id}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "parquet").mkdir(parents=True)
    try:
        write_duckdb(staging, fill)
        shutil.rmtree(staging / "duckdb.tmp", ignore_errors=True)
    except BaseException:  # a failed or interrupted load leaves nothing behind; the current catalog is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.replace(staging, target)
    _point(out_dir / "current", Path(".loads") / load_id)
    _ensure_link(out_dir / "catalog.duckdb", Path("current") / "catalog.duckdb")
    _ensure_link(out_dir / "parquet", Path("current") / "parquet")
    remove_stale_loads(out_dir)
    return target


@dataclass
class Later:
    """Tables `fill` fills once the others are written (computed meanwhile elsewhere)."""

    tables: tuple[str, ...]
    fill: Callable[[Any], None]


def write_duckdb(staging: Path, fill: Callable[[Any], Later | None] | None) -> None:
    """The database and the Parquet files of a load, in its staging folder."""
    import duckdb

    # One thread and a memory cap keep the load's peak small; DuckDB spills past it (into the
    # staging folder). Each table is checkpointed once filled, so DuckDB's memory holds one
    # table at a time. Atomicity comes from the staging folder: nothing reads this database
    # before it is swapped in whole.
    con = duckdb.connect(str(staging / "catalog.duckdb"), config={"threads": 1, "memory_limit": "256MB", "preserve_insertion_order": True,
                                                                  "temp_directory": str(staging / "duckdb.tmp")})
    try:
        _create_tables(con)
        later = (fill(con) if fill else None) or Later((), lambda con: None)
        _write_parquet(con, staging / "parquet", lambda name: name not in later.tables)
        later.fill(con)
        _write_parquet(con, staging / "parquet", lambda name: name in later.tables)
        from .views import create_views

        create_views(con)
        con.execute("CHECKPOINT")
    except (duckdb.InterruptException, RuntimeError) as exc:
        # DuckDB catches Ctrl-C during a query and raises "Query interrupted" instead.
        if isinstance(exc, duckdb.InterruptException) or "interrupted" in str(exc).lower():
            raise KeyboardInterrupt from exc
        raise
    finally:
        con.close()


def _create_tables(con) -> None:
    from .schema import TABLES, ddl
    from .vendors import vendor_names

    for t in TABLES:
        con.execute(ddl(t, vendor_names()))


# Rows per Parquet row group (a batch from DuckDB each): the same rows give the same file.
ROW_GROUP_ROWS = 65_536


def _write_parquet(con, folder: Path, which: Callable[[str], bool]) -> None:
    """Each table's Parquet file (of those `which` says), streamed from the database a row group
    at a time, in its declared Arrow types."""
    import pyarrow.parquet as pq

    from .schema import TABLES, arrow_schema

    for t in filter(lambda t: which(t.name), TABLES):
        schema = arrow_schema(t)
        reader = con.sql(f"SELECT {', '.join(t.columns)} FROM {t.name}").to_arrow_reader(ROW_GROUP_ROWS)
        with pq.ParquetWriter(folder / f"{t.name}.parquet", schema, compression="zstd") as writer:
            written = 0
            for batch in reader:
                writer.write_batch(batch.cast(schema))
                written += batch.num_rows
            if not written:  # an empty table: one empty row group, as pyarrow writes an empty table
                writer.write_table(schema.empty_table())


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
