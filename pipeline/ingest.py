"""Ingest: find input files, parse each one (pipeline.parse), merge, assemble, load.

The run: discover the inputs, reuse what the cache holds for unchanged files, parse the
others (in a process pool), merge every document's rows in path order (pipeline.catalog),
add the documents' own tables, the crosswalk and the scales (`assemble`), and write the
catalog (pipeline.load).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .parse import FILE_SECONDS, MAX_FILE_BYTES, DocumentResult, FileLimits, FileTooLargeError, read_bytes, sha256, strict_failure, too_large, unreadable

if TYPE_CHECKING:
    from .rows import TableData, TableRows

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
        return _ingest(paths, out_dir, _Options(strict, workers, FileLimits(max_file_bytes, file_seconds), replace), _stages(progress), run)


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
    reuse: dict[str, str] = field(default_factory=dict)  # path -> the cache chunk holding its result from an earlier ingest
    to_parse: list[str] = field(default_factory=list)
    files: dict[str, list] = field(default_factory=dict)  # the next manifest: path -> [size, mtime_ns, sha256, chunk]
    too_large: set[str] = field(default_factory=set)  # over the size cap: failed, never read
    reused: int = 0
    reparsed: int = 0


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
    from .pool import in_worker_processes, worker_count

    plan = _plan(found, stats, cache, options.max_file_bytes)
    progress("parse", 0, len(plan.to_parse))
    if in_worker_processes(len(plan.to_parse), workers):
        run.enter_context(collector_paused())
    results = _results_in_path_order(plan, cache, options, progress)
    tables, documents = _merge(results, strict)
    offload = worker_count(workers) > 1 and len(tables["competencies"].rows) + len(tables["roles"].rows) >= OFFLOAD_CROSSWALK_FROM
    modified = {p: st.st_mtime for p, st in stats.items() if st is not None}
    progress("crosswalk", 0, None)
    elsewhere = assemble(tables, documents, modified, load_id, started, offload)
    summary = [{**{k: d[k] for k in ("path", "status", "error", "vendor")}, "paths": [stored_text(p) for p in documents.paths[d["document_id"]]]}
               for d in tables["documents"].rows]
    tables["loads"].rows.append(_load_row(load_id, started, summary, documents, plan, cache.fingerprint))
    from .load import write_catalog

    progress("write", 0, None)
    write_catalog({**tables, **elsewhere}, out_dir, load_id)  # consumes the tables as it writes them
    cache.save(plan.files, summary)
    parsed = len(plan.to_parse) + plan.reparsed
    return IngestReport(load_id, summary, out_dir, parsed=parsed, reused=plan.reused, skipped=skipped)


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
    plan = _Plan(found, stats)
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
        if st is not None and entry is not None and sha == entry[2] and len(entry) > 3 and cache.has_chunk(entry[3]):
            plan.reuse[f.path] = entry[3]
            plan.files[f.path] = [st.st_size, st.st_mtime_ns, sha, entry[3]]
        else:
            plan.to_parse.append(f.path)
    return plan


def _results_in_path_order(plan: _Plan, cache, options: _Options, progress) -> Iterator[tuple[str, DocumentResult]]:
    """Every file's result in path order (the order merging depends on), parsed or reused."""
    from .pool import parse_all

    parsed = parse_all(plan.to_parse, options.workers, str(cache.results_dir), meanwhile=_import_load_libraries, limits=options.limits)
    try:
        yield from _in_path_order(plan, cache, options, progress, parsed)
    finally:
        parsed.close()  # (its pool is shut down now, not when the generator is collected)


def _in_path_order(plan: _Plan, cache, options: _Options, progress, parsed) -> Iterator[tuple[str, DocumentResult]]:
    done = 0
    for f in plan.found:
        if f.problem:
            yield f.path, unreadable(f.path, *f.problem)
        elif f.path in plan.too_large:
            yield f.path, too_large(f.path, options.max_file_bytes)
        elif f.path in plan.reuse:
            yield f.path, _reused(plan, cache, f.path, options.limits)
        else:
            chunk, res = next(parsed)
            done += 1
            progress("parse", done, len(plan.to_parse))
            st = plan.stats.get(f.path)
            if st is not None and res.content_read:
                plan.files[f.path] = [st.st_size, st.st_mtime_ns, res.document_id, chunk]
            yield f.path, res


