"""Ingest: find input files, parse each one (pipeline.parse), merge, load.

The run: discover the inputs, reuse what the cache holds for unchanged files, parse the
others (in a process pool; each chunk's results written as Parquet by the worker that parsed
it: pipeline.chunks), then, in the new load's database (pipeline.load), merge every document's
rows in path order (pipeline.merge), add the crosswalk, the scales and the load's row (`_fill`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .parse import FILE_SECONDS, MAX_FILE_BYTES, FileLimits, FileTooLargeError, read_bytes, sha256, too_large, unreadable

# The process pool (multiprocessing, concurrent.futures) and the tables' rows (the schema) are
# imported where they are used: a re-ingest that finds nothing changed never needs them.

# -- the whole run -------------------------------------------------------------------------


@dataclass
class IngestReport:
    load_id: str | None
    documents: list[dict]
    out_dir: Path
    parsed: int = 0
    reused: int = 0
    unchanged: bool = False
    skipped: list[str] | None = None  # files in the folders of a type that is not read

    @property
    def files(self) -> int:
        """Files the documents were read from (the same bytes under several names: one document)."""
        return sum(len(d.get("paths") or [d["path"]]) for d in self.documents)

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d["status"] == status)

    @property
    def failed(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "failed"]


def ingest(paths: list[str], out_dir: str | Path, strict: bool = False, workers: int | None = None, progress=None,
           max_file_bytes: int = MAX_FILE_BYTES, wait: bool = False, file_seconds: float = FILE_SECONDS, replace: bool = False) -> IngestReport:
    """Ingest `paths` into the catalog in `out_dir`: the catalog becomes the files found under
    them. `progress(stage, done, total)` is called as each stage starts (discover, parse,
    crosswalk, write; total None: not counted) and as files are parsed; a file over
    `max_file_bytes` is a failed document, never read, and one whose parse runs past
    `file_seconds` fails with `timeout`. discover.UsageError, the catalog untouched, when no
    file is found, or when the current catalog holds documents from other paths (unless
    `replace`). One ingest writes an output folder at a time: another one running there makes
    this one wait (`wait`) or raise lock.OutputLockedError at once."""
    from .lock import writer_lock

    paths = [os.path.normpath(p) for p in paths]  # ./raw, raw/ and raw are one folder: its files keep their names (and cached results)
    with contextlib.ExitStack() as run:
        run.enter_context(writer_lock(Path(out_dir), wait))
        options = _Options(strict, workers, FileLimits(max_file_bytes, file_seconds), replace)
        try:
            return _ingest(paths, out_dir, options, _stages(progress), run)
        except DamagedCacheError:  # those chunks were removed: their files are parsed again
            return _ingest(paths, out_dir, options, _stages(progress), run)


def _stages(progress) -> Callable[[str, int, int | None], None]:
    return progress or (lambda stage, done, total: None)


@dataclass(frozen=True)
class _Options:
    strict: bool
    workers: int | None
    limits: FileLimits
    replace: bool = False

    @property
    def max_file_bytes(self) -> int:
        return self.limits.max_bytes


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off, as it was after; for a run whose files are parsed in
    worker processes. The merge keeps millions of row objects alive until the load, and each
    full collection walked them all: 0.25-0.4 s of the ingest process's 2 s on 10,000 pages,
    for a few hundred cyclic objects freed (rows hold no cycles; reference counting frees
    them). Files parsed in this process leave cycles only the collector frees (pdfplumber's
    page objects: 1 GB over 200 PDFs with it off), so it runs then."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Plan:
    """What an ingest must do with each file found: reuse its cached result or parse it."""

    found: list
    stats: dict[str, os.stat_result | None]
    to_parse: list[str] = field(default_factory=list)
    files: dict[str, list] = field(default_factory=dict)  # the next manifest: path -> [size, mtime_ns, sha256, chunk, position]
    too_large: set[str] = field(default_factory=set)  # over the size cap: failed, never read
    reused: int = 0
    fingerprint: str = ""
    placed: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # path -> (document, chunk, position): where its result is
    chunk_tables: dict[str, tuple[str, ...]] = field(default_factory=dict)  # chunk -> the tables it has files for
    results_dir: str = ""


def _ingest(paths: list[str], out_dir: str | Path, options: _Options, progress, run: contextlib.ExitStack) -> IngestReport:
    from .cache import Cache, data_fingerprint
    from .discover import UsageError, discover

    out_dir = Path(out_dir)
    started = datetime.now(UTC).replace(tzinfo=None)
    load_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    skipped: list[str] = []
    progress("discover", 0, None)
    found = discover(paths, skipped)
    if not found:
        raise UsageError(_nothing_found(paths, out_dir, skipped))
    strict, workers = options.strict, options.workers
    cache = Cache(out_dir, {"strict": strict, "data": data_fingerprint(), "max_file_bytes": options.max_file_bytes})
    stats = {f.path: _stat(f) for f in found}
    if cache.unchanged(stats, out_dir / "catalog.duckdb"):
        from .load import remove_stale_loads

        remove_stale_loads(out_dir)  # an interrupted load may have left its staging folder
        return IngestReport(None, cache.summary, out_dir, unchanged=True, skipped=skipped)
    from .given_paths import check_nothing_dropped

    refusal = None if options.replace else check_nothing_dropped(out_dir, paths, cache.last_manifest)
    if refusal:
        raise UsageError(refusal)
    from .pool import in_worker_processes

    plan = _plan(found, stats, cache, options.max_file_bytes)
    progress("parse", 0, len(plan.to_parse))
    if in_worker_processes(len(plan.to_parse), workers):
        run.enter_context(collector_paused())
        _import_load_libraries()  # before the workers are forked: they write Parquet with it
    chunks = _parse(plan, options, progress)
    from .load import write_catalog

    loaded = _Loaded()
    write_catalog(out_dir, load_id, functools.partial(_fill, plan, chunks, options, progress, load_id, started, loaded))
    cache.save(plan.files, loaded.summary, {c: plan.chunk_tables[c] for c in {e[3] for e in plan.files.values()}})
    return IngestReport(load_id, loaded.summary, out_dir, parsed=len(plan.to_parse), reused=plan.reused, skipped=skipped)


@dataclass
class _Loaded:
    summary: list[dict] = field(default_factory=list)  # each document's path, status, error, vendor and paths


def _fill(plan: _Plan, chunks, options: _Options, progress, load_id: str, started: datetime, loaded: _Loaded, con):
    """Fill the new catalog's tables: the documents' rows merged, the crosswalk, the scales, the load's row."""
    import duckdb

    from . import merge

    try:
        merge.merge(con, chunks, _files_table(plan), options.strict, load_id, started)
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        _check_chunks(chunks, exc)
        raise
    progress("crosswalk", 0, None)
    from .pool import worker_count

    later = _crosswalk(con, OFFLOAD_CROSSWALK_FROM if worker_count(options.workers) > 1 else None)
    _insert_rows(con, "scale_levels", _scale_rows(merge.loaded_vendors(con)))
    loaded.summary = merge.summary(con)
    counts = Counter(d["status"] for d in loaded.summary)
    _insert_rows(con, "loads", [dict(load_id=load_id, started_at=started, documents=len(loaded.summary), ok=counts["ok"], partial=counts["partial"],
                                     failed=counts["failed"], parsed=len(plan.to_parse), reused=plan.reused, code_fingerprint=plan.fingerprint)])
    progress("write", 0, None)
    return later


