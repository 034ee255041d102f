"""Export the catalog for other tools.

- csv, parquet: one file per table and one per view (`<name>.csv` / `<name>.parquet`).
- xlsx: the views as one Excel workbook, `catalog.xlsx` (pipeline/workbook.py).
- case: one 1EdTech CASE 1.1 package per vendor framework, `<vendor>.json` (pipeline/case.py).
"""

from __future__ import annotations

from pathlib import Path

from .schema import TABLES
from .views import VIEWS

FORMATS = ("csv", "parquet", "xlsx", "case")
WORKBOOK = "catalog.xlsx"


def export(con, fmt: str, out_dir: Path) -> list[Path]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "case":
        from .case import export_case

        return export_case(con, out_dir)
    if fmt == "xlsx":
        from .workbook import write_workbook

        return [write_workbook(con, out_dir / WORKBOOK)]
    options = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT PARQUET, COMPRESSION zstd)"
    written = []
    for name in [t.name for t in TABLES] + [v.name for v in VIEWS]:
        path = out_dir / f"{name}.{fmt}"
        con.execute(f"COPY (SELECT * FROM {name} ORDER BY ALL) TO '{_sql_path(path)}' {options}")
        written.append(path)
    return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