def _reused(plan: _Plan, cache, path: str, limits: FileLimits) -> DocumentResult:
    res = cache.result(plan.reuse[path], plan.files[path][2], path)
    if res is not None:
        plan.reused += 1
        return res
    from .pool import parse_chunk

    chunk, (res,) = parse_chunk(str(cache.results_dir), [path], limits=limits)  # its cache file is unreadable after all: parse the file again
    plan.files[path][3] = chunk if res.content_read else None
    plan.reparsed += 1
    return res


@dataclass
class _Documents:
    """The distinct documents of a run (the same bytes under two names are one) and their paths."""

    results: dict[str, DocumentResult] = field(default_factory=dict)
    paths: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # (document_id, code, message) found while merging


def _merge(results: Iterator[tuple[str, DocumentResult]], strict: bool) -> tuple[dict[str, TableRows], _Documents]:
    """Every document's rows merged in path order (pipeline.catalog)."""
    from .catalog import CatalogBuilder

    documents = _Documents()
    builder = CatalogBuilder(lambda doc_id, code, msg: documents.warnings.append((doc_id, code, msg)))
    for path, res in results:
        if strict and res.status != "failed" and res.warnings:
            res = strict_failure(res)
        documents.paths.setdefault(res.document_id, []).append(path)
        if res.document_id in documents.results:  # the same bytes under another name: one document, two paths
            continue
        documents.results[res.document_id] = res
        if res.status != "failed":
            builder.add(res.document_id, res.rows, res.streamed)
        res.release_rows()  # merged into the builder
    return builder.finish(), documents


def _load_row(load_id: str, started: datetime, summary: list[dict], documents: _Documents, plan: _Plan, fingerprint: str) -> dict:
    statuses = Counter(d["status"] for d in summary)
    return dict(load_id=load_id, started_at=started, documents=len(documents.results), ok=statuses["ok"], partial=statuses["partial"],
                failed=statuses["failed"], parsed=len(plan.to_parse) + plan.reparsed, reused=plan.reused, code_fingerprint=fingerprint)


# From this many competencies and roles, a multi-core ingest computes the crosswalk in its own
# process, which also writes the Parquet files of the tables it reads, while the other tables
# are written here (those are loaded last); below, it takes milliseconds.
OFFLOAD_CROSSWALK_FROM = 1000
CROSSWALK_INPUTS = ("competencies", "behaviors", "roles", "related_titles")
CROSSWALK_OUTPUTS = ("competency_matches", "role_matches", "competency_esco", "esco_concepts")


def assemble(tables: dict[str, TableRows], documents: _Documents, modified: dict[str, float], load_id: str, started: datetime,
             offload: bool = False) -> dict[str, TableData]:
    """Complete the merged tables with the documents' own tables, the crosswalk and the scales.
    With `offload`, the crosswalk tables and the tables it reads are written in another process
    meanwhile: returned as ParquetFromElsewhere, to be written instead of those in `tables`."""
    elsewhere = _crosswalk(tables, offload)  # first: offloaded, it runs while the documents' own tables are built here
    results = sorted(documents.results.values(), key=lambda r: r.path)
    for r in results:
        tables["documents"].rows.append(_document_row(r, documents.paths[r.document_id], modified, load_id, started))
        tables["document_paths"].rows.extend(dict(document_id=r.document_id, path=stored_text(p)) for p in documents.paths[r.document_id])
        tables["parse_warnings"].rows.extend(dict(document_id=r.document_id, code=code, message=stored_text(msg), seq=seq)
                                             for seq, (code, msg) in enumerate(r.warnings, start=1))
    last_seq = {r.document_id: len(r.warnings) for r in results}
    for doc_id, code, msg in documents.warnings:
        last_seq[doc_id] += 1
        tables["parse_warnings"].rows.append(dict(document_id=doc_id, code=code, message=msg, seq=last_seq[doc_id]))
    from .vendors import PARSERS

    loaded_vendors = {r.vendor for r in results if r.status != "failed"}
    tables["scale_levels"].rows.extend(dict(vendor=module.VENDOR, level=level, label=label)
                                       for module in PARSERS if module.VENDOR in loaded_vendors for level, label in module.SCALE)
    return elsewhere


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


