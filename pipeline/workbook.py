"""The analyst views as one Excel workbook (catalog.xlsx), written with XlsxWriter.

A sheet per view (pipeline/views.py), the views an analyst opens first in front; each with its
header row frozen and filtered, columns wide enough for their first rows, and number formats
chosen by what a column holds (salaries, 0-100 levels, scores, shares, dates). A last sheet,
`about`, says what every sheet and column holds. NULL is an empty cell; text is always text
(never a formula or a link, whatever it starts with).
"""

from __future__ import annotations

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
    import xlsxwriter

    views = {v.name: v for v in VIEWS}
    for name in sheet_order():  # before writing anything: a view too long for a sheet fails the export
        count = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        if count + 1 > EXCEL_MAX_ROWS:
            raise ValueError(f"the view {name} has {count:,} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS - 1:,}): "
                             "export it as csv or parquet")
    tmp = path.with_name(path.name + ".tmp")
    book = xlsxwriter.Workbook(str(tmp), {
        "constant_memory": True,  # rows streamed to disk, not held for the whole workbook
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,  # text read from documents stays text
        "nan_inf_to_errors": True, "remove_timezone": True,
    })
    bold = book.add_format({"bold": True})
    formats = {fmt: book.add_format({"num_format": fmt}) for fmt in (SALARY, LEVEL_0_100, SCORE, SHARE, WHOLE, TIMESTAMP)}
    for name in sheet_order():
        _write_sheet(con, book.add_worksheet(name), name, bold, formats)
    _write_about(book.add_worksheet("about"), [views[n] for n in sheet_order()], bold)
    book.close()
    tmp.replace(path)  # an interrupted export leaves no half-written workbook under the final name
    return path


def _write_sheet(con, sheet, name: str, bold, formats: dict) -> None:
    cur = con.execute(f"SELECT * FROM {name} ORDER BY ALL")  # the same file for the same catalog (a view has no order of its own)
    columns = [d[0] for d in cur.description]
    column_formats = [number_format(c, str(d[1])) for c, d in zip(columns, cur.description)]
    rows = cur.fetchall()
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    for i, column in enumerate(columns):
        fmt = column_formats[i]
        sheet.set_column(i, i, _width(column, [r[i] for r in rows[:_WIDTH_SAMPLE]], fmt), formats[fmt] if fmt else None)
    sheet.write_row(0, 0, columns, bold)
    for n, row in enumerate(rows, start=1):
        sheet.write_row(n, 0, row)  # a cell takes its column's format


def _width(column: str, values: list, fmt: str | None) -> float:
    """Characters wide: the header or the longest of the first values, as formatted, within bounds."""
    def shown(v) -> int:
        if v is None:
            return 0
        if fmt == SALARY and isinstance(v, (int, float)):
            return len(f"{v:,.0f}")
        if fmt == TIMESTAMP:
            return len("yyyy-mm-dd hh:mm:ss")
        return max((len(line) for line in str(v).splitlines()), default=0)

    return float(min(max([len(column), *map(shown, values)]) + 2, _MAX_WIDTH))


def _write_about(sheet, views: list, bold) -> None:
    """A sheet saying what each sheet and column holds."""
    sheet.freeze_panes(1, 0)
    for col, width in enumerate((26, 32, 100)):
        sheet.set_column(col, col, width)
    sheet.write_row(0, 0, ["sheet", "column", "what it holds"], bold)
    n = 1
    for view in views:
        sheet.write_row(n, 0, [view.name, None, view.description])
        n += 1
        for column, description in view.columns:
            sheet.write_row(n, 0, [view.name, column, description])
            n += 1
