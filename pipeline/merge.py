"""Merge every document's rows into the catalog's tables, in DuckDB, from the chunk folders
the workers wrote (pipeline.chunks): the ingest process never holds the rows, and DuckDB works
within its memory cap (spilling to disk past it), so memory stays flat as the catalog grows.

A competency is one row per (vendor, name) however many documents mention it; behaviors and
levels seen on several pages are merged without duplicates. The first document by path wins
where documents disagree (a later one fills in what the first left NULL), and two definitions
of one competency are reported as a warning. A document found under several names is one
document: its first path's result is the one loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from .chunks import RESULTS, WARNINGS
from .schema import TABLES, table

if TYPE_CHECKING:
    import pyarrow as pa

# Columns a later document may fill in where the first left them NULL, per merged table (its
# other columns are the first document's); two values of a REPORTED_CONFLICTS column differ: a warning.
MERGED_DETAILS = {"competencies": ("definition", "category", "family", "notes"), "competency_levels": ("label", "behaviors_hidden")}
REPORTED_CONFLICTS = ("definition",)
MERGE_KEYS = {"competencies": ("competency_id",), "competency_levels": ("competency_id", "level"), "behaviors": ("competency_id", "level", "text")}
# Tables the documents themselves fill (not rows a parser gives).
DOCUMENT_TABLES = ("loads", "documents", "document_paths", "parse_warnings", "scale_levels")
CROSSWALK_TABLES = ("competency_matches", "role_matches", "competency_esco", "esco_concepts")
_ORDER = "_order"  # a row's place in the merge: its document's rank in path order, then its place in the document


@dataclass
class ChunkSet:
    """The chunk folders an ingest merges: for each table, the files holding its rows."""

    files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, folder: str, tables: tuple[str, ...]) -> None:
        for name in (RESULTS, *tables):
            self.files.setdefault(name, []).append(f"{folder}/{name}.parquet")


def _source(files: list[str]) -> str:
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}])"


def merge(con, chunks: ChunkSet, files: pa.Table, strict: bool, load_id: str, started: datetime) -> None:
    """Fill the document tables and the parsers' tables of the catalog in `con` (created, empty)
    from the chunks; `files`: every input file's path (as stored), rank in path order, document,
    chunk, position in it and modification time."""
    con.register("input_files", files)
    _choose(con, chunks, strict)
    con.execute("INSERT INTO documents BY NAME SELECT document_id, path, vendor, format, status, error, title, title_source, page_count, "
                "parser_version, file_modified_at, $started AS ingested_at, $load_id AS load_id FROM chosen ORDER BY document_id",
                {"started": started, "load_id": load_id})
    con.execute("INSERT INTO document_paths BY NAME SELECT document_id, path FROM input_files ORDER BY document_id, path")
    con.unregister("input_files")
    _parser_tables(con, chunks)
    _warnings(con, chunks, _conflicts(con))


def _choose(con, chunks: ChunkSet, strict: bool) -> None:
    """`chosen`: each document's result (its first path's), with --strict applied."""
    failed_by_strict = "$strict AND r.status <> 'failed' AND r.strict_error IS NOT NULL"
    con.execute(f"""
        CREATE TEMP TABLE chosen AS
        WITH firsts AS (
            SELECT document_id, min(rank) AS rank, arg_min(chunk, rank) AS chunk, arg_min(position, rank) AS position,
                   max(modified) AS file_modified_at
            FROM input_files GROUP BY document_id)
        SELECT r._chunk, r._position, f.rank, f.file_modified_at, r.document_id, r.path, r.format, r.page_count, r.vendor,
               r.parser_version, r.title, r.title_source, r.warning_count, r.strict_code,
               CASE WHEN {failed_by_strict} THEN 'failed' ELSE r.status END AS status,
               CASE WHEN {failed_by_strict} THEN r.strict_error ELSE r.error END AS error,
               ({failed_by_strict}) AS failed_by_strict
        FROM firsts f JOIN {_source(chunks.files[RESULTS])} r ON r._chunk = f.chunk AND r._position = f.position
    """, {"strict": strict})


def _parser_tables(con, chunks: ChunkSet) -> None:
    """Every table the parsers fill: its loaded rows as the view `rows_<table>`; merged
    (MERGE_KEYS) into `merged_<table>` (with each row's first place: the crosswalk reads them in
    that order), or as given; inserted in the table's sort order."""
    for t in TABLES:
        if t.name in DOCUMENT_TABLES or t.name in CROSSWALK_TABLES:
            continue
        con.execute(f"CREATE TEMP VIEW rows_{t.name} AS {_rows_of(t.name, chunks)}")
        source = f"rows_{t.name}"
        if t.name in MERGE_KEYS:
            con.execute(f"CREATE TEMP TABLE merged_{t.name} AS {_merged(t.name)}")
            source = f"merged_{t.name}"
        con.execute(f"INSERT INTO {t.name} BY NAME SELECT {', '.join(t.columns)} FROM {source} ORDER BY {_order_by(t.name)}")
        con.execute("CHECKPOINT")  # DuckDB's memory holds one table at a time


