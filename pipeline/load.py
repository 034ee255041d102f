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

from .schema import TABLES, arrow_schema, ddl
from .views import create_views


def arrow_tables(tables: dict[str, list[dict]]) -> dict:
    import pyarrow as pa

    out = {}
    for t in TABLES:
        schema = arrow_schema(t)
        rows = tables.get(t.name, [])
        # Column by column: several times faster than from_pylist over row dicts.
        out[t.name] = pa.table({c: pa.array([r.get(c) for r in rows], type=schema.field(c).type) for c in t.columns}, schema=schema)
    return out


def write_duckdb(arrow: dict[str, pa.Table], db_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db_path))
    try:
        con.execute("BEGIN")
        for t in TABLES:
            con.execute(ddl(t))
            con.register("_incoming", arrow[t.name])
            con.execute(f"INSERT INTO {t.name} BY NAME SELECT * FROM _incoming")
            con.unregister("_incoming")
        create_views(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def write_catalog(tables: dict[str, list[dict]], out_dir: Path, load_id: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    loads = out_dir / ".loads"
    target = loads / load_id
    staging = loads / f"{load_id}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "parquet").mkdir(parents=True)
    import pyarrow.parquet as pq

    arrow = arrow_tables(tables)
    for name, tbl in arrow.items():
        pq.write_table(tbl, staging / "parquet" / f"{name}.parquet", compression="zstd")
    write_duckdb(arrow, staging / "catalog.duckdb")
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