def _document_row(r: DocumentResult, paths: list[str], modified: dict[str, float], load_id: str, started: datetime) -> dict:
    mtime = max((modified[p] for p in paths if p in modified), default=None)
    return dict(document_id=r.document_id, path=stored_text(r.path), vendor=r.vendor, format=r.format, status=r.status, error=stored_text(r.error),
                title=r.title, title_source=r.title_source, page_count=r.page_count, parser_version=r.parser_version,
                file_modified_at=None if mtime is None else datetime.fromtimestamp(mtime, UTC).replace(tzinfo=None),
                ingested_at=started, load_id=load_id)


def _crosswalk(tables: dict[str, TableRows], offload: bool) -> dict[str, TableData]:
    """competency_matches and role_matches, computed here (into `tables`) or (offload) in a
    process of their own, which then also writes the tables it reads (returned)."""
    from .crosswalk import crosswalk_tables

    inputs = tuple(tables[name].rows for name in CROSSWALK_INPUTS)
    if not offload:
        for name, columns in zip(CROSSWALK_OUTPUTS, crosswalk_tables(*inputs)):
            tables[name].add_columns(columns)
        return {}
    from concurrent.futures import ProcessPoolExecutor

    from .pool import ctrl_c_held
    from .rows import ParquetFromElsewhere

    # The inputs go to the process as it starts (a forked process has them already: no
    # pickling here); the tables come back as Parquet files (sorted, encoded and compressed
    # there: a few MB to send and hold, not the 100,000s of values of the pairs).
    pool = ProcessPoolExecutor(max_workers=1, initializer=_crosswalk_process, initargs=(inputs,))
    with ctrl_c_held():  # the submit forks the process
        files = functools.cache(pool.submit(_crosswalk_files).result)
    pool.shutdown(wait=False)  # the submitted task still runs to its end
    return {name: ParquetFromElsewhere(name, functools.partial(_file_of, files, name)) for name in CROSSWALK_INPUTS + CROSSWALK_OUTPUTS}


def _file_of(files: Callable[[], dict[str, bytes]], name: str) -> bytes:
    return files()[name]


def _import_load_libraries() -> None:
    """pyarrow and DuckDB (~0.25 s) imported while the workers parse, not after them (the
    crosswalk's process, forked later, has them too)."""
    from .rows import pyarrow_module

    pyarrow_module()
    import duckdb  # noqa: F401
    import pyarrow.compute  # noqa: F401
    import pyarrow.parquet  # noqa: F401


_crosswalk_rows: tuple = ()  # in the crosswalk's process: the rows of the CROSSWALK_INPUTS tables


def _crosswalk_process(rows: tuple) -> None:
    global _crosswalk_rows
    from .pool import init_worker

    init_worker()
    _crosswalk_rows = rows


def _crosswalk_files() -> dict[str, bytes]:
    """In the crosswalk's own process: the Parquet files of the crosswalk's tables and of the tables it reads."""
    from .crosswalk import crosswalk_tables
    from .rows import TableRows

    files = {name: TableRows(name, rows).parquet_bytes() for name, rows in zip(CROSSWALK_INPUTS, _crosswalk_rows)}
    for name, columns in zip(CROSSWALK_OUTPUTS, crosswalk_tables(*_crosswalk_rows)):
        output = TableRows(name)
        output.add_columns(columns)
        files[name] = output.parquet_bytes()
    return files