def _nothing_found(paths: list[str], out_dir: Path, skipped: list[str]) -> str:
    from .discover import INPUT_SUFFIXES

    others = f" ({len(skipped)} file(s) of other types, e.g. {skipped[0]})" if skipped else ""
    return (f"nothing to ingest: no {', '.join(INPUT_SUFFIXES[:-1])} or {INPUT_SUFFIXES[-1]} file in {', '.join(paths)}{others}; "
            f"the catalog in {out_dir} was not changed")


def _stat(found) -> os.stat_result | None:
    if found.problem:
        return None
    try:
        return os.stat(found.path)
    except OSError:
        return None


def _plan(found: list, stats: dict[str, os.stat_result | None], cache, max_bytes: int) -> _Plan:
    """Which files an earlier ingest's results can be reused for (same content, same code), and
    which are too large to read."""
    plan = _Plan(found, stats, fingerprint=cache.fingerprint, results_dir=str(cache.results_dir))
    for f in found:
        st = stats[f.path]
        if f.problem:
            continue
        if st is not None and st.st_size > max_bytes:
            plan.too_large.add(f.path)
            continue
        entry = cache.entry(f.path)
        sha = cache.known_sha(f.path, st) if st else None
        if sha is None and st is not None and entry is not None:
            try:  # touched but maybe not changed: the content hash decides
                sha = sha256(read_bytes(f.path, max_bytes))
            except (OSError, FileTooLargeError):
                sha = None
        tables = cache.chunk_tables(entry[3]) if entry is not None and len(entry) > 4 else None
        if st is not None and entry is not None and sha == entry[2] and tables is not None:
            plan.files[f.path] = [st.st_size, st.st_mtime_ns, sha, entry[3], entry[4]]
            plan.placed[f.path] = (sha, entry[3], entry[4])
            plan.chunk_tables[entry[3]] = tables
            plan.reused += 1
        else:
            plan.to_parse.append(f.path)
    return plan