def _rows_of(name: str, chunks: ChunkSet) -> str:
    """A parser table's rows from the loaded documents, each with its document and place in the merge."""
    cols = ", ".join(f"t.{c}" for c in table(name).columns)
    if name not in chunks.files:  # no document gave any
        return f"SELECT {cols}, NULL::VARCHAR AS _document, 0::BIGINT AS {_ORDER} FROM {name} t LIMIT 0"
    return (f"SELECT {cols}, c.document_id AS _document, (c.rank::BIGINT << 32) + t._seq AS {_ORDER} FROM {_source(chunks.files[name])} t "
            f"JOIN chosen c ON t._chunk = c._chunk AND t._position = c._position WHERE c.status <> 'failed'")


def _order_by(name: str) -> str:
    return ", ".join([f"{k} NULLS FIRST" for k in table(name).sort_key] + [_ORDER])


def _merged(name: str) -> str:
    """One row per key: the first document's row, its NULL details filled from later ones (or,
    for behaviors, the first row alone)."""
    keys = MERGE_KEYS[name]
    if name not in MERGED_DETAILS:
        return f"SELECT * FROM rows_{name} QUALIFY row_number() OVER (PARTITION BY {', '.join(keys)} ORDER BY {_ORDER}) = 1"
    details = MERGED_DETAILS[name]
    # (arg_min skips NULL values, arg_min_null keeps them; both stream: no sort of the rows)
    cols = [c if c in keys else f"arg_min({c}, {_ORDER}) AS {c}" if c in details else f"arg_min_null({c}, {_ORDER}) AS {c}"
            for c in table(name).columns]
    return f"SELECT {', '.join(cols)}, min({_ORDER}) AS {_ORDER} FROM rows_{name} GROUP BY {', '.join(keys)}"


def _conflicts(con) -> list[tuple[str, tuple[str, str]]]:
    """(document, (code, message)): a later document's value of a REPORTED_CONFLICTS column that
    differs from the one kept, in merge order."""
    out: list[tuple[str, tuple[str, str]]] = []
    for col in REPORTED_CONFLICTS:
        found = con.execute(f"""
            SELECT s._document, m.name, s.{col}, m.{col} FROM rows_competencies s JOIN merged_competencies m USING (competency_id)
            WHERE s.{col} IS NOT NULL AND s.{col} <> m.{col} ORDER BY s.{_ORDER}""").fetchall()
        out.extend((doc, ("conflicting_value",
                          f"{name}: this document's {col} {new!r} differs from {old!r} given by an earlier document; the earlier one is kept"))
                   for doc, name, new, old in found)
    return out


def _warnings(con, chunks: ChunkSet, conflicts: list[tuple[str, tuple[str, str]]]) -> None:
    """parse_warnings: each document's own, the --strict failure's, then the merge's, numbered on."""
    import pyarrow as pa

    merge_warnings = pa.table({"document_id": [d for d, _ in conflicts], "code": [c for _, (c, _) in conflicts],
                               "message": [m for _, (_, m) in conflicts], "nth": list(range(len(conflicts)))},
                              schema=pa.schema([("document_id", pa.string()), ("code", pa.string()), ("message", pa.string()), ("nth", pa.int64())]))
    con.register("merge_warnings", merge_warnings)
    own = (f"SELECT c.document_id, w.code, w.message, w.seq FROM {_source(chunks.files[WARNINGS])} w "
           "JOIN chosen c ON w._chunk = c._chunk AND w._position = c._position") if WARNINGS in chunks.files else \
        "SELECT NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::INTEGER WHERE false"
    con.execute(f"""
        INSERT INTO parse_warnings BY NAME
        SELECT document_id, code, message, seq FROM (
            {own}
            UNION ALL SELECT document_id, strict_code, error, warning_count + 1 FROM chosen WHERE failed_by_strict
            UNION ALL SELECT m.document_id, m.code, m.message,
                             c.warning_count + row_number() OVER (PARTITION BY m.document_id ORDER BY m.nth)
                      FROM merge_warnings m JOIN chosen c USING (document_id)
        ) AS w(document_id, code, message, seq)
        ORDER BY document_id, seq""")
    con.unregister("merge_warnings")


def loaded_vendors(con) -> list[str]:
    return [v for (v,) in con.execute("SELECT DISTINCT vendor FROM chosen WHERE status <> 'failed' AND vendor IS NOT NULL ORDER BY vendor").fetchall()]


def summary(con) -> list[dict]:
    """Each document's path, status, error, vendor and paths, in path order (the manifest's and the report's)."""
    rows = con.execute("""SELECT c.path, c.status, c.error, c.vendor, list(p.path ORDER BY p.path) FROM chosen c
                          JOIN document_paths p USING (document_id) GROUP BY ALL ORDER BY min(c.rank)""").fetchall()
    return [dict(path=path, status=status, error=error, vendor=vendor, paths=paths) for path, status, error, vendor, paths in rows]
