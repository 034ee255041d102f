"""A chunk of parse results on disk: one folder of Parquet files, written by the worker that
parsed the chunk's files, read by DuckDB when the catalog is merged (pipeline.merge).

The folder is both the cache of an unchanged file's result for the next ingest and the spill
of this ingest's rows: the ingest process never holds the documents' rows, so its memory does
not grow with the catalog. Files (data, never code: nothing in them can run):
    _results.parquet   one row per file of the chunk: its document's metadata, status, error
    _warnings.parquet  each document's warnings, in order (absent when there are none)
    <table>.parquet    the rows each parser gave for a catalog table (absent when none)
Every row carries the chunk's name and its document's position in the chunk (`_chunk`,
`_position`), and each table's rows their order in the file (`_seq`): documents are merged in
path order, and a document's rows in the order its parser gave them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

RESULTS = "_results"
WARNINGS = "_warnings"

# The columns of _results.parquet and _warnings.parquet (pyarrow type names).
RESULT_COLUMNS = (("document_id", "string"), ("path", "string"), ("format", "string"), ("page_count", "int32"), ("vendor", "string"),
                  ("parser_version", "string"), ("title", "string"), ("title_source", "string"), ("status", "string"), ("error", "string"),
                  ("strict_code", "string"), ("strict_error", "string"), ("warning_count", "int32"), ("content_read", "bool_"))
WARNING_COLUMNS = (("seq", "int32"), ("code", "string"), ("message", "string"))


@dataclass(frozen=True)
class ChunkFiles:
    """What a worker wrote for a chunk: its folder's name, the tables it has files for, and each
    file's document (id, whether its content was read) in the chunk's order."""

    name: str
    tables: tuple[str, ...]
    documents: tuple[tuple[str, bool], ...]


def chunk_name(results: list) -> str:
    """Named after its files' paths and contents: the same files parsed by the same code write the same chunk."""
    return hashlib.sha256("\0".join(f"{r.document_id}:{r.path}" for r in results).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def write_chunk(results_dir: str | Path, results: list) -> ChunkFiles:
    """Write one chunk's results into its folder (a temporary folder renamed into place: a chunk
    is there whole or not at all). A folder of the same name, from an earlier ingest, is
    replaced: a file that failed by a limit (time, size) has the same name and id under other
    limits, not the same message."""
    import pyarrow.parquet as pq

    name = chunk_name(results)
    folder = Path(results_dir) / name
    tables = _tables(name, results)
    tmp, old = (folder.with_name(f"{name}.{os.getpid()}.{what}") for what in ("tmp", "old"))
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    tmp.mkdir(parents=True)
    for table_name, arrow in tables.items():
        pq.write_table(arrow, tmp / f"{table_name}.parquet", compression="zstd")
    if folder.is_dir():  # (one writer per catalog: pipeline.lock)
        os.rename(folder, old)
    os.replace(tmp, folder)
    shutil.rmtree(old, ignore_errors=True)
    return ChunkFiles(name, tuple(t for t in tables if t != RESULTS), tuple((r.document_id, r.content_read) for r in results))


def _tables(name: str, results: list) -> dict:
    """The chunk's Arrow tables: its results, warnings, and each catalog table's rows."""
    out = {RESULTS: _arrow(name, RESULT_COLUMNS, [_result_row(r) for r in results], range(len(results)))}
    warnings = [(pos, dict(seq=seq, code=code, message=stored_text(msg)))
                for pos, r in enumerate(results) for seq, (code, msg) in enumerate(r.warnings, start=1)]
    if warnings:
        out[WARNINGS] = _arrow(name, WARNING_COLUMNS, [w for _, w in warnings], [pos for pos, _ in warnings])
    for table_name in sorted({t for r in results for t, rows in r.rows.items() if rows}):
        out[table_name] = _table_arrow(name, table_name, [(pos, row) for pos, r in enumerate(results) for row in r.rows.get(table_name, ())])
    return out


def _result_row(r) -> dict:
    from .parse import strict_failure

    strict_code, strict_error = strict_failure(r) or (None, None)
    return dict(document_id=r.document_id, path=stored_text(r.path), format=r.format, page_count=r.page_count, vendor=r.vendor,
                parser_version=r.parser_version, title=r.title, title_source=r.title_source, status=r.status, error=stored_text(r.error),
                strict_code=strict_code, strict_error=stored_text(strict_error), warning_count=len(r.warnings), content_read=r.content_read)


def _arrow(name: str, columns: tuple[tuple[str, str], ...], rows: list[dict], positions):
    from .rows import pyarrow_module

    pa = pyarrow_module()
    arrays = [pa.array([r.get(c) for r in rows], type=getattr(pa, t)()) for c, t in columns]
    return _with_place(pa, pa.Table.from_arrays(arrays, names=[c for c, _ in columns]), name, positions)


def _table_arrow(name: str, table_name: str, placed: list[tuple[int, dict]]):
    from .rows import columns_of, pyarrow_module
    from .schema import arrow_schema, table

    pa = pyarrow_module()
    schema = arrow_schema(table(table_name))
    columns = columns_of(table_name, [row for _, row in placed])
    arrow = pa.Table.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)
    return _with_place(pa, arrow, name, [pos for pos, _ in placed])


def _with_place(pa, arrow, name: str, positions):
    n = arrow.num_rows
    arrow = arrow.append_column("_chunk", pa.array([name] * n, type=pa.string()))
    arrow = arrow.append_column("_position", pa.array(list(positions), type=pa.int32()))
    return arrow.append_column("_seq", pa.array(range(n), type=pa.int32()))


def stored_text(text: str | None) -> str | None:
    """`text` as the catalog stores it: a file name's bytes that are not UTF-8 (kept by Python as
    lone surrogates, which no UTF-8 column can hold) are written as \\xNN escapes, so
    "caf\\xe9.txt" is the Latin-1 name café.txt; every other text as it is."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def damaged_chunks(files: dict[str, list[str]]) -> list[Path]:
    """The chunk folders among `files` (table -> its files) with a file that is missing,
    unreadable, or not of the columns write_chunk gives its table."""
    import pyarrow.parquet as pq

    damaged = []
    for name, paths in files.items():
        expected = _expected_columns(name)
        for path in paths:
            folder = Path(path).parent
            if folder in damaged:
                continue
            try:
                if pq.read_table(path).column_names != expected:
                    damaged.append(folder)
            except Exception:  # (any failure to read it: pyarrow raises several kinds)
                damaged.append(folder)
    return damaged


def _expected_columns(name: str) -> list[str]:
    from .schema import table

    own = {RESULTS: [c for c, _ in RESULT_COLUMNS], WARNINGS: [c for c, _ in WARNING_COLUMNS]}
    return [*(own[name] if name in own else table(name).columns), "_chunk", "_position", "_seq"]