def _parse(plan: _Plan, options: _Options, progress):
    """Parse the files to parse (their results written as chunk folders in the cache) and note
    where every file's result is: the chunks the merge reads (merge.ChunkSet)."""
    from .chunks import write_chunk
    from .merge import ChunkSet
    from .pool import parse_all

    done = 0
    for written in parse_all(plan.to_parse, options.workers, plan.results_dir, limits=options.limits):
        paths = plan.to_parse[done:done + len(written.documents)]
        done += len(paths)
        progress("parse", done, len(plan.to_parse))
        _place(plan, written, paths, record=True)
    local = [unreadable(f.path, *f.problem) if f.problem else too_large(f.path, options.max_file_bytes)
             for f in plan.found if f.problem or f.path in plan.too_large]
    if local:  # failed without being read: their results are kept for this load only (the manifest does not list them)
        _place(plan, write_chunk(plan.results_dir, local), [r.path for r in local], record=False)
    chunks = ChunkSet()
    for name, tables in plan.chunk_tables.items():
        chunks.add(f"{plan.results_dir}/{name}", tables)
    return chunks


def _place(plan: _Plan, written, paths: list[str], record: bool) -> None:
    plan.chunk_tables[written.name] = written.tables
    for position, (path, (document_id, content_read)) in enumerate(zip(paths, written.documents)):
        plan.placed[path] = (document_id, written.name, position)
        st = plan.stats.get(path)
        if record and st is not None and content_read:
            plan.files[path] = [st.st_size, st.st_mtime_ns, document_id, written.name, position]


def _files_table(plan: _Plan):
    """Every input file: its path as stored, rank in path order, document, chunk, position in it, modification time."""
    from .chunks import stored_text
    from .rows import pyarrow_module

    pa = pyarrow_module()
    paths = [f.path for f in plan.found]
    placed = [plan.placed[p] for p in paths]
    modified = [None if (st := plan.stats.get(p)) is None else datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None) for p in paths]
    return pa.table({"path": pa.array([stored_text(p) for p in paths], pa.string()), "rank": pa.array(range(len(paths)), pa.int32()),
                     "document_id": pa.array([d for d, _, _ in placed], pa.string()), "chunk": pa.array([c for _, c, _ in placed], pa.string()),
                     "position": pa.array([n for _, _, n in placed], pa.int32()), "modified": pa.array(modified, pa.timestamp("us"))})


class DamagedCacheError(Exception):
    """Chunk folders of the cache could not be read (and were removed): the ingest runs again,
    parsing their files anew."""


def _check_chunks(chunks, exc: Exception) -> None:
    """After DuckDB failed to read the chunks: remove those that are damaged (unreadable, or not
    of the columns the pipeline writes) and raise DamagedCacheError; nothing damaged: return."""
    from .chunks import damaged_chunks

    damaged = damaged_chunks(chunks.files)
    for folder in damaged:
        shutil.rmtree(folder, ignore_errors=True)
    if damaged:
        raise DamagedCacheError(f"{len(damaged)} damaged chunk(s) of cached results: {exc}") from exc


