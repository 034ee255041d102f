"""The analyst views as one Excel workbook (catalog.xlsx), written with openpyxl.

A sheet per view (pipeline/views.py), the views an analyst opens first in front; each with its
header row frozen and filtered, columns wide enough for their first rows, and number formats
chosen by what a column holds (salaries, 0-100 levels, scores, shares, dates). A last sheet,
`about`, says what every sheet and column holds. NULL is an empty cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .views import VIEWS

FIRST_SHEETS = ("role_summary", "competency_requirements", "competency_crosswalk", "esco_pivot")
EXCEL_MAX_ROWS = 1_048_576  # rows in one Excel sheet, the header's included
_WIDTH_SAMPLE = 1000  # rows a column's width is measured on
_MAX_WIDTH = 60

SALARY = "#,##0"
LEVEL_0_100 = "0.0"
SCORE = "0.000"
SHARE = "0.0%"
WHOLE = "0"
TIMESTAMP = "yyyy-mm-dd hh:mm:ss"


def number_format(column: str, value_type: str) -> str | None:
    """How Excel shows a column, from its name and DuckDB type (None: Excel's default)."""
    if "salary" in column or column == "amount":
        return SALARY
    if column.endswith("_normalized"):
        return LEVEL_0_100
    if column == "score":
        return SCORE
    if column.startswith("share") or column.endswith("_share"):
        return SHARE
    if value_type.startswith("TIMESTAMP"):
        return TIMESTAMP
    if value_type in ("INTEGER", "BIGINT", "HUGEINT", "SMALLINT"):
        return WHOLE
    return None


def sheet_order() -> list[str]:
    names = [v.name for v in VIEWS]
    return [n for n in FIRST_SHEETS if n in names] + [n for n in names if n not in FIRST_SHEETS]


def write_workbook(con, path: Path) -> Path:
    from openpyxl import Workbook

    views = {v.name: v for v in VIEWS}
    for name in sheet_order():  # before writing anything: a view too long for a sheet fails the export
        count = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        if count + 1 > EXCEL_MAX_ROWS:
            raise ValueError(f"the view {name} has {count:,} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS - 1:,}): "
                             "export it as csv or parquet")
    book = Workbook(write_only=True)
    for name in sheet_order():
        _write_sheet(con, book, name, views[name].description)
    _write_about(book, [views[n] for n in sheet_order()])
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)  # an interrupted export leaves no half-written workbook under the final name
    return path


def _write_sheet(con, book, name: str, description: str) -> None:
    from openpyxl.utils import get_column_letter

    cur = con.execute(f"SELECT * FROM {name}")
    columns = [d[0] for d in cur.description]
    formats = [number_format(c, str(d[1])) for c, d in zip(columns, cur.description)]
    rows = cur.fetchall()
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for i, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(i + 1)].width = _width(column, [r[i] for r in rows[:_WIDTH_SAMPLE]], formats[i])
    sheet.append(_header(sheet, columns))
    for row in rows:
        sheet.append([_cell(sheet, value, fmt) for value, fmt in zip(row, formats)])


def _header(sheet, columns: list[str]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cell(sheet, value, fmt: str | None):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters an xlsx cell cannot hold
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    if fmt is None or value is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = fmt
    return cell


def _width(column: str, values: list, fmt: str | None) -> float:
    """Characters wide: the header or the longest of the first values, as formatted, within bounds."""
    def shown(v) -> int:
        if v is None:
            return 0
        if fmt == SALARY and isinstance(v, (int, float)):
            return len(f"{v:,.0f}")
        if fmt == TIMESTAMP:
            return 19
        return max((len(line) for line in str(v).splitlines()), default=0)

    return float(min(max([len(column), *map(shown, values)]) + 2, _MAX_WIDTH))


def _write_about(book, views: list) -> None:
    """A sheet saying what each sheet and column holds."""
    sheet = book.create_sheet("about")
    sheet.freeze_panes = "A2"
    for letter, width in (("A", 26), ("B", 32), ("C", 100)):
        sheet.column_dimensions[letter].width = width
    sheet.append(_header(sheet, ["sheet", "column", "what it holds"]))
    for view in views:
        sheet.append([view.name, None, view.description])
        for column, description in view.columns:
            sheet.append([view.name, column, description])
