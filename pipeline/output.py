"""Query results as text: a table that fits the terminal (rich), or CSV, TSV, JSON, NDJSON,
Markdown (tabulate) for other tools.

Machine formats (csv, tsv, json, ndjson) carry the values as they are; the formats people read
(table, markdown) right-align numbers and write them for reading (63586.0 as 63,586), and the
table shortens long text to fit the width, as DuckDB's own shell does.
"""

from __future__ import annotations

import datetime
import decimal
import io
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown")
MAX_ROWS = 40  # rows a table shows (the first and last halves), as DuckDB's shell does; 0: all
_MIN_COLUMN = 8  # a column narrower than this (or its own width) is hidden instead of squeezed


def render(cols: Sequence[str], rows: Sequence[Sequence], fmt: str, width: int = 80, max_rows: int = MAX_ROWS,
           percent: Sequence[str] = ()) -> str:
    """`rows` under `cols` in format `fmt`; `percent`: columns holding shares, shown as 23%
    in the formats people read."""
    if fmt in ("csv", "tsv"):
        return _delimited(cols, rows, "," if fmt == "csv" else "\t")
    if fmt in ("json", "ndjson"):
        records = [{c: _json_value(v) for c, v in zip(cols, r)} for r in rows]
        if fmt == "ndjson":
            return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
        return json.dumps(records, ensure_ascii=False, indent=1)
    cells, numeric = _display(cols, rows, percent)
    if fmt == "markdown":
        return _markdown(cols, cells, numeric)
    return _table(cols, cells, numeric, width, max_rows)


def count_line(shown_rows: int, rows: int, shown_cols: int, cols: int) -> str:
    """The line under a table: how many rows, and what was left out."""
    text = f"{rows:,} row{'' if rows == 1 else 's'}"
    left_out = []
    if shown_rows < rows:
        left_out.append(f"{shown_rows} shown")
    if shown_cols < cols:
        left_out.append(f"{shown_cols} of {cols} columns")
    if left_out:
        text += f", {'; '.join(left_out)}: --format csv for all"
    return f"({text})"


# -- machine formats ---------------------------------------------------------------------


def _delimited(cols: Sequence[str], rows: Sequence[Sequence], delimiter: str) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(cols)
    writer.writerows([_delimited_value(v) for v in r] for r in rows)
    return buf.getvalue().rstrip("\n")


def _delimited_value(v):
    if v is None:
        return ""
    if isinstance(v, list | tuple | dict):
        return json.dumps(_json_value(v), ensure_ascii=False)  # a list or struct as JSON, not Python's repr
    return v


def _json_value(v):
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None  # JSON has no NaN or infinity
    if isinstance(v, datetime.date | datetime.time):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, bool | int | float | str) or v is None:
        return v
    return str(v)  # UUID, interval and other types: their text


# -- formats people read -----------------------------------------------------------------


def _is_number(v) -> bool:
    return isinstance(v, int | float | decimal.Decimal) and not isinstance(v, bool)


def _number_format(values: list) -> Callable[[Any], str]:
    """How a numeric column is written: whole numbers as integers (floats with thousands
    separators: amounts), others with two decimals (three below 1)."""
    if all(isinstance(v, int) for v in values):
        return str
    finite = [float(v) for v in values if math.isfinite(float(v))]
    if all(v == int(v) for v in finite):
        return lambda v: f"{v:,.0f}" if math.isfinite(float(v)) else str(v)
    decimals = 3 if all(abs(v) < 1 for v in finite) else 2
    return lambda v: f"{v:,.{decimals}f}" if math.isfinite(float(v)) else str(v)


def _display(cols: Sequence[str], rows: Sequence[Sequence], percent: Sequence[str]) -> tuple[list[list[str]], list[bool]]:
    """Every value as the text people read, and which columns are numbers (right-aligned)."""
    formats: list[Callable[[Any], str]] = []
    numeric: list[bool] = []
    for i, c in enumerate(cols):
        values = [r[i] for r in rows if r[i] is not None]
        is_number = bool(values) and all(_is_number(v) for v in values)
        numeric.append(is_number)
        if is_number and c in percent:
            formats.append(lambda v: f"{float(v):.0%}")
        elif is_number:
            formats.append(_number_format(values))
        else:
            formats.append(_text)
    cells = [["NULL" if v is None else f(v) for v, f in zip(r, formats)] for r in rows]
    return cells, numeric


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return " ".join(str(v).split("\n"))  # one line per row


def _markdown(cols: Sequence[str], cells: list[list[str]], numeric: list[bool]) -> str:
    from tabulate import tabulate

    escaped = [[c.replace("|", "\\|") for c in r] for r in cells]
    align = ["right" if n else "left" for n in numeric]
    return tabulate(escaped, headers=list(cols), tablefmt="pipe", colalign=align, disable_numparse=True) if cols else ""


def _column_widths(cols: Sequence[str], cells: list[list[str]], numeric: list[bool], width: int) -> list[int]:
    """Each column's width so that the table fits `width` (two spaces between columns): the
    columns as wide as their text if they fit, else the widest text columns shortened to a
    common cap (never below _MIN_COLUMN; numbers never shortened). Columns that still do not
    fit, from the right, are left out (fewer widths than columns)."""
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    floor = [n if numeric[i] else min(n, _MIN_COLUMN) for i, n in enumerate(natural)]
    count = len(cols)
    while count > 1 and sum(floor[:count]) + 2 * (count - 1) > width:
        count -= 1
    room = width - 2 * (count - 1)
    widths = natural[:count]
    if sum(widths) <= room:
        return widths
    fixed = sum(w for i, w in enumerate(widths) if numeric[i])
    text = sorted(w for i, w in enumerate(widths) if not numeric[i])
    cap, left, remaining = _MIN_COLUMN, room - fixed, len(text)
    for w in text:  # the widest cap that fits: narrow columns keep their width, the rest share what is left
        if w * remaining > left:
            cap = max(_MIN_COLUMN, left // remaining)
            break
        left -= w
        remaining -= 1
    return [w if numeric[i] else min(w, cap) for i, w in enumerate(widths)]


def _table(cols: Sequence[str], cells: list[list[str]], numeric: list[bool], width: int, max_rows: int) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    widths = _column_widths(cols, cells, numeric, width)
    shown = cells
    if max_rows and len(cells) > max_rows:  # the first and the last rows, as DuckDB's shell shows them
        shown = cells[: max_rows - max_rows // 2] + [["…"] * len(cols)] + cells[len(cells) - max_rows // 2:]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", padding=(0, 1), collapse_padding=True)
    for i, w in enumerate(widths):
        table.add_column(cols[i], justify="right" if numeric[i] else "left", no_wrap=True, overflow="ellipsis", width=w)
    for r in shown:
        table.add_row(*r[: len(widths)])
    buf = io.StringIO()
    Console(file=buf, width=max(width, sum(widths) + 2 * len(widths)), color_system=None, force_terminal=False, legacy_windows=False,
            highlight=False).print(table)
    lines = [line.rstrip() for line in buf.getvalue().splitlines() if line.strip()]
    lines.append(count_line(min(len(cells), max_rows or len(cells)), len(cells), len(widths), len(cols)))
    return "\n".join(lines)