def _scale_rows(vendors: list[str]) -> list[dict]:
    from .vendors import PARSERS

    return [dict(vendor=module.VENDOR, level=level, label=label) for module in PARSERS if module.VENDOR in vendors for level, label in module.SCALE]


def _insert_rows(con, name: str, rows: list[dict] | None = None, columns: dict[str, list] | None = None) -> None:
    """Rows made here (as dicts, or as columns) into a table, in its sort order."""
    from .rows import TableRows

    made = TableRows(name, rows or [])
    if columns is not None:
        made.add_columns(columns)
    con.register("new_rows", made.arrow())
    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM new_rows")
    con.unregister("new_rows")


# The crosswalk's inputs, from the merged tables, in the order the documents first gave them
# (the crosswalk's centered scores sum vectors in that order). Only the columns it reads.
CROSSWALK_INPUTS = {
    "competencies": "SELECT {competency_columns} FROM merged_competencies ORDER BY _order",
    "behaviors": "SELECT competency_id, level, seq, text FROM merged_behaviors ORDER BY _order",
    "roles": "SELECT role_id, document_id, vendor, title FROM rows_roles ORDER BY _order",
    "related_titles": "SELECT role_id, title, relation FROM rows_related_titles WHERE role_id IS NOT NULL AND relation = 'example_position' ORDER BY _order",
}
CROSSWALK_OUTPUTS = ("competency_matches", "role_matches", "competency_esco", "esco_concepts")
# From this many competencies and roles, a multi-core ingest computes the crosswalk in a process
# of its own while this one writes the other tables' Parquet files (its vectors and model are
# not held here); below, it takes milliseconds.
OFFLOAD_CROSSWALK_FROM = 1000


def _crosswalk(con, offload_from: int | None):
    """competency_matches, role_matches, competency_esco and esco_concepts from the merged tables:
    inserted now, or (from `offload_from` competencies and roles) computed in a process of their
    own, returned as load.Later."""
    from .load import Later
    from .schema import table

    competency_columns = ", ".join(table("competencies").columns)
    inputs = tuple(con.sql(query.format(competency_columns=competency_columns)).to_arrow_table() for query in CROSSWALK_INPUTS.values())
    if offload_from is None or inputs[0].num_rows + inputs[2].num_rows < offload_from:
        _insert_crosswalk(con, _crosswalk_columns(inputs))
        return None
    from concurrent.futures import ProcessPoolExecutor

    from .pool import ctrl_c_held

    # The inputs go to the process as it starts (a forked process has them: not pickled, as a
    # submitted task's arguments would be); the tables come back as columns.
    pool = ProcessPoolExecutor(max_workers=1, initializer=_crosswalk_process, initargs=(inputs,))
    with ctrl_c_held():  # the submit forks the process
        future = pool.submit(_crosswalk_columns)
    pool.shutdown(wait=False)  # the submitted task still runs to its end
    return Later(CROSSWALK_OUTPUTS, lambda con: _insert_crosswalk(con, future.result()))


_crosswalk_inputs: tuple = ()  # in the crosswalk's own process: its inputs, as Arrow tables


def _crosswalk_process(inputs: tuple) -> None:
    global _crosswalk_inputs
    from .pool import init_worker

    init_worker()
    _crosswalk_inputs = inputs


def _crosswalk_columns(inputs: tuple | None = None) -> tuple[dict, ...]:
    from .crosswalk import crosswalk_tables

    return crosswalk_tables(*(t.to_pylist() for t in (inputs or _crosswalk_inputs)))


def _insert_crosswalk(con, outputs: tuple[dict, ...]) -> None:
    for name, columns in zip(CROSSWALK_OUTPUTS, outputs):
        _insert_rows(con, name, columns=columns)


def _import_load_libraries() -> None:
    """pyarrow and DuckDB (~0.25 s), imported once before the workers are forked: they write
    their chunks' Parquet files with the pyarrow they inherit, not one import each."""
    from .rows import pyarrow_module

    pyarrow_module()
    import duckdb  # noqa: F401
    import pyarrow.compute  # noqa: F401
    import pyarrow.parquet  # noqa: F401
